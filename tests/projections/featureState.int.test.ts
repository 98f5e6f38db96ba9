import { afterEach, describe, expect, it } from 'vitest';
import type { Allocation } from '../../src/domain/values.ts';
import type { FeatureStateView, SegmentOverrideView } from '../../src/queries/readSide.ts';
import { ENV, EXPERIMENT, FEATURE, addToRollout, createExperiment, experimentCommand, registerEnvironment, registerFeature, str, updateDefault } from '../support/fixtures.ts';
import { createHarness, type Harness } from './support/harness.ts';

const A = (percentage: number): Allocation => ({ optionId: 'A', percentage });
const B = (percentage: number): Allocation => ({ optionId: 'B', percentage });
const C = (percentage: number): Allocation => ({ optionId: 'C', percentage });
const ZEROED = [A(0), B(0), C(0)];
const OPTIONS = [
  { optionId: 'A', key: 'a', value: str('red') },
  { optionId: 'B', key: 'b', value: str('green') },
  { optionId: 'C', value: str('blue') },
];

type Mode = 'v1' | 'v2';
type Expect = {
  defaultAllocations: Allocation[];
  defaultEnabled?: boolean;
  defaultValue?: { type: string; value: string };
  override?: { rolloutPercentage: number; enabled: boolean; allocations: Allocation[]; value?: { type: string; value: string } };
  status: 'created' | 'running' | 'paused' | 'completed';
  /** v2: the command that published the current version. */
  publishedBy?: { commandId: string };
};

/**
 * The full state JSON a user should see, built from the domain rules and the ids
 * recorded in the log (the default's seed from FeatureRegistered, the segment id and
 * the override's seed from RolloutSegmentCreated).
 */
const expectedState = async (h: Harness, mode: Mode, e: Expect): Promise<FeatureStateView> => {
  const events = await h.featureEvents();
  const registered = await h.eventOf('FeatureRegistered');
  const created = await h.eventOf('RolloutSegmentCreated');
  const last = events[events.length - 1]!;
  const overrides: SegmentOverrideView[] =
    e.override && created
      ? [
          {
            segmentId: created.segment.segmentId,
            segmentName: `experiment-${EXPERIMENT}-rollout`,
            experimentId: EXPERIMENT,
            priority: 0,
            rolloutPercentage: e.override.rolloutPercentage,
            enabled: e.override.enabled,
            value: (e.override.value ?? str('control')) as FeatureStateView['environmentDefault']['value'],
            hashingSeed: created.override.hashingSeed,
            allocations: e.override.allocations,
          },
        ]
      : [];
  const published = mode === 'v2' && e.publishedBy ? events.filter((ev) => ev.metadata.commandId === e.publishedBy!.commandId) : [];
  return {
    environmentId: ENV,
    featureId: FEATURE,
    name: FEATURE,
    versioning: mode,
    // v1 counts every change applied to the feature; v2 is the current version number.
    version: mode === 'v1' ? events.length : await h.versions(),
    position: last.position.toString(),
    ...(published.length > 0 ? { publishedAt: published[0]!.metadata.occurredAt, publishedByCommandId: e.publishedBy!.commandId } : {}),
    options: OPTIONS as FeatureStateView['options'],
    environmentDefault: {
      enabled: e.defaultEnabled ?? true,
      value: (e.defaultValue ?? str('control')) as FeatureStateView['environmentDefault']['value'],
      hashingSeed: registered.hashingSeed,
      allocations: e.defaultAllocations,
    },
    segmentOverrides: overrides,
    experiments: [
      { experimentId: EXPERIMENT, name: `Experiment ${EXPERIMENT}`, status: e.status, ...(created ? { segmentId: created.segment.segmentId } : {}) },
    ] as FeatureStateView['experiments'],
  };
};

let harness: Harness | undefined;
afterEach(async () => harness?.close());

/** Registers the fixture and an experiment; returns the harness and a "send and count versions" helper. */
const setUp = async (mode: Mode) => {
  const h = (harness = await createHarness());
  const versionsPublished = async (command: { commandId: string }) => {
    const before = await h.versions();
    const result = await h.send(command);
    return { result, published: (await h.versions()) - before };
  };
  await h.send(registerEnvironment(mode));
  const registered = await versionsPublished(registerFeature());
  expect(registered.published).toBe(mode === 'v2' ? 1 : 0);
  const created = await versionsPublished(createExperiment());
  expect(created.published).toBe(0);
  return { h, send: versionsPublished, v2: mode === 'v2' ? 1 : 0 };
};

