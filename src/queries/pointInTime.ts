import { ValidationError } from '../application/errors.ts';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore.ts';
import { ENVIRONMENT, FEATURE, featureKey } from '../../projections/featureState/keys.ts';
import { readInGlobalOrder, replayWithProjection } from './replayStreams.ts';
import type { AsOf, EnvironmentView, FeatureStateView } from './readSide.ts';

export const isPast = (asOf: AsOf | undefined): asOf is AsOf => asOf !== undefined && (asOf.at !== undefined || asOf.position !== undefined);

const parseAt = (at: string): number => {
  const time = Date.parse(at);
  if (Number.isNaN(time)) throw new ValidationError(`"${at}" is not an ISO-8601 time`, [{ path: 'at', message: 'must be an ISO-8601 time' }]);
  return time;
};

/**
 * The last position included: the given position, or the last event that happened at
 * or before the time; then extended to the end of its command, because a state
 * between two events of one command was never visible to anybody.
 */
const cutoffIndex = (events: readonly RecordedEvent[], asOf: AsOf): number => {
  const time = asOf.at === undefined ? undefined : parseAt(asOf.at);
  let last = -1;
  events.forEach((event, i) => {
    const byPosition = asOf.position === undefined || event.position <= asOf.position;
    const byTime = time === undefined || Date.parse(event.metadata.occurredAt) <= time;
    if (byPosition && byTime) last = i;
  });
  while (last >= 0 && last + 1 < events.length && events[last + 1]!.metadata.commandId === events[last]!.metadata.commandId) last++;
  return last;
};

export type PastState = { environment?: EnvironmentView; features: FeatureStateView[] };

/**
 * Replays the environment's stream and the given feature streams up to a moment with
 * the live projection's own code, so a past state is byte for byte what the live read
 * model showed then (v2: the version live at that moment).
 */
export const replayAsOf = async (store: EventStore, environmentId: string, featureIds: readonly string[], asOf: AsOf): Promise<PastState> => {
  const events = await readInGlobalOrder(store, environmentId, featureIds);
  const session = replayWithProjection(events.slice(0, cutoffIndex(events, asOf) + 1), 'point-in-time replay');
  const docs = new Map([...session.drain()].map(([kind, key, doc]) => [`${kind}\u0000${key}`, doc]));
  const environment = docs.get(`${ENVIRONMENT}\u0000${environmentId}`);
  const features = featureIds
    .map((f) => docs.get(`${FEATURE}\u0000${featureKey(environmentId, f)}`))
    .filter((doc): doc is string => doc !== undefined)
    .map((doc) => JSON.parse(doc) as FeatureStateView);
  return { ...(environment === undefined ? {} : { environment: JSON.parse(environment) as EnvironmentView }), features };
};
