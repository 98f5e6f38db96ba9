import { experimentStreamId, featureStreamId } from '../domain/streams.ts';
import type { EventStore } from '../eventStore/eventStore.ts';
import { evaluateIdentity } from '../evaluation/evaluateIdentity.ts';
import { FEATURE_STATE_PROJECTION } from '../../projections/featureState/featureStateProjection.ts';
import { ENVIRONMENT, EXPERIMENT, FEATURE, VERSION, featureKey, versionPrefix } from '../../projections/featureState/keys.ts';
import { toHistoryEntries } from '../../projections/history/historyEntries.ts';
import type { ReadModelStorage } from '../../projections/runner/readModelStorage.ts';
import type { VersionEntry } from '../../projections/featureState/featureRecord.ts';
import { replayVersions } from './featureVersions.ts';
import { isPast, replayAsOf } from './pointInTime.ts';
import type { AsOf, EnvironmentView, FeatureStateView, HistoryEntry, ReadSide } from './readSide.ts';

const P = FEATURE_STATE_PROJECTION;

/**
 * Queries over the read model (current state) and the event log (past states,
 * history). Current reads see one committed generation in one snapshot, so a rebuild
 * switching generations is never seen half done.
 */
export const createReadSide = (options: { store: EventStore; storage: ReadModelStorage }): ReadSide => {
  const { store, storage } = options;

  const live = <T>(read: (generation: number) => T): T => storage.snapshot(() => read(storage.pointer(P, 'live')!.generation));
  const parse = <T>(doc: string | undefined): T | undefined => (doc === undefined ? undefined : (JSON.parse(doc) as T));

  const currentFeature = (environmentId: string, featureId: string) =>
    live((g) => parse<FeatureStateView>(storage.get(P, g, FEATURE, featureKey(environmentId, featureId))));
  const currentEnvironment = (environmentId: string) => live((g) => parse<EnvironmentView>(storage.get(P, g, ENVIRONMENT, environmentId)));
  const currentFeatures = (environmentId: string) =>
    live((g) => storage.range(P, g, FEATURE, `${environmentId}/`).map((doc) => JSON.parse(doc) as FeatureStateView));

  const featureState = async (environmentId: string, featureId: string, asOf?: AsOf) =>
    isPast(asOf) ? (await replayAsOf(store, environmentId, [featureId], asOf)).features[0] : currentFeature(environmentId, featureId);

  const environment = async (environmentId: string, asOf?: AsOf) =>
    isPast(asOf) ? (await replayAsOf(store, environmentId, [], asOf)).environment : currentEnvironment(environmentId);

  return {
    featureState,
    environment,

    async environmentFeatures(environmentId, asOf) {
      if (!isPast(asOf)) return currentFeatures(environmentId);
      // Features are never deleted, so every feature of the past is a feature now.
      const ids = currentFeatures(environmentId).map((f) => f.featureId);
      return (await replayAsOf(store, environmentId, ids, asOf)).features;
    },

    async evaluate(environmentId, featureId, identity, asOf) {
      const past = isPast(asOf) ? await replayAsOf(store, environmentId, [featureId], asOf) : undefined;
      const state = past ? past.features[0] : currentFeature(environmentId, featureId);
      const env = past ? past.environment : currentEnvironment(environmentId);
      if (!state || !env) return undefined;
      return evaluateIdentity(state, env.apiKey, identity);
    },

    async featureHistory(environmentId, featureId) {
      return toHistoryEntries(await store.readStream(featureStreamId(environmentId, featureId)));
    },

    async experimentHistory(experimentId) {
      const refs = live((g) => parse<string[]>(storage.get(P, g, EXPERIMENT, experimentId))) ?? [];
      // The id's reservation first: CreateExperiment made it along with ExperimentCreated.
      const entries: HistoryEntry[] = toHistoryEntries(await store.readStream(experimentStreamId(experimentId)));
      for (const ref of refs) {
        const [environmentId, featureId] = ref.split('/') as [string, string];
        const events = await store.readStream(featureStreamId(environmentId, featureId));
        entries.push(...toHistoryEntries(events).filter((e) => (e.data as { experimentId?: unknown } | null)?.experimentId === experimentId));
      }
      return entries.sort((a, b) => {
        const pa = BigInt(a.position);
        const pb = BigInt(b.position);
        return pa < pb ? -1 : pa > pb ? 1 : a.revision - b.revision;
      });
    },

    async featureVersions(environmentId, featureId) {
      const entries = live((g) => storage.range(P, g, VERSION, versionPrefix(environmentId, featureId)).map((doc) => JSON.parse(doc) as VersionEntry));
      return replayVersions(store, environmentId, featureId, entries);
    },
  };
};

