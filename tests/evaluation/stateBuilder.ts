import type { Allocation } from '../../src/domain/values.ts';
import type { FeatureStateView, SegmentOverrideView } from '../../src/queries/readSide.ts';

const str = (value: string) => ({ type: 'string' as const, value });

/** The domain.md section 6 fixture as a read-model view: options A, B, C. */
export const featureView = (change: { defaultAllocations?: Allocation[]; overrides?: SegmentOverrideView[]; enabled?: boolean } = {}): FeatureStateView => ({
  environmentId: 'production',
  featureId: 'checkout-button',
  name: 'checkout-button',
  versioning: 'v1',
  version: 1,
  position: '1',
  options: [
    { optionId: 'A', key: 'a', value: str('red') },
    { optionId: 'B', key: 'b', value: str('green') },
    { optionId: 'C', value: str('blue') },
  ],
  environmentDefault: {
    enabled: change.enabled ?? true,
    value: str('control'),
    hashingSeed: 'default-seed',
    allocations: change.defaultAllocations ?? [
      { optionId: 'A', percentage: 30 },
      { optionId: 'B', percentage: 30 },
      { optionId: 'C', percentage: 40 },
    ],
  },
  segmentOverrides: change.overrides ?? [],
  experiments: [],
});

export const rolloutOverride = (spec: { segmentId?: string; rolloutPercentage: number; allocations: Allocation[]; enabled?: boolean; priority?: number; hashingSeed?: string; controlValue?: string }): SegmentOverrideView => ({
  segmentId: spec.segmentId ?? 'segment-1',
  segmentName: `experiment-${spec.segmentId ?? 'segment-1'}-rollout`,
  experimentId: 'exp-1',
  priority: spec.priority ?? 0,
  rolloutPercentage: spec.rolloutPercentage,
  enabled: spec.enabled ?? true,
  value: str(spec.controlValue ?? 'rollout-control'),
  hashingSeed: spec.hashingSeed ?? 'override-seed',
  allocations: spec.allocations,
});
