import type { EnvironmentView, FeatureStateView, SegmentOverrideView, SlotView } from '../../../src/queries/readSide.ts';

const str = (value: string) => ({ type: 'string' as const, value });
const int = (value: number) => ({ type: 'integer' as const, value: String(value) });
const bool = (value: boolean) => ({ type: 'boolean' as const, value: String(value) });

export const handBuiltEnvironment: EnvironmentView = {
  environmentId: 'production',
  apiKey: 'key-production',
  versioning: 'v1',
  serverKeys: [],
  position: '12',
};

const feature = (featureId: string, options: FeatureStateView['options'], environmentDefault: SlotView, segmentOverrides: SegmentOverrideView[] = []): FeatureStateView => ({
  environmentId: 'production',
  featureId,
  name: `The ${featureId} flag`,
  versioning: 'v1',
  version: 3,
  position: '12',
  options,
  environmentDefault,
  segmentOverrides,
  experiments: [],
});

const override = (experimentId: string, slot: SlotView & { priority: number; rolloutPercentage: number; segmentId: string }): SegmentOverrideView => ({
  ...slot,
  experimentId,
  segmentName: `experiment-${experimentId}-rollout`,
});

/**
 * The shapes the read model can take: a zeroed default under a rollout, an
 * integer and a boolean multivariate, a disabled override, two rollouts on one
 * feature, and a plain flag.
 */
export const handBuiltFeatures: FeatureStateView[] = [
  feature(
    'checkout-button',
    [
      { optionId: 'A', key: 'a', value: str('red') },
      { optionId: 'B', key: 'b', value: str('green') },
      { optionId: 'C', value: str('blue') },
    ],
    { enabled: true, value: str('control'), hashingSeed: '0b6f3a52-3c1e-4d0e-9a51-2f8e2a7f1c11', allocations: [{ optionId: 'A', percentage: 0 }, { optionId: 'B', percentage: 0 }, { optionId: 'C', percentage: 0 }] },
    [
      override('exp-old', { segmentId: '8d1e4c7a-1111-4f5e-8a2b-3c4d5e6f7a8b', priority: 0, rolloutPercentage: 10, enabled: true, value: str('old'), hashingSeed: 'c5a1e0f2-2222-4b3c-9d4e-5f6a7b8c9d0e', allocations: [{ optionId: 'C', percentage: 100 }] }),
      override('exp-1', { segmentId: 'f3b2a1c0-3333-4d5e-8f9a-0b1c2d3e4f5a', priority: 1, rolloutPercentage: 42, enabled: true, value: str('control'), hashingSeed: '9e8d7c6b-4444-4a3b-8c2d-1e0f9a8b7c6d', allocations: [{ optionId: 'B', percentage: 40 }, { optionId: 'A', percentage: 60 }] }),
    ],
  ),
  feature(
    'max-items',
    [
      { optionId: 'small', value: int(5) },
      { optionId: 'large', value: int(50) },
    ],
    { enabled: true, value: int(20), hashingSeed: '1a2b3c4d-5555-4e6f-8a9b-0c1d2e3f4a5b', allocations: [{ optionId: 'large', percentage: 30 }, { optionId: 'small', percentage: 33.3 }] },
  ),
  feature(
    'dark-mode',
    [{ optionId: 'on', value: bool(true) }],
    { enabled: true, value: bool(false), hashingSeed: '6c7d8e9f-6666-4a0b-9c1d-2e3f4a5b6c7d', allocations: [{ optionId: 'on', percentage: 0 }] },
    [override('exp-dark', { segmentId: '2f3e4d5c-7777-4b6a-8987-6f5e4d3c2b1a', priority: 0, rolloutPercentage: 33.333, enabled: false, value: bool(false), hashingSeed: '7d6c5b4a-8888-4f3e-9d2c-1b0a9f8e7d6c', allocations: [{ optionId: 'on', percentage: 50 }] })],
  ),
  feature('plain', [], { enabled: false, value: str(''), hashingSeed: '3e4f5a6b-9999-4c7d-8e9f-0a1b2c3d4e5f', allocations: [] }),
];
