import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandBus } from '../../src/application/commandBus.ts';
import { openRollout } from '../../src/app/openRollout.ts';
import type { Rollout } from '../../src/app/rollout.ts';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import type { SqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { createFeatureStateProjection } from '../../projections/featureState/featureStateProjection.ts';
import { createProjections } from '../../projections/runner/createProjections.ts';
import { createInMemoryReadModelStorage } from '../../projections/runner/inMemoryReadModelStorage.ts';
import type { DocumentWrite } from '../../projections/runner/readModelStorage.ts';
import { createSqliteReadModelStorage } from '../../projections/runner/sqliteReadModelStorage.ts';
import { copyEvents } from './support/copyEvents.ts';
import { generateRandomHistory } from './support/randomHistory.ts';

const EVENTS = 100_000;
const script = fileURLToPath(new URL('./support/rebuildScript.ts', import.meta.url));

let dir: string;
let path: string;
let rollout: Rollout;
const memory = createInMemoryEventStore();

const storageOf = (r: Rollout) => createSqliteReadModelStorage((r.store as SqliteEventStore).database, ['featureState']);
const dump = (r: Rollout): DocumentWrite[] => storageOf(r).dump('featureState');
const generation = (r: Rollout) => storageOf(r).pointer('featureState', 'live')!.generation;

/** Runs the rebuild script; with killAt, kill -9 it once it reports that many events done. */
const runRebuild = (killAt?: number) =>
  new Promise<{ progress: number[]; finished: boolean; killed: boolean }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const progress: number[] = [];
    let finished = false;
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === 'finished') finished = true;
        else progress.push(Number(line.split(' ')[0]));
        if (killAt !== undefined && progress[progress.length - 1]! >= killAt && !child.killed) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_, signal) => resolve({ progress, finished, killed: signal === 'SIGKILL' }));
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rebuild-'));
  path = join(dir, 'rollout.db');
  await generateRandomHistory(createCommandBus({ store: memory }), { targetEvents: EVENTS, seed: 20250101 });
  rollout = await openRollout({ store: `sqlite:${path}?synchronous=normal` });
  // The live model follows the log as it grows, batch after batch.
  await copyEvents(memory, rollout.store, { onChunk: () => rollout.projections.catchUp() });
}, 120_000);

afterAll(async () => {
  await rollout?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rebuild', () => {
  it('rebuilds a 100,000-event history byte for byte equal to the live model, and switches generations', async () => {
    const live = dump(rollout);
    expect(live.filter(([kind]) => kind === 'feature').length).toBeGreaterThan(500);
    expect(live.filter(([kind]) => kind === 'version').length).toBeGreaterThan(10_000);
    const before = generation(rollout);
    const progress: { done: number; total: number }[] = [];
    await rollout.projections.rebuild({ onProgress: (p) => progress.push(p) });
    expect(generation(rollout)).toBe(before + 1);
    expect(dump(rollout)).toEqual(live);
    const total = Number(await rollout.store.headPosition());
    expect(total).toBeGreaterThanOrEqual(EVENTS);
    expect(progress[progress.length - 1]).toEqual({ done: total, total });

    // Another adapter with other batch boundaries gives the same bytes too.
    const storage = createInMemoryReadModelStorage(['featureState']);
    const other = createProjections({ store: memory, storage, projections: [createFeatureStateProjection({ cacheSize: 50 })], batchSize: 1500 });
    await other.catchUp();
    expect(storage.dump('featureState')).toEqual(live);
  }, 60_000);

  it('survives kill -9: readers keep the old model, and the rebuild resumes where it stopped', async () => {
    const live = dump(rollout);
    const before = generation(rollout);
    const someFeature = JSON.parse(live.find(([kind]) => kind === 'feature')![2]) as { environmentId: string; featureId: string };
    const stateBefore = await rollout.readSide.featureState(someFeature.environmentId, someFeature.featureId);

    const killed = await runRebuild(20_000);
    expect(killed.killed).toBe(true);
    expect(killed.finished).toBe(false);
    expect(generation(rollout)).toBe(before);
    expect(dump(rollout)).toEqual(live);
    expect(await rollout.readSide.featureState(someFeature.environmentId, someFeature.featureId)).toEqual(stateBefore);
    const interrupted = storageOf(rollout).pointer('featureState', 'rebuild');
    expect(interrupted?.checkpoint).not.toBeNull();

    const resumed = await runRebuild();
    expect(resumed.finished).toBe(true);
    // It starts from what the killed run had committed, not from 0.
    expect(resumed.progress[0]).toBe(Number(interrupted!.checkpoint));
    expect(generation(rollout)).toBe(before + 1);
    expect(storageOf(rollout).pointer('featureState', 'rebuild')).toBeUndefined();
    expect(dump(rollout)).toEqual(live);
  }, 60_000);
});
