import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCommandBus } from '../../src/application/commandBus.ts';
import type { DomainEvent, FeatureEvent } from '../../src/domain/events.ts';
import { evolve } from '../../src/domain/featureState/evolve.ts';
import { initialFeatureState, type FeatureState, type RegisteredFeature } from '../../src/domain/featureState/featureState.ts';
import { upcast } from '../../src/domain/upcast.ts';
import type { RecordedEvent } from '../../src/eventStore/eventStore.ts';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import { toFeatureView, type FeatureRecord } from '../../projections/featureState/featureRecord.ts';
import { createFeatureStateProjection } from '../../projections/featureState/featureStateProjection.ts';
import { foldInPlace } from '../../projections/featureState/foldInPlace.ts';
import { FEATURE, featureKey } from '../../projections/featureState/keys.ts';
import { addToRollout, createExperiment, envelope, experimentCommand, registerEnvironment, registerFeature, str } from '../support/fixtures.ts';
import { applyWithEvolve } from './support/evolveReference.ts';
import { generateRandomHistory } from './support/randomHistory.ts';

/*
 * The projection folds events into its own working copy in place (foldInPlace) instead
 * of the domain's pure evolve. Over random command histories made by the real bus,
 * both folds must give equal states after every event, and the projection's documents
 * must be byte for byte the documents the evolve-based fold gives, whatever the batch
 * boundaries and however often records are evicted and reloaded from their documents.
 */

const ENVIRONMENTS = [
  ['e1', 'v1'],
  ['e2', 'v2'],
] as const;
// A small world, so commands meet the same experiments often (tunings, starts, completions).
const FEATURES = ['f1'];
const EXPERIMENTS = ['x1', 'x2'];

const value = fc.oneof(
  fc.constantFrom('control', 'red', '').map(str),
  fc.integer({ min: -5, max: 5 }).map((n) => ({ type: 'integer', value: String(n) })),
  fc.boolean().map((b) => ({ type: 'boolean', value: String(b) })),
);
const allocations = fc.uniqueArray(
  fc.record({ optionId: fc.constantFrom('A', 'B', 'C'), percentage: fc.oneof(fc.integer({ min: 0, max: 34 }), fc.double({ min: 0, max: 33, noNaN: true })) }),
  { selector: (a) => a.optionId, maxLength: 3 },
);
const where = { environment: fc.constantFrom(...ENVIRONMENTS.map(([e]) => e)), feature: fc.constantFrom(...FEATURES) };

const commandArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), ...where, experiment: fc.constantFrom(...EXPERIMENTS), rolloutPercentage: fc.integer({ min: 0, max: 100 }), enabled: fc.boolean(), allocations, controlValue: value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('default' as const), ...where, allocations, enabled: fc.option(fc.boolean(), { nil: undefined }), value: fc.option(value, { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), ...where, experiment: fc.constantFrom(...EXPERIMENTS), hypothesis: fc.option(fc.constantFrom('h', 'more green'), { nil: undefined }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('StartExperiment' as const, 'PauseExperiment' as const, 'CompleteExperiment' as const), ...where, experiment: fc.constantFrom(...EXPERIMENTS) }) },
);
type GeneratedCommand = typeof commandArbitrary extends fc.Arbitrary<infer T> ? T : never;

const toEnvelope = (c: GeneratedCommand) => {
  switch (c.kind) {
    case 'add':
      return addToRollout({ rolloutPercentage: c.rolloutPercentage, enabled: c.enabled, allocations: c.allocations, controlValue: c.controlValue }, c.experiment, c.feature, c.environment);
    case 'default':
      return envelope('UpdateEnvironmentDefault', {
        environmentId: c.environment,
        featureId: c.feature,
        allocations: c.allocations,
        ...(c.enabled === undefined ? {} : { enabled: c.enabled }),
        ...(c.value === undefined ? {} : { value: c.value }),
      });
    case 'create':
      return c.hypothesis === undefined
        ? createExperiment(c.experiment, c.feature, c.environment)
        : envelope('CreateExperiment', { environmentId: c.environment, featureId: c.feature, experimentId: c.experiment, name: `Experiment ${c.experiment}`, hypothesis: c.hypothesis });
    default:
      return experimentCommand(c.kind, c.experiment, c.feature, c.environment);
  }
};

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

