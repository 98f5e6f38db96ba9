import { exceeds100, mergeAllocations, sameAllocations, sumOf } from '../allocations.ts';
import type { CommandData } from '../commands.ts';
import type { FeatureEvent } from '../events.ts';
import { accept, notFound, ruleViolated, type Decision } from '../rejection.ts';
import { rolloutSegmentName } from '../streams.ts';
import { sameValue, type Allocation } from '../values.ts';
import type { EnvironmentState } from '../environment/environmentState.ts';
import type { Experiment, FeatureState, RegisteredFeature } from './featureState.ts';

export type FeatureCommand =
  | { type: 'RegisterFeature'; data: CommandData<'RegisterFeature'> }
  | { type: 'UpdateEnvironmentDefault'; data: CommandData<'UpdateEnvironmentDefault'> }
  | { type: 'CreateExperiment'; data: CommandData<'CreateExperiment'> }
  | { type: 'AddFeatureToExperimentRollout'; data: CommandData<'AddFeatureToExperimentRollout'> }
  | { type: 'StartExperiment'; data: CommandData<'StartExperiment'> }
  | { type: 'PauseExperiment'; data: CommandData<'PauseExperiment'> }
  | { type: 'CompleteExperiment'; data: CommandData<'CompleteExperiment'> };

/**
 * What decide needs from outside its stream. The handler supplies fresh ids so that
 * decide stays pure; they are used only when an event needs them and then recorded.
 */
export type FeatureDecideContext = {
  /** The environment's state, read from its own stream (RegisterFeature checks it exists). */
  environment: EnvironmentState;
  newHashingSeed: string;
  newSegmentId: string;
};

type Result = Decision<FeatureEvent>;


const unknownOptions = (feature: RegisteredFeature, allocations: readonly Allocation[]) =>
  allocations.map((a) => a.optionId).filter((id) => !feature.options.some((o) => o.optionId === id));

const checkOptionsBelong = (feature: RegisteredFeature, allocations: readonly Allocation[]): Result | undefined => {
  const unknown = unknownOptions(feature, allocations);
  return unknown.length > 0
    ? ruleViolated(`options [${unknown.join(', ')}] do not belong to feature ${feature.featureId}`)
    : undefined;
};

const checkEffectiveTotal = (merged: readonly Allocation[], what: string): Result | undefined => {
  const total = sumOf(merged);
  return exceeds100(total) ? ruleViolated(`${what} allocations must not exceed 100%, got ${total}% (listed plus existing unlisted options)`) : undefined;
};

const featureOf = (state: FeatureState, ref: { environmentId: string; featureId: string }): RegisteredFeature | Result =>
  state.registered ? state : notFound(`feature ${ref.featureId} is not registered in environment ${ref.environmentId}`);

const experimentOf = (feature: RegisteredFeature, experimentId: string): Experiment | Result =>
  feature.experiments.find((e) => e.experimentId === experimentId) ??
  notFound(`experiment ${experimentId} does not exist for feature ${feature.featureId} in environment ${feature.environmentId}`);

const isResult = (x: object): x is Result => 'ok' in x;

export const decide = (command: FeatureCommand, state: FeatureState, context: FeatureDecideContext): Result => {
  if (command.type === 'RegisterFeature') return registerFeature(command.data, state, context);
  const feature = featureOf(state, command.data);
  if (isResult(feature)) return feature;
  switch (command.type) {
    case 'UpdateEnvironmentDefault':
      return updateEnvironmentDefault(command.data, feature);
    case 'CreateExperiment':
      return createExperiment(command.data, feature);
    case 'AddFeatureToExperimentRollout':
      return addFeatureToExperimentRollout(command.data, feature, context);
    case 'StartExperiment':
    case 'PauseExperiment':
    case 'CompleteExperiment':
      return transitionExperiment(command, feature);
  }
};

const registerFeature = (data: CommandData<'RegisterFeature'>, state: FeatureState, context: FeatureDecideContext): Result => {
  if (!context.environment.registered) return notFound(`environment ${data.environmentId} is not registered`);
  if (state.registered) return ruleViolated(`feature ${data.featureId} is already registered in environment ${data.environmentId}`);
  return accept({
    type: 'FeatureRegistered',
    data: {
      environmentId: data.environmentId,
      featureId: data.featureId,
      name: data.name,
      enabled: data.enabled,
      value: data.value,
      options: data.options.map(({ optionId, key, value }) => (key === undefined ? { optionId, value } : { optionId, key, value })),
      defaultAllocations: data.options.map((o) => ({ optionId: o.optionId, percentage: o.defaultAllocation })),
      hashingSeed: context.newHashingSeed,
    },
  });
};

const updateEnvironmentDefault = (data: CommandData<'UpdateEnvironmentDefault'>, feature: RegisteredFeature): Result => {
  const current = feature.environmentDefault;
  const listed = data.allocations ?? [];
  const rejected = checkOptionsBelong(feature, listed);
  if (rejected) return rejected;
  const allocations = mergeAllocations(current.allocations, listed);
  const overLimit = checkEffectiveTotal(allocations, 'environment default');
  if (overLimit) return overLimit;
  const enabled = data.enabled ?? current.enabled;
  const value = data.value ?? current.value;
  if (enabled === current.enabled && sameValue(value, current.value) && sameAllocations(allocations, current.allocations)) return accept();
  return accept({
    type: 'EnvironmentDefaultUpdated',
    data: {
      environmentId: feature.environmentId,
      featureId: feature.featureId,
      enabled,
      value,
      allocations,
      previous: { enabled: current.enabled, value: current.value, allocations: current.allocations },
    },
  });
};

