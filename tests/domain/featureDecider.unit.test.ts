import { describe, expect, it } from 'vitest';
import { commandDataSchemas } from '../../src/domain/commands.ts';
import type { EnvironmentState } from '../../src/domain/environment/environmentState.ts';
import type { FeatureEvent } from '../../src/domain/events.ts';
import { decide, evolve, initialFeatureState, type FeatureCommand, type FeatureState } from '../../src/domain/featureState/featureDecider.ts';
import { deciderSpecification } from '../support/deciderSpecification.ts';

const environment: EnvironmentState = { registered: true, environmentId: 'E', apiKey: 'ENVKEY', versioning: 'v1', serverKeys: [] };
const context = { environment, newHashingSeed: 'seed-new', newSegmentId: 'segment-new' };
const spec = deciderSpecification<FeatureCommand, FeatureEvent, FeatureState>({
  decide: (command, state) => decide(command, state, context),
  evolve,
  initialState: initialFeatureState,
});

/** Commands go through their zod schema, exactly as the bus does. */
const command = <T extends FeatureCommand['type']>(type: T, data: Record<string, unknown>): FeatureCommand =>
  ({ type, data: commandDataSchemas[type].parse(data) }) as FeatureCommand;

const ref = { environmentId: 'E', featureId: 'F' };
const xref = { ...ref, experimentId: 'X' };
const control = { type: 'string' as const, value: 'control' };
const rows = (a: number, b: number, c?: number) => [
  { optionId: 'A', percentage: a },
  { optionId: 'B', percentage: b },
  ...(c === undefined ? [] : [{ optionId: 'C', percentage: c }]),
];

const featureRegistered: FeatureEvent = {
  type: 'FeatureRegistered',
  data: {
    ...ref,
    name: 'F',
    enabled: true,
    value: control,
    options: ['A', 'B', 'C'].map((optionId) => ({ optionId, value: { type: 'string' as const, value: optionId.toLowerCase() } })),
    defaultAllocations: rows(30, 30, 40),
    hashingSeed: 'seed-default',
  },
};
const experimentCreated: FeatureEvent = { type: 'ExperimentCreated', data: { ...xref, name: 'X' } };
const rolloutCreated = (percentage: number, allocations = rows(50, 50), enabled = true): FeatureEvent[] => [
  {
    type: 'RolloutSegmentCreated',
    data: {
      ...xref,
      segment: { segmentId: 'segment-1', name: 'experiment-X-rollout', rolloutPercentage: percentage },
      override: { priority: 0, enabled, value: control, hashingSeed: 'seed-1', allocations },
    },
  },
  { type: 'DefaultAllocationsZeroed', data: { ...xref, allocations: rows(0, 0, 0), replaced: rows(30, 30, 40) } },
];
const started: FeatureEvent = { type: 'ExperimentStarted', data: { ...xref, overrideEnabled: false } };
const paused: FeatureEvent = { type: 'ExperimentPaused', data: xref };
const completed: FeatureEvent = { type: 'ExperimentCompleted', data: xref };

/** The exact pair a first add emits, built from the rules rather than from the code. */
const firstAddEvents = (
  rolloutPercentage: number,
  allocations: { optionId: string; percentage: number }[],
  options: { enabled?: boolean; value?: { type: 'string'; value: string }; priority?: number; replaced?: { optionId: string; percentage: number }[]; experimentId?: string } = {},
): FeatureEvent[] => {
  const experimentId = options.experimentId ?? 'X';
  return [
    {
      type: 'RolloutSegmentCreated',
      data: {
        ...ref,
        experimentId,
        segment: { segmentId: 'segment-new', name: `experiment-${experimentId}-rollout`, rolloutPercentage },
        override: { priority: options.priority ?? 0, enabled: options.enabled ?? true, value: options.value ?? control, hashingSeed: 'seed-new', allocations },
      },
    },
    { type: 'DefaultAllocationsZeroed', data: { ...ref, experimentId, allocations: rows(0, 0, 0), replaced: options.replaced ?? rows(30, 30, 40) } },
  ];
};

const tunedEvent = (rolloutPercentage: number, allocations: { optionId: string; percentage: number }[], previous: { rolloutPercentage: number; allocations: { optionId: string; percentage: number }[] }, enabled = true): FeatureEvent => ({
  type: 'RolloutTuned',
  data: { ...xref, segmentId: 'segment-1', rolloutPercentage, enabled, value: control, allocations, previous: { rolloutPercentage: previous.rolloutPercentage, enabled: true, value: control, allocations: previous.allocations } },
});

