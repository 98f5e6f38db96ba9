import type { OpenRolloutOptions, Projections, Rollout } from '../../../src/app/rollout.ts';
import { createCommandBus } from '../../../src/application/commandBus.ts';
import type { RecordedEvent } from '../../../src/eventStore/eventStore.ts';
import { createInMemoryEventStore } from '../../../src/eventStore/inMemoryEventStore.ts';
import type { FeatureStateView, HistoryEntry, ReadSide } from '../../../src/queries/readSide.ts';

/**
 * A Rollout for testing the HTTP and CLI layers in-process: the real in-memory store and
 * command bus; a read side that answers straight from the store with just enough of a view
 * to tell features apart; projections that can be held back to exercise ?minPosition.
 * The real read side is covered by the e2e tests, which run the real binary.
 */
export type TestRollout = Rollout & {
  holdProjections(): Promise<void>;
  releaseProjections(): void;
  sent: unknown[];
};

const entryOf = (e: RecordedEvent): HistoryEntry => ({
  position: e.position.toString(),
  streamId: e.streamId,
  revision: Number(e.revision),
  type: e.type,
  occurredAt: e.metadata.occurredAt,
  actor: e.metadata.actor,
  commandId: e.metadata.commandId,
  correlationId: e.metadata.correlationId,
  causationId: e.metadata.causationId,
  data: e.data,
  summary: e.type,
});

export const createTestRollout = (options: Omit<OpenRolloutOptions, 'store'> = {}): TestRollout => {
  const store = createInMemoryEventStore();
  const realBus = createCommandBus({ store, ...options.bus });
  const sent: unknown[] = [];
  let held: bigint | undefined;

  const feature = async (environmentId: string, featureId: string) => {
    const events = await store.readStream(`featureState-${environmentId}/${featureId}`);
    const registered = events.find((e) => e.type === 'FeatureRegistered');
    return registered ? { events, data: registered.data as Record<string, any> } : undefined;
  };

  const readSide: ReadSide = {
    async featureState(environmentId, featureId) {
      const found = await feature(environmentId, featureId);
      if (!found) return undefined;
      const { data, events } = found;
      const view: FeatureStateView = {
        environmentId,
        featureId,
        name: data.name,
        versioning: 'v1',
        version: events.length,
        position: events.at(-1)!.position.toString(),
        options: data.options,
        environmentDefault: { enabled: data.enabled, value: data.value, hashingSeed: data.hashingSeed, allocations: data.defaultAllocations },
        segmentOverrides: [],
        experiments: [],
      };
      return view;
    },
    async environmentFeatures() {
      return [];
    },
    async environment() {
      return undefined;
    },
    async evaluate(environmentId, featureId, identity) {
      const found = await feature(environmentId, featureId);
      if (!found) return undefined;
      return { identity, identityKey: `key_${identity}`, enabled: found.data.enabled, value: found.data.value, optionId: null, variant: 'control', segmentId: null, reason: 'fake' };
    },
    async featureHistory(environmentId, featureId) {
      return (await store.readStream(`featureState-${environmentId}/${featureId}`)).map(entryOf);
    },
    async experimentHistory(experimentId) {
      const all = await store.readAll({ maxCount: 1_000_000 });
      return all.filter((e) => (e.data as { experimentId?: string }).experimentId === experimentId).map(entryOf);
    },
  };

  const applied = async () => held ?? (await store.headPosition()) ?? 0n;
  const projections: Projections = {
    names: ['featureState', 'history'],
    async catchUp() {},
    async follow() {},
    async waitForPosition(position, timeoutMs) {
      const until = Date.now() + timeoutMs;
      while ((await applied()) < position) {
        if (Date.now() >= until) return false;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return true;
    },
    async status() {
      const head = (await store.headPosition()) ?? null;
      const checkpoint = await applied();
      return this.names.map((name) => ({ name, checkpoint: head === null ? null : checkpoint.toString(), head: head?.toString() ?? null, lag: Number((head ?? 0n) - checkpoint) }));
    },
    async rebuild() {},
  };

  return {
    store,
    bus: {
      send(input) {
        sent.push(input);
        return realBus.send(input);
      },
    },
    readSide,
    projections,
    sent,
    async holdProjections() {
      held = (await store.headPosition()) ?? 0n;
    },
    releaseProjections() {
      held = undefined;
    },
    close: () => store.close(),
  } as TestRollout;
};
