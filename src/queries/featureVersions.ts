import { environmentStreamId, featureStreamId } from '../domain/streams.ts';
import type { EventStore } from '../eventStore/eventStore.ts';
import { createFeatureStateProjection } from '../../projections/featureState/featureStateProjection.ts';
import { toVersionView, type VersionEntry } from '../../projections/featureState/featureRecord.ts';
import { ProjectionStoppedError } from '../../projections/runner/createProjections.ts';
import { EventNotApplicableError } from '../../projections/runner/projection.ts';
import type { FeatureVersionView } from './readSide.ts';

/**
 * The published versions listed by the read model, whole: the feature's stream is
 * replayed with the live projection's own code, and each version is the record as its
 * command left it. The log is immutable, so a replayed version never changes.
 */
export const replayVersions = async (store: EventStore, environmentId: string, featureId: string, entries: readonly VersionEntry[]): Promise<FeatureVersionView[]> => {
  if (entries.length === 0) return [];
  const last = BigInt(entries[entries.length - 1]!.position);
  const streams = await Promise.all([store.readStream(environmentStreamId(environmentId)), store.readStream(featureStreamId(environmentId, featureId))]);
  const events = streams.flat().sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  const published = new Map<number, FeatureVersionView>();
  const session = createFeatureStateProjection({ cacheSize: Number.MAX_SAFE_INTEGER, onPublished: (record) => published.set(record.version, toVersionView(record)) }).open(
    () => undefined,
  );
  for (const event of events) {
    if (event.position > last) break;
    try {
      session.apply(event);
    } catch (error) {
      if (error instanceof EventNotApplicableError) {
        throw new ProjectionStoppedError([`version replay stopped at position ${event.position} (type ${event.type}): ${error.message}`]);
      }
      throw error;
    }
  }
  return entries.map((entry) => {
    const view = published.get(entry.version);
    if (!view || view.position !== entry.position) throw new Error(`version ${entry.version} of ${environmentId}/${featureId} does not replay to its read-model entry`);
    return view;
  });
};