const isFeatureEvent = (event: DomainEvent): event is FeatureEvent =>
  event.type !== 'EnvironmentRegistered' && event.type !== 'ServerKeyIssued' && event.type !== 'ServerKeyRevoked' && event.type !== 'ExperimentIdReserved';

/**
 * A random history through the real bus (rejected commands included), every event
 * frozen: either fast-check's commands over the small world, or a seeded history of
 * the rebuild test's generator (more features and experiments, allocation lists that
 * grow, shrink and reorder).
 */
const historyOf = async (source: History): Promise<RecordedEvent[]> => {
  const store = createInMemoryEventStore();
  const bus = createCommandBus({ store });
  if ('seed' in source) {
    await generateRandomHistory(bus, { targetEvents: source.events, seed: source.seed, environments: 2, featuresPerEnvironment: 3 });
  } else {
    const setup = ENVIRONMENTS.flatMap(([environmentId, versioning]) => [registerEnvironment(versioning, environmentId), ...FEATURES.map((f) => registerFeature(f, environmentId))]);
    for (const command of [...setup, ...source.commands.map(toEnvelope)]) {
      const result = await bus.send(command);
      expect(result.error?.code ?? 'ok').not.toBe('internal');
    }
  }
  return (await store.readAll({ maxCount: 100_000 })).map((e) => deepFreeze(structuredClone(e)));
};

type History = { commands: GeneratedCommand[] } | { seed: number; events: number };
const historyArbitrary: fc.Arbitrary<History> = fc.oneof(
  fc.record({ commands: fc.array(commandArbitrary, { minLength: 1, maxLength: 60 }) }),
  fc.record({ seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }), events: fc.integer({ min: 20, max: 400 }) }),
);

/**
 * Typed events with no decider in front: sequences the bus never writes (an allocation
 * list swapped for another of the same length, two experiments with one id, tunings of
 * unknown segments), which evolve still folds.
 */
const X = fc.constantFrom('x1', 'x2');
const SEGMENT = fc.constantFrom('s1', 's2');
const anyAllocations = fc.array(fc.record({ optionId: fc.constantFrom('A', 'B', 'C'), percentage: fc.integer({ min: 0, max: 100 }) }), { maxLength: 3 });
const ref = { environmentId: fc.constant('e1'), featureId: fc.constant('f1') };
const slot = { enabled: fc.boolean(), value, allocations: anyAllocations };
const eventArbitrary: fc.Arbitrary<FeatureEvent> = fc.oneof(
  fc.record({ type: fc.constant('EnvironmentDefaultUpdated' as const), data: fc.record({ ...ref, ...slot, previous: fc.record(slot) }) }),
  fc.record({ type: fc.constant('ExperimentCreated' as const), data: fc.record({ ...ref, experimentId: X, name: fc.constant('n'), hypothesis: fc.option(fc.constant('h'), { nil: undefined }) }) }),
  fc.record({
    type: fc.constant('RolloutSegmentCreated' as const),
    data: fc.record({
      ...ref,
      experimentId: X,
      segment: fc.record({ segmentId: SEGMENT, name: fc.constant('seg'), rolloutPercentage: fc.integer({ min: 0, max: 100 }) }),
      override: fc.record({ priority: fc.nat(3), hashingSeed: fc.constant('seed'), ...slot }),
    }),
  }),
  fc.record({ type: fc.constant('DefaultAllocationsZeroed' as const), data: fc.record({ ...ref, experimentId: X, allocations: anyAllocations, replaced: anyAllocations }) }),
  fc.record({
    type: fc.constant('RolloutTuned' as const),
    data: fc.record({ ...ref, experimentId: X, segmentId: SEGMENT, rolloutPercentage: fc.integer({ min: 0, max: 100 }), ...slot, previous: fc.record({ rolloutPercentage: fc.constant(0), ...slot }) }),
  }),
  fc.record({ type: fc.constant('ExperimentStarted' as const), data: fc.record({ ...ref, experimentId: X, overrideEnabled: fc.boolean() }) }),
  fc.record({ type: fc.constantFrom('ExperimentPaused' as const, 'ExperimentCompleted' as const), data: fc.record({ ...ref, experimentId: X }) }),
) as fc.Arbitrary<FeatureEvent>;
const registration: FeatureEvent = {
  type: 'FeatureRegistered',
  data: {
    environmentId: 'e1',
    featureId: 'f1',
    name: 'f1',
    enabled: true,
    value: str('control') as never,
    options: [{ optionId: 'A', key: 'a', value: str('red') as never }, { optionId: 'B', value: str('blue') as never }],
    defaultAllocations: [{ optionId: 'A', percentage: 50 }, { optionId: 'B', percentage: 50 }],
    hashingSeed: 'seed',
  },
};

