import type { EventStore } from '../eventStore/eventStore.ts';
import { toVersionView, type VersionEntry } from '../../projections/featureState/featureRecord.ts';
import { readInGlobalOrder, replayWithProjection } from './replayStreams.ts';
import type { FeatureVersionView } from './readSide.ts';

/**
 * The published versions listed by the read model, whole: the feature's stream is
 * replayed with the live projection's own code, and each version is the record as its
 * command left it. The log is immutable, so a replayed version never changes.
 */
export const replayVersions = async (store: EventStore, environmentId: string, featureId: string, entries: readonly VersionEntry[]): Promise<FeatureVersionView[]> => {
  if (entries.length === 0) return [];
  const last = BigInt(entries[entries.length - 1]!.position);
  const events = (await readInGlobalOrder(store, environmentId, [featureId])).filter((event) => event.position <= last);
  const published = new Map<number, FeatureVersionView>();
  replayWithProjection(events, 'version replay', { onPublished: (record) => published.set(record.version, toVersionView(record)) });
  return entries.map((entry) => {
    const view = published.get(entry.version);
    if (!view || view.position !== entry.position) throw new Error(`version ${entry.version} of ${environmentId}/${featureId} does not replay to its read-model entry`);
    return view;
  });
};
