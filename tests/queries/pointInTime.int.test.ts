import { afterEach, describe, expect, it } from 'vitest';
import { createCommandBus } from '../../src/application/commandBus.ts';
import type { FeatureStateView } from '../../src/queries/readSide.ts';
import { ENV, FEATURE, addToRollout, createExperiment, experimentCommand, registerEnvironment, registerFeature, updateDefault } from '../support/fixtures.ts';
import { createHarness, type Harness } from '../projections/support/harness.ts';

let h: Harness | undefined;
afterEach(async () => h?.close());

const commands = () => [
  registerFeature(),
  createExperiment(),
  addToRollout({ rolloutPercentage: 20, allocations: [{ optionId: 'A', percentage: 50 }, { optionId: 'B', percentage: 50 }] }),
  updateDefault({ allocations: [{ optionId: 'A', percentage: 25 }] }),
  experimentCommand('StartExperiment'),
  addToRollout({ rolloutPercentage: 80, allocations: [{ optionId: 'A', percentage: 40 }] }),
  experimentCommand('PauseExperiment'),
];

describe.each(['v1', 'v2'] as const)('point-in-time state (%s)', (mode) => {
  it('equals what the live read model showed at that position and at that time', async () => {
    h = await createHarness();
    let tick = Date.UTC(2025, 0, 1);
    // A bus with a clock one minute per command, so times are known.
    const bus = createCommandBus({ store: h.store, clock: () => new Date((tick += 60_000)) });
    await bus.send(registerEnvironment(mode));
    const seen: { position: bigint; at: string; state: FeatureStateView }[] = [];
    for (const command of commands()) {
      const result = await bus.send(command);
      expect(result.status).toBe('accepted');
      await h.rollout.projections.catchUp();
      seen.push({ position: BigInt(result.position!), at: new Date(tick).toISOString(), state: (await h.state())! });
    }
    for (const moment of seen) {
      expect(await h.rollout.readSide.featureState(ENV, FEATURE, { position: moment.position })).toEqual(moment.state);
      expect(await h.rollout.readSide.featureState(ENV, FEATURE, { at: moment.at })).toEqual(moment.state);
      // Thirty seconds later nothing else had happened yet.
      expect(await h.rollout.readSide.featureState(ENV, FEATURE, { at: new Date(Date.parse(moment.at) + 30_000).toISOString() })).toEqual(moment.state);
    }
    // Before the feature existed, and inside a command (the first add's two events): never half a command.
    expect(await h.rollout.readSide.featureState(ENV, FEATURE, { position: 1n })).toBeUndefined();
    const firstAdd = seen[2]!;
    expect(await h.rollout.readSide.featureState(ENV, FEATURE, { position: firstAdd.position - 1n })).toEqual(firstAdd.state);
    if (mode === 'v2') expect(seen.map((s) => s.state.version)).toEqual([1, 1, 2, 3, 3, 4, 4]);

    // Evaluation of a past state uses that state.
    const past = await h.rollout.readSide.evaluate(ENV, FEATURE, 'user-1', { position: seen[0]!.position });
    expect(past?.segmentId).toBeNull();
    expect(['A', 'B', 'C']).toContain(past?.optionId);
    const features = await h.rollout.readSide.environmentFeatures(ENV, { position: seen[0]!.position });
    expect(features).toEqual([seen[0]!.state]);
  });

  it('rejects a time that is not ISO-8601', async () => {
    h = await createHarness();
    await h.send(registerEnvironment(mode));
    await expect(h.rollout.readSide.featureState(ENV, FEATURE, { at: 'yesterday' })).rejects.toThrow(/ISO-8601/);
  });
});