describe.each(['v1', 'v2'] as const)('feature-state projection (%s)', (mode) => {
  it('1/2. first add at 42%, A=60 B=40: segment at 42, default zeroed, override A=60 B=40 with no C row; one version', async () => {
    const { h, send, v2 } = await setUp(mode);
    const add = addToRollout({ rolloutPercentage: 42, allocations: [A(60), B(40)] });
    const { result, published } = await send(add);
    expect(result.status).toBe('accepted');
    expect(published).toBe(v2);
    expect(await h.state()).toEqual(
      await expectedState(h, mode, { defaultAllocations: ZEROED, override: { rolloutPercentage: 42, enabled: true, allocations: [A(60), B(40)] }, status: 'created', publishedBy: add }),
    );
    if (mode === 'v2') {
      const versions = await h.rollout.readSide.featureVersions!(ENV, FEATURE);
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
      // Version 1 stays what registration published.
      expect(versions[0]!.environmentDefault.allocations).toEqual([A(30), B(30), C(40)]);
      expect(versions[0]!.segmentOverrides).toEqual([]);
      expect(versions[1]!.environmentDefault.allocations).toEqual(ZEROED);
    }
  });

  it('3. a hand edit of the default after the first add survives a later add', async () => {
    const { h, send, v2 } = await setUp(mode);
    expect((await send(addToRollout({ rolloutPercentage: 20, allocations: [A(50), B(50)] }))).published).toBe(v2);
    expect((await send(updateDefault({ allocations: [A(25)] }))).published).toBe(v2);
    const later = addToRollout({ rolloutPercentage: 80, allocations: [A(50), B(50)] });
    expect((await send(later)).published).toBe(v2);
    expect(await h.state()).toEqual(
      await expectedState(h, mode, { defaultAllocations: [A(25), B(0), C(0)], override: { rolloutPercentage: 80, enabled: true, allocations: [A(50), B(50)] }, status: 'created', publishedBy: later }),
    );
  });

  it('4. an add with enabled=false on an existing rollout disables the override and sets the percentage', async () => {
    const { h, send, v2 } = await setUp(mode);
    await send(addToRollout({ rolloutPercentage: 20, allocations: [A(50), B(50)] }));
    const disable = addToRollout({ rolloutPercentage: 35, allocations: [], enabled: false });
    expect((await send(disable)).published).toBe(v2);
    expect(await h.state()).toEqual(
      await expectedState(h, mode, { defaultAllocations: ZEROED, override: { rolloutPercentage: 35, enabled: false, allocations: [A(50), B(50)] }, status: 'created', publishedBy: disable }),
    );
  });

  it('5. running and paused experiments accept later adds and never re-zero the default', async () => {
    const { h, send, v2 } = await setUp(mode);
    await send(addToRollout({ rolloutPercentage: 10, allocations: [A(50), B(50)] }));
    expect((await send(experimentCommand('StartExperiment'))).published).toBe(0);
    await send(updateDefault({ allocations: [C(70)] }));
    expect((await send(addToRollout({ rolloutPercentage: 30, allocations: [A(40)] }))).published).toBe(v2);
    expect((await send(experimentCommand('PauseExperiment'))).published).toBe(0);
    const last = addToRollout({ rolloutPercentage: 50, allocations: [C(10)] });
    expect((await send(last)).published).toBe(v2);
    expect(await h.state()).toEqual(
      await expectedState(h, mode, { defaultAllocations: [A(0), B(0), C(70)], override: { rolloutPercentage: 50, enabled: true, allocations: [A(40), B(50), C(10)] }, status: 'paused', publishedBy: last }),
    );
  });

  it('6/7/8. rejected commands (completed experiment, duplicate or foreign options, sums over 100) change nothing', async () => {
    const { h, send } = await setUp(mode);
    const first = addToRollout({ rolloutPercentage: 10, allocations: [A(50), B(50)] });
    await send(first);
    const before = await h.state();
    for (const rejected of [
      addToRollout({ rolloutPercentage: 10, allocations: [A(10), A(20)] }),
      addToRollout({ rolloutPercentage: 10, allocations: [{ optionId: 'Z', percentage: 10 }] }),
      addToRollout({ rolloutPercentage: 10, allocations: [A(60), B(50)] }),
      addToRollout({ rolloutPercentage: 10, allocations: [A(60)] }), // effective total 110
    ]) {
      const { result, published } = await send(rejected);
      expect(result.status).toBe('rejected');
      expect(published).toBe(0);
    }
    expect(await h.state()).toEqual(before);
    await send(experimentCommand('StartExperiment'));
    await send(experimentCommand('CompleteExperiment'));
    const completed = await h.state();
    const { result, published } = await send(addToRollout({ rolloutPercentage: 90, allocations: [] }));
    expect(result.status).toBe('rejected');
    expect(published).toBe(0);
    expect(await h.state()).toEqual(completed);
    expect(completed).toEqual(
      await expectedState(h, mode, { defaultAllocations: ZEROED, override: { rolloutPercentage: 10, enabled: true, allocations: [A(50), B(50)] }, status: 'completed', publishedBy: first }),
    );
  });

  it('9. a null default value is kept as the empty string', async () => {
    const h = (harness = await createHarness());
    await h.send(registerEnvironment(mode));
    const feature = registerFeature();
    (feature.data as { value: unknown }).value = null;
    await h.send(feature);
    const state = await h.state();
    expect(state?.environmentDefault.value).toEqual({ type: 'string', value: '' });
    expect(state?.version).toBe(1);
  });

  it('10. starting with a disabled override enables it (allocations kept, one version); with an enabled one no flag change', async () => {
    const { h, send, v2 } = await setUp(mode);
    await send(addToRollout({ rolloutPercentage: 25, allocations: [A(60), B(40)], enabled: false }));
    const start = experimentCommand('StartExperiment');
    expect((await send(start)).published).toBe(v2);
    expect(await h.state()).toEqual(
      await expectedState(h, mode, { defaultAllocations: ZEROED, override: { rolloutPercentage: 25, enabled: true, allocations: [A(60), B(40)] }, status: 'running', publishedBy: start }),
    );
    await send(experimentCommand('PauseExperiment'));
    const restart = await send(experimentCommand('StartExperiment'));
    expect(restart.result.status).toBe('accepted');
    expect(restart.published).toBe(0);
    expect((await h.state())?.experiments[0]?.status).toBe('running');
  });

  it('11. two first adds at once: one segment, one zeroing, the other a tuning; one version each', async () => {
    const { h, v2 } = await setUp(mode);
    const versionsBefore = await h.versions();
    const first = addToRollout({ rolloutPercentage: 30, allocations: [A(50), B(50)] });
    const second = addToRollout({ rolloutPercentage: 60, allocations: [A(50), B(50)] });
    const results = await Promise.all([h.rollout.bus.send(first), h.rollout.bus.send(second)]);
    await h.rollout.projections.catchUp();
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const types = (await h.featureEvents()).map((e) => e.type);
    expect(types.filter((t) => t === 'RolloutSegmentCreated')).toHaveLength(1);
    expect(types.filter((t) => t === 'DefaultAllocationsZeroed')).toHaveLength(1);
    expect(types.filter((t) => t === 'RolloutTuned')).toHaveLength(1);
    expect((await h.versions()) - versionsBefore).toBe(2 * v2);
    const tuning = (await h.featureEvents()).find((e) => e.type === 'RolloutTuned')!;
    const winner = [first, second].find((c) => c.commandId === tuning.metadata.commandId)!;
    expect(await h.state()).toEqual(
      await expectedState(h, mode, {
        defaultAllocations: ZEROED,
        override: { rolloutPercentage: winner.data.rolloutPercentage as number, enabled: true, allocations: [A(50), B(50)] },
        status: 'created',
        publishedBy: winner,
      }),
    );
  });

  it('12. empty allocations on a first add: default zeroed, override without rows', async () => {
    const { h, send, v2 } = await setUp(mode);
    const add = addToRollout({ rolloutPercentage: 15, allocations: [], controlValue: str('rollout') });
    expect((await send(add)).published).toBe(v2);
    expect(await h.state()).toEqual(
      await expectedState(h, mode, { defaultAllocations: ZEROED, override: { rolloutPercentage: 15, enabled: true, allocations: [], value: str('rollout') }, status: 'created', publishedBy: add }),
    );
  });

  it('an unchanged add publishes no version', async () => {
    const { h, send } = await setUp(mode);
    const spec = { rolloutPercentage: 20, allocations: [A(50), B(50)] };
    await send(addToRollout(spec));
    const before = await h.state();
    const again = await send(addToRollout(spec));
    expect(again.result.status).toBe('unchanged');
    expect(again.published).toBe(0);
    expect(await h.state()).toEqual(before);
  });
});