const add = (rolloutPercentage: number, allocations: { optionId: string; percentage: number }[], extra: Record<string, unknown> = {}) =>
  command('AddFeatureToExperimentRollout', { ...xref, enabled: true, rolloutPercentage, controlValue: control, allocations, ...extra });

describe('AddFeatureToExperimentRollout', () => {
  it('scenario 1: a first add creates the segment and zeroes every option of the default', () => {
    spec
      .given([featureRegistered, experimentCreated])
      .when(add(42, rows(60, 40)))
      .then([
        {
          type: 'RolloutSegmentCreated',
          data: {
            ...xref,
            segment: { segmentId: 'segment-new', name: 'experiment-X-rollout', rolloutPercentage: 42 },
            override: { priority: 0, enabled: true, value: control, hashingSeed: 'seed-new', allocations: rows(60, 40) },
          },
        },
        { type: 'DefaultAllocationsZeroed', data: { ...xref, allocations: rows(0, 0, 0), replaced: rows(30, 30, 40) } },
      ]);
  });

  it('zeroes options that had no default allocation row too, and records what it replaced', () => {
    const partial: FeatureEvent = { type: 'EnvironmentDefaultUpdated', data: { ...ref, enabled: true, value: control, allocations: [{ optionId: 'A', percentage: 30 }], previous: { enabled: true, value: control, allocations: [] } } };
    const noRows: FeatureEvent = { ...featureRegistered, data: { ...featureRegistered.data, defaultAllocations: [] } } as FeatureEvent;
    spec.given([noRows, partial, experimentCreated]).when(add(10, [])).then(firstAddEvents(10, [], { replaced: [{ optionId: 'A', percentage: 30 }] }));
  });

  it('zeroes the default even when the rollout is disabled and the experiment only created', () => {
    spec.given([featureRegistered, experimentCreated]).when(add(20, rows(50, 50), { enabled: false })).then(firstAddEvents(20, rows(50, 50), { enabled: false }));
  });

  it('scenario 12: empty allocations on a first add give an override with no rows and a zeroed default', () => {
    spec.given([featureRegistered, experimentCreated]).when(add(30, [])).then(firstAddEvents(30, []));
  });

  it('scenario 3: a later add only tunes; a hand edit of the default made after the first add survives', () => {
    const handEdit: FeatureEvent = {
      type: 'EnvironmentDefaultUpdated',
      data: { ...ref, enabled: true, value: control, allocations: rows(25, 0, 0), previous: { enabled: true, value: control, allocations: rows(0, 0, 0) } },
    };
    spec
      .given([featureRegistered, experimentCreated, ...rolloutCreated(20), handEdit])
      .when(add(80, rows(50, 50)))
      .then([
        {
          type: 'RolloutTuned',
          data: { ...xref, segmentId: 'segment-1', rolloutPercentage: 80, enabled: true, value: control, allocations: rows(50, 50), previous: { rolloutPercentage: 20, enabled: true, value: control, allocations: rows(50, 50) } },
        },
      ]);
    const state = [featureRegistered, experimentCreated, ...rolloutCreated(20), handEdit].reduce(evolve, initialFeatureState());
    expect(state.registered && state.environmentDefault.allocations).toEqual(rows(25, 0, 0));
  });

  it('scenario 4: a later add with enabled=false disables the override and sets the percentage', () => {
    spec
      .given([featureRegistered, experimentCreated, ...rolloutCreated(20)])
      .when(add(80, [], { enabled: false }))
      .then([
        {
          type: 'RolloutTuned',
          data: { ...xref, segmentId: 'segment-1', rolloutPercentage: 80, enabled: false, value: control, allocations: rows(50, 50), previous: { rolloutPercentage: 20, enabled: true, value: control, allocations: rows(50, 50) } },
        },
      ]);
  });

  it.each([
    ['running', [started]],
    ['paused', [started, paused]],
  ])('scenario 5: a %s experiment accepts later adds and never re-zeroes the default', (_status, history) => {
    spec
      .given([featureRegistered, experimentCreated, ...rolloutCreated(20), ...history])
      .when(add(50, []))
      .then([tunedEvent(50, rows(50, 50), { rolloutPercentage: 20, allocations: rows(50, 50) })]);
  });

  it('merges allocations: listed options are set, unlisted rows stay', () => {
    spec
      .given([featureRegistered, experimentCreated, ...rolloutCreated(20, rows(50, 30))])
      .when(add(20, [{ optionId: 'B', percentage: 0 }, { optionId: 'C', percentage: 10 }]))
      .then([tunedEvent(20, rows(50, 0, 10), { rolloutPercentage: 20, allocations: rows(50, 30) })]);
  });

  it('a later add that changes nothing emits nothing', () => {
    spec.given([featureRegistered, experimentCreated, ...rolloutCreated(20)]).when(add(20, rows(50, 50))).thenNothingHappens();
    spec.given([featureRegistered, experimentCreated, ...rolloutCreated(20)]).when(add(20, [])).thenNothingHappens();
  });

  it('a second experiment after a completed one gets its own segment, after the first override', () => {
    const second: FeatureEvent = { type: 'ExperimentCreated', data: { ...ref, experimentId: 'Y', name: 'Y' } };
    spec
      .given([featureRegistered, experimentCreated, ...rolloutCreated(20), started, completed, second])
      .when(command('AddFeatureToExperimentRollout', { ...ref, experimentId: 'Y', enabled: true, rolloutPercentage: 10, controlValue: control, allocations: [] }))
      .then(firstAddEvents(10, [], { experimentId: 'Y', priority: 1, replaced: rows(0, 0, 0) }));
  });

  it('scenario 6: a completed experiment is rejected', () => {
    spec.given([featureRegistered, experimentCreated, ...rolloutCreated(20), started, completed]).when(add(30, [])).thenRejects('rule_violated', /completed/);
  });

  it('scenario 7: an option of another feature is rejected, naming it', () => {
    spec.given([featureRegistered, experimentCreated]).when(add(30, [{ optionId: 'Z', percentage: 10 }])).thenRejects('rule_violated', /\[Z\] do not belong to feature F/);
  });

  it('scenario 8: an effective total over 100 is rejected (override A=50 B=50, add A=60)', () => {
    spec.given([featureRegistered, experimentCreated, ...rolloutCreated(20)]).when(add(20, [{ optionId: 'A', percentage: 60 }])).thenRejects('rule_violated', /110%/);
  });

  it('an unknown experiment, or one created on another feature, is not found', () => {
    spec.given([featureRegistered]).when(add(30, [])).thenRejects('not_found', /experiment X/);
    // X exists on F; the same add against feature G (its own stream) does not see it.
    const onOtherFeature = { ...featureRegistered, data: { ...featureRegistered.data, featureId: 'G' } } as FeatureEvent;
    spec.given([onOtherFeature]).when(command('AddFeatureToExperimentRollout', { ...xref, featureId: 'G', enabled: true, rolloutPercentage: 30, controlValue: control, allocations: [] })).thenRejects('not_found', /experiment X does not exist for feature G/);
  });

  it('a feature that is not registered is not found', () => {
    spec.given([]).when(add(30, [])).thenRejects('not_found', /feature F/);
  });

  it('scenario 9: a null control value is kept as an empty string', () => {
    spec.given([featureRegistered, experimentCreated]).when(add(30, [], { controlValue: null })).then(firstAddEvents(30, [], { value: { type: 'string', value: '' } }));
  });
});

