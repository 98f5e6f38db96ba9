import { environmentStreamId, featureStreamId } from '../domain/streams.ts';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore.ts';
import { createFeatureStateProjection, type FeatureStateProjectionOptions } from '../../projections/featureState/featureStateProjection.ts';
import { ProjectionStoppedError } from '../../projections/runner/createProjections.ts';
import { EventNotApplicableError, type ProjectionSession } from '../../projections/runner/projection.ts';

/** The environment's stream and the given feature streams, merged in global order. */
export const readInGlobalOrder = async (store: EventStore, environmentId: string, featureIds: readonly string[]): Promise<RecordedEvent[]> => {
  const streams = await Promise.all([store.readStream(environmentStreamId(environmentId)), ...featureIds.map((f) => store.readStream(featureStreamId(environmentId, f)))]);
  return streams.flat().sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
};

/**
 * Applies events with the live projection's own code into a throwaway session, so what
 * comes out is byte for byte what the live read model showed. An event it cannot apply
 * stops the replay with an error naming it, as it stops the live projection.
 */
export const replayWithProjection = (events: readonly RecordedEvent[], what: string, options: FeatureStateProjectionOptions = {}): ProjectionSession => {
  const session = createFeatureStateProjection({ cacheSize: Number.MAX_SAFE_INTEGER, ...options }).open(() => undefined);
  for (const event of events) {
    try {
      session.apply(event);
    } catch (error) {
      if (error instanceof EventNotApplicableError) {
        throw new ProjectionStoppedError([`${what} stopped at position ${event.position} (type ${event.type}): ${error.message}`]);
      }
      throw error;
    }
  }
  return session;
};
