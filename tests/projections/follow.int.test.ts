import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRollout } from '../../src/app/openRollout.ts';
import type { Rollout } from '../../src/app/rollout.ts';
import { ENV, FEATURE, addToRollout, createExperiment, registerEnvironment, registerFeature } from '../support/fixtures.ts';

let dir: string;
const opened: Rollout[] = [];
const open = async (extra: { pollIntervalMs?: number } = {}) => {
  const rollout = await openRollout({ store: `sqlite:${join(dir, 'rollout.db')}`, ...extra });
  opened.push(rollout);
  return rollout;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'follow-'));
});
afterEach(async () => {
  for (const r of opened.splice(0)) await r.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('projection runner on SQLite', () => {
  it('follows appends of its own process and of another process sharing the file', async () => {
    const server = await open({ pollIntervalMs: 50 });
    await server.projections.follow();
    const writer = await open();
    await writer.bus.send(registerEnvironment('v2'));
    const registered = await writer.bus.send(registerFeature());
    // The writer is another connection: the follower only learns of it by polling, so wait
    // a few poll intervals without asking it to catch up (waitForPosition would).
    const deadline = Date.now() + 5_000;
    while ((await server.projections.status())[0]!.checkpoint !== registered.position && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect((await server.projections.status())[0]!.checkpoint).toBe(registered.position);
    expect((await server.readSide.featureState(ENV, FEATURE))?.version).toBe(1);

    const own = await server.bus.send(createExperiment());
    expect(await server.projections.waitForPosition(BigInt(own.position!), 5_000)).toBe(true);
    expect((await server.readSide.featureState(ENV, FEATURE))?.experiments.map((e) => e.status)).toEqual(['created']);
    const [status] = await server.projections.status();
    expect(status).toEqual({ name: 'featureState', checkpoint: own.position, head: own.position, lag: 0 });
  });

  it('keeps the read model and its checkpoint in the file: a new process applies only the new events', async () => {
    const first = await open();
    await first.bus.send(registerEnvironment('v1'));
    await first.bus.send(registerFeature());
    await first.projections.catchUp();
    const before = await first.readSide.featureState(ENV, FEATURE);
    await first.bus.send(createExperiment());
    await first.close();

    const second = await open();
    expect(await second.readSide.featureState(ENV, FEATURE)).toEqual(before);
    // Not yet applied: CreateExperiment's reservation of the id and ExperimentCreated.
    expect((await second.projections.status())[0]).toMatchObject({ checkpoint: before!.position, lag: 2 });
    await second.projections.catchUp();
    const after = await second.readSide.featureState(ENV, FEATURE);
    expect(after?.version).toBe(before!.version + 1);
    expect(after?.experiments).toHaveLength(1);
  });

  it('two processes catching up at once apply every event exactly once', async () => {
    const a = await open();
    const b = await open();
    await a.bus.send(registerEnvironment('v2'));
    await a.bus.send(registerFeature());
    await a.bus.send(createExperiment());
    for (let i = 1; i <= 30; i++) await a.bus.send(addToRollout({ rolloutPercentage: i, allocations: [] }));
    await Promise.all([a.projections.catchUp(), b.projections.catchUp(), a.projections.catchUp()]);
    const state = await b.readSide.featureState(ENV, FEATURE);
    // register (1), first add (2), 29 tunings: one version each.
    expect(state?.version).toBe(31);
    expect((await a.readSide.featureVersions!(ENV, FEATURE)).map((v) => v.version)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(state?.segmentOverrides[0]?.rolloutPercentage).toBe(30);
  });

  it('evaluates an identity against the current state', async () => {
    const r = await open();
    await r.bus.send(registerEnvironment('v1'));
    await r.bus.send(registerFeature());
    await r.bus.send(createExperiment());
    await r.bus.send(addToRollout({ rolloutPercentage: 100, allocations: [{ optionId: 'B', percentage: 100 }] }));
    await r.projections.catchUp();
    const result = await r.readSide.evaluate(ENV, FEATURE, 'user-1');
    const state = await r.readSide.featureState(ENV, FEATURE);
    expect(result).toMatchObject({ identity: 'user-1', identityKey: `key-${ENV}_user-1`, enabled: true, optionId: 'B', variant: 'b', segmentId: state!.segmentOverrides[0]!.segmentId });
    expect(await r.readSide.evaluate(ENV, 'missing', 'user-1')).toBeUndefined();
    expect((await r.readSide.environment(ENV))?.apiKey).toBe(`key-${ENV}`);
  });
});