describe('StartExperiment, PauseExperiment, CompleteExperiment', () => {
  it('scenario 10: starting with a disabled override enables it, allocations kept', () => {
    spec.given([featureRegistered, experimentCreated, ...rolloutCreated(20, rows(60, 40), false)]).when(command('StartExperiment', xref)).then([{ type: 'ExperimentStarted', data: { ...xref, overrideEnabled: true } }]);
    const state = [featureRegistered, experimentCreated, ...rolloutCreated(20, rows(60, 40), false), { type: 'ExperimentStarted', data: { ...xref, overrideEnabled: true } } as FeatureEvent].reduce(evolve, initialFeatureState());
    expect(state.registered && state.segmentOverrides[0]).toMatchObject({ enabled: true, allocations: rows(60, 40) });
  });

  it('scenario 10: starting with the override already enabled, or without a rollout, changes no flag', () => {
    spec.given([featureRegistered, experimentCreated, ...rolloutCreated(20)]).when(command('StartExperiment', xref)).then([{ type: 'ExperimentStarted', data: { ...xref, overrideEnabled: false } }]);
    spec.given([featureRegistered, experimentCreated]).when(command('StartExperiment', xref)).then([{ type: 'ExperimentStarted', data: { ...xref, overrideEnabled: false } }]);
  });

  it('follows created -> running -> paused <-> running -> completed', () => {
    spec.given([featureRegistered, experimentCreated]).when(command('PauseExperiment', xref)).thenRejects('rule_violated', /running, but it is created/);
    spec.given([featureRegistered, experimentCreated]).when(command('CompleteExperiment', xref)).thenRejects('rule_violated', /created/);
    spec.given([featureRegistered, experimentCreated, started]).when(command('StartExperiment', xref)).thenRejects('rule_violated', /running/);
    spec.given([featureRegistered, experimentCreated, started]).when(command('PauseExperiment', xref)).then([{ type: 'ExperimentPaused', data: xref }]);
    spec.given([featureRegistered, experimentCreated, started, paused]).when(command('StartExperiment', xref)).then([{ type: 'ExperimentStarted', data: { ...xref, overrideEnabled: false } }]);
    spec.given([featureRegistered, experimentCreated, started, paused]).when(command('CompleteExperiment', xref)).then([{ type: 'ExperimentCompleted', data: xref }]);
    spec.given([featureRegistered, experimentCreated, started, completed]).when(command('StartExperiment', xref)).thenRejects('rule_violated', /completed/);
  });

  it('an unknown experiment is not found', () => {
    spec.given([featureRegistered]).when(command('StartExperiment', xref)).thenRejects('not_found');
  });
});

