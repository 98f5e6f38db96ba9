import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as f from '../support/fixtures.ts';
import { createTestRollout, type TestRollout } from '../http/support/testRollout.ts';
import { runInProcess } from './support/runInProcess.ts';

let rollout: TestRollout;
beforeEach(() => {
  rollout = createTestRollout();
});
afterEach(() => rollout.close());

const ndjson = (...commands: unknown[]) => commands.map((c) => JSON.stringify(c)).join('\n');

describe('rollout submit (in-process)', () => {
  it('accepts one object (even pretty-printed), a JSON array, or NDJSON, and prints one result a line', async () => {
    const single = await runInProcess(['submit', '-'], rollout, JSON.stringify(f.registerEnvironment(), null, 2));
    expect(single.code).toBe(0);
    expect(single.results).toMatchObject([{ status: 'accepted', streamId: 'environment-production' }]);

    const array = await runInProcess(['submit'], rollout, JSON.stringify([f.registerFeature(), f.createExperiment()]));
    expect(array.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

    const lines = await runInProcess(['submit'], rollout, `${ndjson(f.registerFeature('f2'), f.createExperiment('e2', 'f2'))}\n\n`);
    expect(lines.results.map((r) => r.events.at(-1).type)).toEqual(['FeatureRegistered', 'ExperimentCreated']);
  });

  it('runs the example scenario end to end, and re-running it only reports duplicates', async () => {
    const first = await runInProcess(['submit', 'examples/checkout-cta-experiment.ndjson'], rollout);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.results.map((r) => r.status)).toEqual(Array(9).fill('accepted'));
    expect(first.results[3].events.map((e: { type: string }) => e.type)).toEqual(['RolloutSegmentCreated', 'DefaultAllocationsZeroed']);
    const again = await runInProcess(['submit', 'examples/checkout-cta-experiment.ndjson'], rollout);
    expect(again.results.map((r) => r.status)).toEqual(Array(9).fill('duplicate'));
  });

  it('sends nothing when any line is malformed, and says which line (exit 2)', async () => {
    const run = await runInProcess(['submit'], rollout, `${JSON.stringify(f.registerEnvironment())}\n{"type":\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 2: malformed JSON');
    expect(rollout.sent).toHaveLength(0);
  });

  it('keeps going after a rejection and exits with the first failure; --fail-fast stops there', async () => {
    const all = await runInProcess(['submit'], rollout, ndjson(f.registerEnvironment(), f.registerEnvironment(), { nonsense: 1 }, f.registerFeature()));
    expect(all.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'accepted']);
    expect(all.code).toBe(3);
    expect(all.stderr).toContain('already registered');

    const fast = await runInProcess(['submit', '--fail-fast'], rollout, ndjson({ nonsense: 1 }, f.registerFeature('other')));
    expect(fast.results).toHaveLength(1);
    expect(fast.code).toBe(2);
  });

  it('reads the store setting from --store and refuses a bad one with exit 2 before opening anything', async () => {
    const ok = await runInProcess(['submit', '--store', 'memory:'], rollout, JSON.stringify(f.registerEnvironment()));
    expect(ok.opened).toEqual(['memory:']);
    const bad = await runInProcess(['submit', '--store', 'postgres://x'], rollout, JSON.stringify(f.registerEnvironment()));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--store: invalid store setting.*accepted forms/);
    expect(bad.opened).toEqual([]);
  });
});
