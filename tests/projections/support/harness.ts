import { openRollout } from '../../../src/app/openRollout.ts';
import type { EventData } from '../../../src/domain/events.ts';
import { featureStreamId } from '../../../src/domain/streams.ts';
import { createInMemoryEventStore } from '../../../src/eventStore/inMemoryEventStore.ts';
import type { EventStore } from '../../../src/eventStore/eventStore.ts';
import { ENV, FEATURE } from '../../support/fixtures.ts';

/** A rollout over a fresh in-memory store whose read model is caught up after every command. */
export const createHarness = async (store: EventStore = createInMemoryEventStore()) => {
  const rollout = await openRollout({ eventStore: store });
  const send = async (command: { commandId: string }) => {
    const result = await rollout.bus.send(command);
    await rollout.projections.catchUp();
    return result;
  };
  const featureEvents = () => store.readStream(featureStreamId(ENV, FEATURE));
  const eventOf = async <T extends 'FeatureRegistered' | 'RolloutSegmentCreated'>(type: T, nth = 0) =>
    (await featureEvents()).filter((e) => e.type === type)[nth]?.data as EventData<T>;
  return {
    store,
    rollout,
    send,
    featureEvents,
    eventOf,
    state: () => rollout.readSide.featureState(ENV, FEATURE),
    versions: async () => (await rollout.readSide.featureVersions!(ENV, FEATURE)).length,
    close: () => rollout.close(),
  };
};
export type Harness = Awaited<ReturnType<typeof createHarness>>;
