import type { Allocation, Value } from '../values.ts';

/** What a feature serves in one slot (the environment default or a segment override). */
export type Slot = {
  enabled: boolean;
  value: Value;
  hashingSeed: string;
  allocations: Allocation[];
};

export type RolloutOverride = Slot & {
  experimentId: string;
  segmentId: string;
  segmentName: string;
  /** Lower number wins; a rollout override goes after every existing one. */
  priority: number;
  rolloutPercentage: number;
};

export type ExperimentStatus = 'created' | 'running' | 'paused' | 'completed';

export type Experiment = {
  experimentId: string;
  name: string;
  hypothesis?: string;
  status: ExperimentStatus;
  /** Set once the first add created the rollout segment. */
  segmentId?: string;
};

export type FeatureOption = { optionId: string; key?: string; value: Value };

export type RegisteredFeature = {
  registered: true;
  environmentId: string;
  featureId: string;
  name: string;
  options: FeatureOption[];
  environmentDefault: Slot;
  segmentOverrides: RolloutOverride[];
  experiments: Experiment[];
};

/** State of one featureState-{environment}/{feature} stream. */
export type FeatureState = { registered: false } | RegisteredFeature;

export const initialFeatureState = (): FeatureState => ({ registered: false });
