import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evolveAny, initialStateOf } from '../../src/application/aggregates.ts';
import { createCommandBus } from '../../src/application/commandBus.ts';
import { upcast } from '../../src/domain/upcast.ts';
import { sumOf } from '../../src/domain/allocations.ts';
import { featureStreamId } from '../../src/domain/streams.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../../src/eventStore/eventStore.ts';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { addToRollout, createExperiment, experimentCommand, registerEnvironment, registerFeature, updateDefault, ENV } from '../support/fixtures.ts';

const FEATURES = ['f1', 'f2'];
const EXPERIMENTS = ['x1', 'x2', 'x3'];

const allocations = fc.uniqueArray(
  fc.record({ optionId: fc.constantFrom('A', 'B', 'C'), percentage: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })) }),
  { selector: (a) => a.optionId, maxLength: 3 },
);

/** Random command sequences over a small world, so rules collide often. */
const commandArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), feature: fc.constantFrom(...FEATURES), experiment: fc.constantFrom(...EXPERIMENTS), rolloutPercentage: fc.integer({ min: 0, max: 100 }), enabled: fc.boolean(), allocations }),
  fc.record({ kind: fc.constant('default' as const), feature: fc.constantFrom(...FEATURES), allocations }),
  fc.record({ kind: fc.constant('create' as const), feature: fc.constantFrom(...FEATURES), experiment: fc.constantFrom(...EXPERIMENTS) }),
  fc.record({ kind: fc.constantFrom('StartExperiment' as const, 'PauseExperiment' as const, 'CompleteExperiment' as const), feature: fc.constantFrom(...FEATURES), experiment: fc.constantFrom(...EXPERIMENTS) }),
);

type GeneratedCommand = typeof commandArbitrary extends fc.Arbitrary<infer T> ? T : never;

const toEnvelope = (c: GeneratedCommand) => {
  switch (c.kind) {
    case 'add':
      return addToRollout({ rolloutPercentage: c.rolloutPercentage, enabled: c.enabled, allocations: c.allocations }, c.experiment, c.feature);
    case 'default':
      return updateDefault({ allocations: c.allocations }, c.feature);
    case 'create':
      return createExperiment(c.experiment, c.feature);
    default:
      return experimentCommand(c.kind, c.experiment, c.feature);
  }
};

const stores: [string, () => EventStore, number][] = [
  ['in-memory', createInMemoryEventStore, 150],
  // Through a real serialising store too, so "replay equals the handler's state" covers the JSON round trip.
  ['SQLite', () => createSqliteEventStore({ path: join(mkdtempSync(join(tmpdir(), 'rollout-property-')), 'events.db'), durability: 'normal' }), 25],
];

describe.each(stores)('the handler over random command sequences (%s store)', (_name, openStore, numRuns) => {
  it('keeps every slot at most 100%, replays to its own state, and zeroes once per experiment', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArbitrary, { minLength: 1, maxLength: 40 }), async (commands) => {
        const store = openStore();
        const bus = createCommandBus({ store });
        for (const setup of [registerEnvironment(), ...FEATURES.map((f) => registerFeature(f))]) await bus.send(setup);
        for (const command of commands) {
          const result = await bus.send(toEnvelope(command));
          expect(result.error?.code ?? 'ok').not.toBe('internal');
        }

        for (const featureId of FEATURES) {
          const streamId = featureStreamId(ENV, featureId);
          const { state } = await bus.currentState(streamId);
          if (!state.registered || !('environmentDefault' in state)) throw new Error('feature missing');
          for (const slot of [state.environmentDefault, ...state.segmentOverrides]) expect(sumOf(slot.allocations)).toBeLessThanOrEqual(100 + 1e-9);

          const replayed = (await store.readStream(streamId)).reduce((s, e) => evolveAny(s, upcast(e.type, e.schemaVersion, e.data)), initialStateOf(streamId));
          expect(replayed).toEqual(state);
        }

        const events = await store.readAll({ maxCount: 100_000 });
        const perExperiment = new Map<string, string[]>();
        for (const e of events) {
          const data = e.data as { featureId?: string; experimentId?: string };
          if (e.type === 'RolloutSegmentCreated' || e.type === 'DefaultAllocationsZeroed' || e.type === 'RolloutTuned') {
            const key = `${data.featureId}/${data.experimentId}`;
            perExperiment.set(key, [...(perExperiment.get(key) ?? []), e.type]);
          }
        }
        for (const types of perExperiment.values()) {
          expect(types.slice(0, 2)).toEqual(['RolloutSegmentCreated', 'DefaultAllocationsZeroed']);
          expect(types.slice(2).every((t) => t === 'RolloutTuned')).toBe(true);
        }
        await store.close();
      }),
      { numRuns },
    );
  });
});
