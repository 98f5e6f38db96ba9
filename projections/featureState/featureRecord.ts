import type { RegisteredFeature } from '../../src/domain/featureState/featureState.ts';
import type { Allocation, Value } from '../../src/domain/values.ts';
import type { FeatureStateView, FeatureVersionView, SegmentOverrideView, SlotView } from '../../src/queries/readSide.ts';

/** The projection's working form of one (environment, feature): the folded state plus read-model bookkeeping. */
export type FeatureRecord = {
  state: RegisteredFeature;
  versioning: 'v1' | 'v2';
  version: number;
  position: bigint;
  publishedAt?: string;
  publishedByCommandId?: string;
};

// Documents are built field by field in one fixed order, so equal states give equal bytes.
const value = (v: Value): Value => ({ type: v.type, value: v.value });
const allocations = (rows: readonly Allocation[]): Allocation[] => rows.map((a) => ({ optionId: a.optionId, percentage: a.percentage }));
const slot = (s: SlotView): SlotView => ({ enabled: s.enabled, value: value(s.value), hashingSeed: s.hashingSeed, allocations: allocations(s.allocations) });

const overrides = (record: FeatureRecord): SegmentOverrideView[] =>
  record.state.segmentOverrides.map((o) => ({
    segmentId: o.segmentId,
    segmentName: o.segmentName,
    experimentId: o.experimentId,
    priority: o.priority,
    rolloutPercentage: o.rolloutPercentage,
    ...slot(o),
  }));

/**
 * The stored entry of a published v2 version: its number and provenance only. What it
 * served is the feature's stream replayed up to `position` (the log is immutable, so
 * the version is too); storing it whole made the versions most of the read model.
 */
export const toVersionEntry = (record: FeatureRecord): VersionEntry => ({
  version: record.version,
  position: record.position.toString(),
  publishedAt: record.publishedAt ?? '',
  publishedByCommandId: record.publishedByCommandId ?? '',
});

export type VersionEntry = Pick<FeatureVersionView, 'version' | 'position' | 'publishedAt' | 'publishedByCommandId'>;

/** A published v2 version whole: only what the flag serves. */
export const toVersionView = (record: FeatureRecord): FeatureVersionView => ({
  environmentId: record.state.environmentId,
  featureId: record.state.featureId,
  version: record.version,
  publishedAt: record.publishedAt ?? '',
  publishedByCommandId: record.publishedByCommandId ?? '',
  position: record.position.toString(),
  environmentDefault: slot(record.state.environmentDefault),
  segmentOverrides: overrides(record),
});

export const toFeatureView = (record: FeatureRecord): FeatureStateView => {
  const { state } = record;
  return {
    environmentId: state.environmentId,
    featureId: state.featureId,
    name: state.name,
    versioning: record.versioning,
    version: record.version,
    position: record.position.toString(),
    ...(record.publishedAt === undefined ? {} : { publishedAt: record.publishedAt }),
    ...(record.publishedByCommandId === undefined ? {} : { publishedByCommandId: record.publishedByCommandId }),
    options: state.options.map((o) => (o.key === undefined ? { optionId: o.optionId, value: value(o.value) } : { optionId: o.optionId, key: o.key, value: value(o.value) })),
    environmentDefault: slot(state.environmentDefault),
    segmentOverrides: overrides(record),
    // hypothesis and segmentId are extra fields that make the document a lossless copy of the state.
    experiments: state.experiments.map((e) => ({
      experimentId: e.experimentId,
      name: e.name,
      status: e.status,
      ...(e.hypothesis === undefined ? {} : { hypothesis: e.hypothesis }),
      ...(e.segmentId === undefined ? {} : { segmentId: e.segmentId }),
    })),
  };
};

type StoredExperiment = FeatureStateView['experiments'][number] & { hypothesis?: string; segmentId?: string };

export const fromFeatureView = (view: FeatureStateView): FeatureRecord => ({
  state: {
    registered: true,
    environmentId: view.environmentId,
    featureId: view.featureId,
    name: view.name,
    options: view.options,
    environmentDefault: view.environmentDefault,
    segmentOverrides: view.segmentOverrides,
    experiments: (view.experiments as StoredExperiment[]).map((e) => ({ ...e })),
  },
  versioning: view.versioning,
  version: view.version,
  position: BigInt(view.position),
  ...(view.publishedAt === undefined ? {} : { publishedAt: view.publishedAt }),
  ...(view.publishedByCommandId === undefined ? {} : { publishedByCommandId: view.publishedByCommandId }),
});