const createExperiment = (data: CommandData<'CreateExperiment'>, feature: RegisteredFeature): Result => {
  if (feature.options.length === 0) return ruleViolated(`experiments can only be created for multivariate features; ${feature.featureId} has no options`);
  if (feature.experiments.some((e) => e.experimentId === data.experimentId)) {
    return ruleViolated(`experiment ${data.experimentId} already exists for feature ${feature.featureId}`);
  }
  const active = feature.experiments.find((e) => e.status !== 'completed');
  if (active) {
    return ruleViolated(`an active experiment (${active.experimentId}, ${active.status}) already exists for feature ${feature.featureId} in environment ${feature.environmentId}`);
  }
  const { environmentId, featureId, experimentId, name, hypothesis } = data;
  return accept({ type: 'ExperimentCreated', data: hypothesis === undefined ? { environmentId, featureId, experimentId, name } : { environmentId, featureId, experimentId, name, hypothesis } });
};

const addFeatureToExperimentRollout = (
  data: CommandData<'AddFeatureToExperimentRollout'>,
  feature: RegisteredFeature,
  context: FeatureDecideContext,
): Result => {
  const rejected = checkOptionsBelong(feature, data.allocations);
  if (rejected) return rejected;
  const experiment = experimentOf(feature, data.experimentId);
  if (isResult(experiment)) return experiment;
  if (experiment.status === 'completed') return ruleViolated(`cannot change the rollout of completed experiment ${experiment.experimentId}`);

  const { environmentId, featureId, experimentId } = data;
  const override = feature.segmentOverrides.find((o) => o.segmentId === experiment.segmentId);
  if (!override) {
    const priority = feature.segmentOverrides.reduce((max, o) => Math.max(max, o.priority + 1), 0);
    const zeroed = feature.options.map((o) => ({ optionId: o.optionId, percentage: 0 }));
    return accept(
      {
        type: 'RolloutSegmentCreated',
        data: {
          environmentId,
          featureId,
          experimentId,
          segment: { segmentId: context.newSegmentId, name: rolloutSegmentName(experimentId), rolloutPercentage: data.rolloutPercentage },
          override: { priority, enabled: data.enabled, value: data.controlValue, hashingSeed: context.newHashingSeed, allocations: data.allocations },
        },
      },
      {
        type: 'DefaultAllocationsZeroed',
        data: { environmentId, featureId, experimentId, allocations: zeroed, replaced: feature.environmentDefault.allocations },
      },
    );
  }

  const allocations = mergeAllocations(override.allocations, data.allocations);
  const overLimit = checkEffectiveTotal(allocations, 'rollout override');
  if (overLimit) return overLimit;
  const unchanged =
    override.rolloutPercentage === data.rolloutPercentage &&
    override.enabled === data.enabled &&
    sameValue(override.value, data.controlValue) &&
    sameAllocations(override.allocations, allocations);
  if (unchanged) return accept();
  return accept({
    type: 'RolloutTuned',
    data: {
      environmentId,
      featureId,
      experimentId,
      segmentId: override.segmentId,
      rolloutPercentage: data.rolloutPercentage,
      enabled: data.enabled,
      value: data.controlValue,
      allocations,
      previous: { rolloutPercentage: override.rolloutPercentage, enabled: override.enabled, value: override.value, allocations: override.allocations },
    },
  });
};

const allowedFrom = {
  StartExperiment: ['created', 'paused'],
  PauseExperiment: ['running'],
  CompleteExperiment: ['running', 'paused'],
} as const;

const transitionExperiment = (
  command: Extract<FeatureCommand, { type: 'StartExperiment' | 'PauseExperiment' | 'CompleteExperiment' }>,
  feature: RegisteredFeature,
): Result => {
  const experiment = experimentOf(feature, command.data.experimentId);
  if (isResult(experiment)) return experiment;
  const allowed: readonly string[] = allowedFrom[command.type];
  if (!allowed.includes(experiment.status)) {
    return ruleViolated(`${command.type} needs experiment ${experiment.experimentId} to be ${allowed.join(' or ')}, but it is ${experiment.status}`);
  }
  const ref = { environmentId: feature.environmentId, featureId: feature.featureId, experimentId: experiment.experimentId };
  switch (command.type) {
    case 'StartExperiment': {
      const override = feature.segmentOverrides.find((o) => o.segmentId === experiment.segmentId);
      return accept({ type: 'ExperimentStarted', data: { ...ref, overrideEnabled: override !== undefined && !override.enabled } });
    }
    case 'PauseExperiment':
      return accept({ type: 'ExperimentPaused', data: ref });
    case 'CompleteExperiment':
      return accept({ type: 'ExperimentCompleted', data: ref });
  }
};
