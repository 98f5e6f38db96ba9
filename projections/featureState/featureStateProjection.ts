import type { DomainEvent, EnvironmentEvent, FeatureEvent } from '../../src/domain/events.ts';
import { upcast } from '../../src/domain/upcast.ts';
import type { RecordedEvent } from '../../src/eventStore/eventStore.ts';
import type { EnvironmentView, FeatureStateView } from '../../src/queries/readSide.ts';
import type { DocumentWrite } from '../runner/readModelStorage.ts';
import { EventNotApplicableError, type LoadDocument, type Projection, type ProjectionSession } from '../runner/projection.ts';
import { applyFeatureEvent } from './applyFeatureEvent.ts';
import { applyEnvironmentEvent } from './environmentRecord.ts';
import { fromFeatureView, toFeatureView, toVersionView, type FeatureRecord } from './featureRecord.ts';
import { ENVIRONMENT, EXPERIMENT, FEATURE, VERSION, featureKey, versionKey } from './keys.ts';

export const FEATURE_STATE_PROJECTION = 'featureState';

const isEnvironmentEvent = (event: DomainEvent): event is EnvironmentEvent =>
  event.type === 'EnvironmentRegistered' || event.type === 'ServerKeyIssued' || event.type === 'ServerKeyRevoked';

const notApplicable = (error: unknown) => new EventNotApplicableError(error instanceof Error ? error.message : String(error));

/** A small cache that forgets the oldest clean entries beyond its size, so memory stays bounded. */
const createCache = <T>(limit: number, load: (key: string) => T | undefined) => {
  const entries = new Map<string, T>();
  const dirty = new Set<string>();
  return {
    get(key: string): T | undefined {
      if (entries.has(key)) return entries.get(key);
      const loaded = load(key);
      if (loaded !== undefined) entries.set(key, loaded);
      return loaded;
    },
    set(key: string, value: T) {
      entries.set(key, value);
      dirty.add(key);
    },
    drain(write: (key: string, value: T) => void) {
      for (const key of dirty) write(key, entries.get(key)!);
      dirty.clear();
      for (const key of entries.keys()) {
        if (entries.size <= limit) break;
        entries.delete(key);
      }
    },
  };
};

/**
 * The feature-state read model: per (environment, feature) the current document
 * (FeatureStateView), in v2 also every published version (immutable once the next
 * command exists), per environment its EnvironmentView, and per experiment the
 * features it belongs to (the index behind experiment history).
 */
export const createFeatureStateProjection = (options: { cacheSize?: number } = {}): Projection => ({
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
    let versions: DocumentWrite[] = [];

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
        const version: DocumentWrite = [VERSION, versionKey(environmentId, featureId, applied.record.version), JSON.stringify(toVersionView(applied.record))];
        // A second event of the same command amends the pending write of its version.
        const last = versions[versions.length - 1];
        if (last && last[1] === version[1]) versions[versions.length - 1] = version;
        else versions.push(version);
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
          event = upcast(recorded.type, recorded.schemaVersion, recorded.data);
        } catch (error) {
          throw notApplicable(error);
        }
        if (!isEnvironmentEvent(event)) return applyFeature(event, recorded);
        let next;
        try {
          next = applyEnvironmentEvent(environments.get(event.data.environmentId), event, recorded.position);
        } catch (error) {
          throw notApplicable(error);
        }
        environments.set(event.data.environmentId, next);
      },
      drain() {
        const writes: DocumentWrite[] = versions;
        versions = [];
        environments.drain((key, view) => writes.push([ENVIRONMENT, key, JSON.stringify(view)]));
        features.drain((key, record) => writes.push([FEATURE, key, JSON.stringify(toFeatureView(record))]));
        experiments.drain((key, refs) => writes.push([EXPERIMENT, key, JSON.stringify(refs)]));
        return writes;
      },
    };
  },
});