const documentOf = (record: FeatureRecord) => JSON.stringify(toFeatureView(record));

describe('the projection fold (in place) over random command histories', () => {
  it('gives after every event the state the domain evolve gives, without touching the event', async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary, async (history) => {
        const events = await historyOf(history);
        const reference = new Map<string, FeatureState>();
        const mine = new Map<string, RegisteredFeature>();
        for (const recorded of events) {
          const event = deepFreeze(upcast(recorded.type, recorded.schemaVersion, recorded.data));
          if (!isFeatureEvent(event)) continue;
          const key = featureKey(event.data.environmentId, event.data.featureId);
          const expected = evolve(reference.get(key) ?? initialFeatureState(), event);
          reference.set(key, expected);
          const folded = foldInPlace(mine.get(key), event);
          mine.set(key, folded);
          expect(folded).toEqual(expected);
        }
        // An event on an unregistered feature fails as evolve fails.
        const tuned = events.map((e) => upcast(e.type, e.schemaVersion, e.data)).find((e): e is FeatureEvent => isFeatureEvent(e) && e.type !== 'FeatureRegistered');
        if (tuned) expect(() => foldInPlace(undefined, tuned)).toThrow(`${tuned.type} applied to a feature that is not registered`);
      }),
      { numRuns: 150 },
    );
  });

  it('gives what evolve gives for any typed event sequence, also ones the decider never writes', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 40 }), (sequence) => {
        let expected: FeatureState = initialFeatureState();
        let mine: RegisteredFeature | undefined;
        for (const event of [registration, ...sequence].map((e) => deepFreeze(structuredClone(e)))) {
          expected = evolve(expected, event);
          mine = foldInPlace(mine, event);
          expect(mine).toEqual(expected);
          const record = (state: RegisteredFeature): FeatureRecord => ({ state, versioning: 'v1', version: 1, position: 1n });
          expect(documentOf(record(mine))).toBe(documentOf(record(expected as RegisteredFeature)));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('writes byte for byte the documents of the evolve-based fold, across batches, evictions and reloads', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArbitrary,
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.constantFrom('keep', 'drain', 'reopen'), { minLength: 1, maxLength: 30 }),
        async (history, cacheSize, boundaries) => {
          const events = await historyOf(history);
          const documents = new Map<string, string>();
          const open = () => createFeatureStateProjection({ cacheSize }).open((kind, key) => documents.get(`${kind}\u0000${key}`));
          let session = open();
          const drain = () => {
            for (const [kind, key, doc] of session.drain()) documents.set(`${kind}\u0000${key}`, doc);
          };
          const reference = new Map<string, FeatureRecord>();
          const versioningOf = new Map<string, 'v1' | 'v2'>();
          let boundary = 0;
          for (let i = 0; i < events.length; i++) {
            const recorded = events[i]!;
            session.apply(recorded);
            const event = upcast(recorded.type, recorded.schemaVersion, recorded.data);
            if (event.type === 'EnvironmentRegistered') versioningOf.set(event.data.environmentId, event.data.versioning);
            if (isFeatureEvent(event)) {
              const key = featureKey(event.data.environmentId, event.data.featureId);
              reference.set(key, applyWithEvolve(reference.get(key), event, recorded, versioningOf.get(event.data.environmentId)!));
            }
            // The runner drains only between commands.
            if (events[i + 1]?.metadata.commandId === recorded.metadata.commandId) continue;
            const step = boundaries[boundary++ % boundaries.length]!;
            if (step === 'keep') continue;
            drain();
            if (step === 'reopen') session = open();
            for (const [key, record] of reference) expect(documents.get(`${FEATURE}\u0000${key}`)).toBe(documentOf(record));
          }
          drain();
          for (const [key, record] of reference) expect(documents.get(`${FEATURE}\u0000${key}`)).toBe(documentOf(record));
        },
      ),
      { numRuns: 150 },
    );
  });
});
