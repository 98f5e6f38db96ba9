import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommandBus } from '../../src/application/commandBus.ts';
import type { CommandResult } from '../../src/application/commandResult.ts';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { FEATURES, experimentOf, setupCommands, sharedCommand, workerPlan, type PlannedCommand } from './fixtures/commandPlan.ts';
import { groupBy, readEverything } from './readEverything.ts';
import { lineFrom, spawnWorker } from './spawnWorker.ts';

const WORKERS = 4;
const COMMANDS_PER_WORKER = 100;

const dir = mkdtempSync(join(tmpdir(), 'rollout-cross-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite store shared by several OS processes', () => {
  it('accounts for every command of 4 processes racing on the same experiments, with no lost or repeated revision', async () => {
    const path = join(dir, 'shared.db');
    const setupStore = createSqliteEventStore({ path });
    const setupBus = createCommandBus({ store: setupStore });
    const setupResults: CommandResult[] = [];
    for (const command of setupCommands()) setupResults.push(await setupBus.send(command));
    await setupStore.close();
    expect(setupResults.map((r) => r.status)).toEqual(setupResults.map(() => 'accepted'));

    const shared = sharedCommand();
    const plans = Array.from({ length: WORKERS }, (_, w) => workerPlan(w, shared, COMMANDS_PER_WORKER));
    const workers = plans.map((plan, w) => {
      const planFile = join(dir, `plan-${w}.json`);
      writeFileSync(planFile, JSON.stringify(plan.map((p) => p.envelope)));
      return spawnWorker('sendCommands.ts', [path, planFile, '3']);
    });
    await Promise.all(workers.map((w) => lineFrom(w, 'ready')));
    for (const worker of workers) worker.child.stdin!.end('go\n');
    const exits = await Promise.all(workers.map((w) => w.exited));
    console.info(`cross-process run: ${workers.map((w) => w.stderr().trim()).join('; ')}`);
    expect(exits, workers.map((w) => w.stderr()).join('\n')).toEqual(workers.map(() => ({ code: 0, signal: null })));

    // Every command has exactly one result, and every result is one of the four outcomes.
    const outcomes: Array<{ planned: PlannedCommand; result: CommandResult }> = workers.flatMap((worker, w) => {
      const results = worker.lines.filter((line) => line !== 'ready').map((line) => JSON.parse(line) as { index: number; result: CommandResult });
      expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(plans[w]!.map((_, i) => i));
      return results.map(({ index, result }) => ({ planned: plans[w]![index]!, result }));
    });
    expect(outcomes).toHaveLength(WORKERS * COMMANDS_PER_WORKER);
    for (const { planned, result } of outcomes) {
      expect(result.commandId).toBe(planned.envelope.commandId);
      expect(['accepted', 'unchanged', 'duplicate', 'rejected']).toContain(result.status);
      if (result.status === 'rejected') {
        // A rejection has a reason from the domain; never a lost race or a busy database.
        expect(['validation_failed', 'rule_violated']).toContain(result.error?.code);
        expect(result.error?.message).toBeTruthy();
      }
      if (planned.kind === 'invalidShape') expect(result.error?.code).toBe('validation_failed');
      if (planned.kind === 'foreignOption') expect(result.error?.code).toBe('rule_violated');
      if (planned.kind === 'firstAdd' || planned.kind === 'tune' || planned.kind === 'manualEdit') expect(result.status).not.toBe('rejected');
    }

    const events = await readEverything(path);

    // Global positions 1..N with no hole; every stream's revisions 0..n-1 with no hole or repeat.
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => BigInt(i + 1)));
    const streams = groupBy(events, (e) => e.streamId);
    for (const [, streamEvents] of streams) expect(streamEvents.map((e) => e.revision)).toEqual(streamEvents.map((_, i) => BigInt(i)));

    // The store holds exactly the events of the accepted commands, each written once.
    const all = [...setupResults.map((result) => ({ result })), ...outcomes];
    const accepted = all.filter((o) => o.result.status === 'accepted').map((o) => o.result);
    const acceptedIds = accepted.map((r) => r.commandId);
    expect(new Set(acceptedIds).size).toBe(acceptedIds.length);
    const eventsByCommand = groupBy(events, (e) => e.metadata.commandId);
    expect([...eventsByCommand.keys()].sort()).toEqual([...acceptedIds].sort());
    for (const result of accepted) {
      const stored = eventsByCommand.get(result.commandId)!;
      // An event on another stream (CreateExperiment's id reservation) is reported with its stream id.
      expect(stored.map((e) => ({ type: e.type, revision: Number(e.revision), ...(e.streamId === result.streamId ? {} : { streamId: e.streamId }) }))).toEqual(result.events);
      expect(stored.every((e) => e.streamId === result.streamId || (e.type === 'ExperimentIdReserved' && e.streamId.startsWith('experiment-')))).toBe(true);
    }
    // A duplicate reports the original's events.
    for (const { result } of outcomes.filter((o) => o.result.status === 'duplicate')) {
      expect(acceptedIds).toContain(result.commandId);
      expect(result.events).toEqual(accepted.find((a) => a.commandId === result.commandId)!.events);
    }

    // The command every worker sent with the same id was applied once.
    const sharedOutcomes = outcomes.filter((o) => o.planned.kind === 'shared').map((o) => o.result.status);
    expect(sharedOutcomes.sort()).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate']);

    // However many first adds raced, one segment and one zeroing per experiment.
    for (const featureId of FEATURES) {
      const experimentEvents = events.filter((e) => (e.data as { experimentId?: string }).experimentId === experimentOf(featureId));
      const created = experimentEvents.filter((e) => e.type === 'RolloutSegmentCreated');
      const zeroed = experimentEvents.filter((e) => e.type === 'DefaultAllocationsZeroed');
      expect(created).toHaveLength(1);
      expect(zeroed).toHaveLength(1);
      expect(zeroed[0]!.metadata.commandId).toBe(created[0]!.metadata.commandId);
      expect(zeroed[0]!.revision).toBe(created[0]!.revision + 1n);
    }
    const firstAdds = outcomes.filter((o) => o.planned.kind === 'firstAdd' && o.result.status === 'accepted');
    expect(firstAdds.filter((o) => o.result.events[0]?.type === 'RolloutSegmentCreated')).toHaveLength(FEATURES.length);
  }, 60_000);
});