describe('CreateExperiment', () => {
  it('needs a multivariate feature', () => {
    const plain = { ...featureRegistered, data: { ...featureRegistered.data, options: [], defaultAllocations: [] } } as FeatureEvent;
    spec.given([plain]).when(command('CreateExperiment', { ...xref, name: 'X' })).thenRejects('rule_violated', /multivariate/);
  });

  it('allows one non-completed experiment per feature', () => {
    spec.given([featureRegistered, experimentCreated]).when(command('CreateExperiment', { ...ref, experimentId: 'Y', name: 'Y' })).thenRejects('rule_violated', /active experiment \(X, created\)/);
    spec
      .given([featureRegistered, experimentCreated, started, completed])
      .when(command('CreateExperiment', { ...ref, experimentId: 'Y', name: 'Y', hypothesis: 'green wins' }))
      .then([{ type: 'ExperimentCreated', data: { ...ref, experimentId: 'Y', name: 'Y', hypothesis: 'green wins' } }]);
  });

  it('never reuses an experiment id on the feature', () => {
    spec.given([featureRegistered, experimentCreated, started, completed]).when(command('CreateExperiment', { ...xref, name: 'again' })).thenRejects('rule_violated', /already exists/);
  });
});

describe('RegisterFeature', () => {
  const register = (extra: Record<string, unknown> = {}) =>
    command('RegisterFeature', { ...ref, name: 'F', enabled: true, value: null, options: [{ optionId: 'A', value: { type: 'integer', value: '7' }, defaultAllocation: 30 }], ...extra });

  it('records the options, the default allocations and a hashing seed; a null value becomes ""', () => {
    spec.given([]).when(register()).then([
      {
        type: 'FeatureRegistered',
        data: { ...ref, name: 'F', enabled: true, value: { type: 'string', value: '' }, options: [{ optionId: 'A', value: { type: 'integer', value: '7' } }], defaultAllocations: [{ optionId: 'A', percentage: 30 }], hashingSeed: 'seed-new' },
      },
    ]);
  });

  it('needs a registered environment and a new feature id', () => {
    expect(decide(register(), initialFeatureState(), { ...context, environment: { registered: false } })).toMatchObject({ ok: false, rejection: { code: 'not_found' } });
    spec.given([featureRegistered]).when(register()).thenRejects('rule_violated', /already registered/);
  });
});

describe('UpdateEnvironmentDefault', () => {
  const update = (data: Record<string, unknown>) => command('UpdateEnvironmentDefault', { ...ref, ...data });

  it('merges allocations like a rollout: listed set, unlisted kept', () => {
    spec.given([featureRegistered]).when(update({ allocations: [{ optionId: 'A', percentage: 20 }] })).then([
      { type: 'EnvironmentDefaultUpdated', data: { ...ref, enabled: true, value: control, allocations: rows(20, 30, 40), previous: { enabled: true, value: control, allocations: rows(30, 30, 40) } } },
    ]);
  });

  it('rejects an effective total over 100 and options of another feature', () => {
    spec.given([featureRegistered]).when(update({ allocations: [{ optionId: 'A', percentage: 31 }] })).thenRejects('rule_violated', /101%/);
    spec.given([featureRegistered]).when(update({ allocations: [{ optionId: 'Q', percentage: 1 }] })).thenRejects('rule_violated', /\[Q\]/);
  });

  it('emits nothing when nothing changes', () => {
    spec.given([featureRegistered]).when(update({ enabled: true, allocations: [{ optionId: 'A', percentage: 30 }] })).thenNothingHappens();
  });

  it('changes enabled and value', () => {
    spec.given([featureRegistered]).when(update({ enabled: false, value: { type: 'boolean', value: 'true' } })).then([
      { type: 'EnvironmentDefaultUpdated', data: { ...ref, enabled: false, value: { type: 'boolean', value: 'true' }, allocations: rows(30, 30, 40), previous: { enabled: true, value: control, allocations: rows(30, 30, 40) } } },
    ]);
  });
});
