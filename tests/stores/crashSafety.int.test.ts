import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommandBus } from '../../src/application/commandBus.ts';
import type { CommandResult } from '../../src/application/commandResult.ts';
import { createSqliteEventStore, type SqliteDurability } from '../../src/eventStore/sqliteEventStore.ts';
import { addToRollout, createExperiment, registerFeature } from '../support/fixtures.ts';
import { readEverything } from './readEverything.ts';
import { spawnWorker } from './spawnWorker.ts';

const dir = mkdtempSync(join(tmpdir(), 'rollout-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Waits until the writer has acknowledged `count` commands, then SIGKILLs it mid-stream. */
const killAfter = async (path: string, durability: SqliteDurability, count: number) => {
  let acknowledged = 0;
  let killed = false;
  const writer = spawnWorker('writeUntilKilled.ts', [path, durability, '4'], () => {
    if (++acknowledged >= count && !killed) {
      killed = true;
      writer.child.kill('SIGKILL');
    }
  });
  const exit = await writer.exited;
  expect(exit, writer.stderr()).toEqual({ code: null, signal: 'SIGKILL' });
  return writer.lines.map((line) => JSON.parse(line) as { envelope: unknown; result: CommandResult });
};

describe.each<SqliteDurability>(['full', 'normal'])('SQLite store after its writer is killed (synchronous=%s)', (durability) => {
  it('keeps every acknowledged command, no half-written command, and accepts writes again', async () => {
    const path = join(dir, `crash-${durability}.db`);

    const lines = await killAfter(path, durability, 150);
    const acknowledged = lines.map((l) => l.result);

    const store = createSqliteEventStore({ path, durability });
    expect(store.database.pragma('integrity_check', { simple: true })).toBe('ok');
    await store.close();
    const events = await readEverything(path);

    // Every acknowledged command is there with the events it reported.
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);
    for (const result of acknowledged.filter((r) => r.status === 'accepted')) {
      const stored = events.filter((e) => e.metadata.commandId === result.commandId);
      // An event on another stream (CreateExperiment's id reservation) is reported with its stream id.
      expect(stored.map((e) => ({ type: e.type, revision: Number(e.revision), ...(e.streamId === result.streamId ? {} : { streamId: e.streamId }) }))).toEqual(result.events);
    }

    // Nothing is half-written: no hole in positions or revisions, and each first add
    // has both of its events, next to each other, or none.
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => BigInt(i + 1)));
    const streams = new Set(events.map((e) => e.streamId));
    for (const streamId of streams) {
      const revisions = events.filter((e) => e.streamId === streamId).map((e) => e.revision);
      expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
    }
    const firstAddCommands = new Set(events.filter((e) => e.type === 'RolloutSegmentCreated' || e.type === 'DefaultAllocationsZeroed').map((e) => e.metadata.commandId));
    for (const commandId of firstAddCommands) {
      const stored = events.filter((e) => e.metadata.commandId === commandId);
      expect(stored.map((e) => e.type)).toEqual(['RolloutSegmentCreated', 'DefaultAllocationsZeroed']);
      expect(stored[1]!.revision).toBe(stored[0]!.revision + 1n);
    }
    expect(firstAddCommands.size).toBeGreaterThan(0);

    // The file still takes writes, and a retried acknowledged command is recognised.
    const reopened = createSqliteEventStore({ path, durability });
    const bus = createCommandBus({ store: reopened });
    const after = [
      await bus.send(registerFeature('after-crash')),
      await bus.send(createExperiment('x-after-crash', 'after-crash')),
      await bus.send(addToRollout({ rolloutPercentage: 5, allocations: [] }, 'x-after-crash', 'after-crash')),
    ];
    const lastAccepted = lines.filter((l) => l.result.status === 'accepted').at(-1)!;
    const retried = await bus.send(lastAccepted.envelope);
    await reopened.close();

    expect(after.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(after[2]!.events.map((e) => e.type)).toEqual(['RolloutSegmentCreated', 'DefaultAllocationsZeroed']);
    expect(retried).toMatchObject({ status: 'duplicate', commandId: lastAccepted.result.commandId, events: lastAccepted.result.events });
    const positions = (await readEverything(path)).map((e) => e.position);
    expect(positions).toEqual(positions.map((_, i) => BigInt(i + 1)));
  }, 30_000);
});
