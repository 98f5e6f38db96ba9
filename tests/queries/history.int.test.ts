import { afterEach, describe, expect, it } from 'vitest';
import { ENV, EXPERIMENT, FEATURE, addToRollout, createExperiment, envelope, experimentCommand, registerEnvironment, registerFeature, updateDefault } from '../support/fixtures.ts';
import { createHarness, type Harness } from '../projections/support/harness.ts';

let h: Harness | undefined;
afterEach(async () => h?.close());

describe('audit history', () => {
  it('lists every event of a feature in order with its metadata and a one-line summary', async () => {
    h = await createHarness();
    const correlationId = 'a3f0c7f2-5d7e-4c1b-9b9a-2f6a1c0d9e11';
    await h.send(registerEnvironment('v2'));
    await h.send(registerFeature());
    await h.send(createExperiment());
    const add = addToRollout({ rolloutPercentage: 42, allocations: [{ optionId: 'A', percentage: 60 }, { optionId: 'B', percentage: 40 }] });
    Object.assign(add, { correlationId });
    await h.send(add);
    await h.send(Object.assign(updateDefault({ allocations: [{ optionId: 'A', percentage: 25 }] }), { actor: { type: 'apiKey', id: 'k-1' } }));
    await h.send(addToRollout({ rolloutPercentage: 80, allocations: [{ optionId: 'A', percentage: 50 }, { optionId: 'B', percentage: 50 }] }));

    const history = await h.rollout.readSide.featureHistory(ENV, FEATURE);
    const stored = await h.featureEvents();
    expect(history.map((e) => e.type)).toEqual(['FeatureRegistered', 'ExperimentCreated', 'RolloutSegmentCreated', 'DefaultAllocationsZeroed', 'EnvironmentDefaultUpdated', 'RolloutTuned']);
    history.forEach((entry, i) => {
      const event = stored[i]!;
      expect(entry).toMatchObject({
        position: event.position.toString(),
        streamId: `featureState-${ENV}/${FEATURE}`,
        revision: i,
        occurredAt: event.metadata.occurredAt,
        commandId: event.metadata.commandId,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        data: event.data,
      });
    });
    const zeroed = history[3]!;
    expect(zeroed).toMatchObject({ commandId: add.commandId, correlationId, causationId: add.commandId, actor: { type: 'user', id: 'u-17' } });
    expect(zeroed.summary).toBe('user u-17 set rollout to 42% (A 60, B 40) — default allocations zeroed: A 30->0, B 30->0, C 40->0');
    expect(history[4]!.summary).toBe('API key k-1 edited the environment default: allocations A 0->25, B 0->0, C 0->0');
    expect(history[5]!.summary).toMatch(/^user u-17 set rollout to 80% \(was 42%\) \(A 50, B 50\) for experiment exp-1/);
    for (const entry of history) expect(entry.summary).not.toContain('\n');
  });

  it("lists exactly an experiment's events, DefaultAllocationsZeroed included, and nothing else", async () => {
    h = await createHarness();
    await h.send(registerEnvironment('v1'));
    await h.send(registerFeature());
    await h.send(registerFeature('other'));
    await h.send(createExperiment());
    await h.send(createExperiment('exp-2', 'other'));
    await h.send(addToRollout({ rolloutPercentage: 10, allocations: [] }));
    await h.send(updateDefault({ enabled: false }));
    await h.send(addToRollout({ rolloutPercentage: 10, allocations: [] }, 'exp-2', 'other'));
    await h.send(experimentCommand('StartExperiment'));
    await h.send(experimentCommand('CompleteExperiment'));
    await h.send(envelope('CreateExperiment', { environmentId: ENV, featureId: FEATURE, experimentId: 'exp-3', name: 'next' }));

    const history = await h.rollout.readSide.experimentHistory(EXPERIMENT);
    expect(history.map((e) => e.type)).toEqual(['ExperimentIdReserved', 'ExperimentCreated', 'RolloutSegmentCreated', 'DefaultAllocationsZeroed', 'ExperimentStarted', 'ExperimentCompleted']);
    expect(history.every((e) => (e.data as { experimentId: string }).experimentId === EXPERIMENT)).toBe(true);
    const positions = history.map((e) => BigInt(e.position));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(history[0]!.streamId).toBe(`experiment-${EXPERIMENT}`);
    expect(history[0]!.commandId).toBe(history[1]!.commandId);
    expect(history.map((e) => e.summary)).toEqual([
      `user u-17 reserved experiment id exp-1 for feature ${FEATURE} in environment ${ENV}`,
      'user u-17 created experiment exp-1 "Experiment exp-1"',
      expect.stringMatching(/^user u-17 set rollout to 10% \(no allocations\) for experiment exp-1: created segment experiment-exp-1-rollout/),
      'user u-17 set rollout to 10% (no allocations) — default allocations zeroed: A 30->0, B 30->0, C 40->0',
      'user u-17 started experiment exp-1',
      'user u-17 completed experiment exp-1',
    ]);
    expect(await h.rollout.readSide.experimentHistory('unknown')).toEqual([]);
  });
});
