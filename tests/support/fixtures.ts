import { v4 as uuidv4 } from 'uuid';

/** Builders for command envelopes, so tests read as the scenario they check. */
export const envelope = (type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type,
  commandId: uuidv4(),
  actor: { type: 'user', id: 'u-17' },
  data,
  ...extra,
});

export const str = (value: string) => ({ type: 'string', value });

export const ENV = 'production';
export const FEATURE = 'checkout-button';
export const EXPERIMENT = 'exp-1';

export const registerEnvironment = (versioning: 'v1' | 'v2' = 'v1', environmentId = ENV) =>
  envelope('RegisterEnvironment', { environmentId, apiKey: `key-${environmentId}`, versioning });

/** The fixture of domain.md section 6: feature F with options A, B, C at 30/30/40 on the default. */
export const registerFeature = (featureId = FEATURE, environmentId = ENV) =>
  envelope('RegisterFeature', {
    environmentId,
    featureId,
    name: featureId,
    enabled: true,
    value: str('control'),
    options: [
      { optionId: 'A', key: 'a', value: str('red'), defaultAllocation: 30 },
      { optionId: 'B', key: 'b', value: str('green'), defaultAllocation: 30 },
      { optionId: 'C', value: str('blue'), defaultAllocation: 40 },
    ],
  });

export const createExperiment = (experimentId = EXPERIMENT, featureId = FEATURE, environmentId = ENV) =>
  envelope('CreateExperiment', { environmentId, featureId, experimentId, name: `Experiment ${experimentId}` });

export const addToRollout = (
  spec: { rolloutPercentage: number; allocations: { optionId: string; percentage: number }[]; enabled?: boolean; controlValue?: unknown },
  experimentId = EXPERIMENT,
  featureId = FEATURE,
  environmentId = ENV,
) =>
  envelope('AddFeatureToExperimentRollout', {
    environmentId,
    featureId,
    experimentId,
    enabled: spec.enabled ?? true,
    rolloutPercentage: spec.rolloutPercentage,
    controlValue: spec.controlValue ?? str('control'),
    allocations: spec.allocations,
  });

export const experimentCommand = (type: 'StartExperiment' | 'PauseExperiment' | 'CompleteExperiment', experimentId = EXPERIMENT, featureId = FEATURE, environmentId = ENV) =>
  envelope(type, { environmentId, featureId, experimentId });

export const updateDefault = (change: Record<string, unknown>, featureId = FEATURE, environmentId = ENV) =>
  envelope('UpdateEnvironmentDefault', { environmentId, featureId, ...change });
