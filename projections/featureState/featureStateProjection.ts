import { isEnvironmentEvent, type DomainEvent, type FeatureEvent } from '../../src/domain/events.ts';
import type { RecordedEvent } from '../../src/eventStore/eventStore.ts';
import type { EnvironmentView, FeatureStateView } from '../../src/queries/readSide.ts';
import type { DocumentWrite } from '../runner/readModelStorage.ts';
import { EventNotApplicableError, type LoadDocument, type Projection, type ProjectionSession } from '../runner/projection.ts';
import { applyFeatureEvent } from './applyFeatureEvent.ts';
import { createCache } from './cache.ts';
import { decodeEvent } from './decodeEvent.ts';
import { applyEnvironmentEvent } from './environmentRecord.ts';
import { fromFeatureView, toFeatureView, toVersionEntry, type FeatureRecord } from './featureRecord.ts';
import { ENVIRONMENT, EXPERIMENT, FEATURE, VERSION, featureKey, versionKey } from './keys.ts';

export const FEATURE_STATE_PROJECTION = 'featureState';


const notApplicable = (error: unknown) => new EventNotApplicableError(error instanceof Error ? error.message : String(error));

export type FeatureStateProjectionOptions = {
  /** Clean documents kept in memory between batches (default 10,000 of each kind). */
  cacheSize?: number;
  /** Called with the record of every v2 version as it is published or amended (replays of versions). */
  onPublished?: (record: FeatureRecord) => void;
};

/**
 * The feature-state read model: per (environment, feature) the current document
 * (FeatureStateView), in v2 also an entry per published version (written once, never
 * edited), per environment its EnvironmentView, and per experiment the features it
 * belongs to (the index behind experiment history).
 */
export const createFeatureStateProjection = (options: FeatureStateProjectionOptions = {}): Projection => ({
  name: FEATURE_STATE_PROJECTION,
  open(load: LoadDocument): ProjectionSession {
    const limit = options.cacheSize ?? 10_000;
    const parse = <T>(kind: string) => (key: string) => {
      const doc = load(kind, key);
      return doc === undefined ? undefined : (JSON.parse(doc) as T);
    };
    const features = createCache<FeatureRecord>(limit, (key) => {
      const view = parse<FeatureStateView>(FEATURE)(key);
      return view && fromFeatureView(view);
    });
    const environments = createCache<EnvironmentView>(limit, parse<EnvironmentView>(ENVIRONMENT));
    const experiments = createCache<string[]>(limit, parse<string[]>(EXPERIMENT));
    // Versions published since the last drain, by version key, as their stored JSON
    // (small: never the whole state; one string each, as a rebuild may hold 50,000).
    let versions = new Map<string, string>();

    const applyFeature = (event: FeatureEvent, recorded: RecordedEvent) => {
      const { environmentId, featureId } = event.data;
      const environment = environments.get(environmentId);
      if (event.type === 'FeatureRegistered' && !environment) throw new EventNotApplicableError(`environment ${environmentId} is not registered`);
      const key = featureKey(environmentId, featureId);
      let applied;
      try {
        applied = applyFeatureEvent(features.get(key), event, recorded, environment?.versioning ?? 'v1');
      } catch (error) {
        throw notApplicable(error);
      }
      features.set(key, applied.record);
      if (applied.published) {
        // A second event of the same command amends its version before anybody sees it.
        versions.set(versionKey(environmentId, featureId, applied.record.version), JSON.stringify(toVersionEntry(applied.record)));
        options.onPublished?.(applied.record);
      }
      if (event.type === 'ExperimentCreated') {
        const refs = experiments.get(event.data.experimentId) ?? [];
        if (!refs.includes(key)) experiments.set(event.data.experimentId, [...refs, key]);
      }
    };

    return {
      apply(recorded) {
        let event: DomainEvent;
        try {
          event = decodeEvent(recorded.type, recorded.schemaVersion, recorded.data);
        } catch (error) {
          throw notApplicable(error);
        }
        // The id reservation is bookkeeping of the write side: no flag state changes.
        if (event.type === 'ExperimentIdReserved') return;
        if (!isEnvironmentEvent(event)) return applyFeature(event, recorded);
        let next;
        try {
          next = applyEnvironmentEvent(environments.get(event.data.environmentId), event, recorded.position);
        } catch (error) {
          throw notApplicable(error);
        }
        environments.set(event.data.environmentId, next);
      },
      // Lazy: each document is serialized as the storage writes it, so a batch of
      // thousands of documents never sits in memory as strings (nor lives long enough
      // to be promoted to the old generation).
      *drain(): Generator<DocumentWrite> {
        // In key order: a batch's versions belong to many features, and sorted inserts
        // touch each page of the table once instead of thrashing the page cache.
        const published = [...versions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        versions = new Map();
        for (const [key, entry] of published) yield [VERSION, key, entry];
        for (const [key, view] of environments.drain()) yield [ENVIRONMENT, key, JSON.stringify(view)];
        for (const [key, record] of features.drain()) yield [FEATURE, key, JSON.stringify(toFeatureView(record))];
        for (const [key, refs] of experiments.drain()) yield [EXPERIMENT, key, JSON.stringify(refs)];
      },
      pending: () => versions.size + environments.dirty() + features.dirty() + experiments.dirty(),
    };
  },
});
