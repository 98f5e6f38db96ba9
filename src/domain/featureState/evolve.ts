import type { FeatureEvent } from '../events.ts';
import type { Experiment, FeatureState, RegisteredFeature, RolloutOverride } from './featureState.ts';

const registered = (state: FeatureState, type: string): RegisteredFeature => {
  if (!state.registered) throw new Error(`${type} applied to a feature that is not registered`);
  return state;
};

const withExperiment = (state: RegisteredFeature, experimentId: string, change: (e: Experiment) => Experiment): RegisteredFeature => ({
  ...state,
  experiments: state.experiments.map((e) => (e.experimentId === experimentId ? change(e) : e)),
});

const withOverride = (state: RegisteredFeature, segmentId: string, change: (o: RolloutOverride) => RolloutOverride): RegisteredFeature => ({
  ...state,
  segmentOverrides: state.segmentOverrides.map((o) => (o.segmentId === segmentId ? change(o) : o)),
});

/** Folds one event into the feature state. Pure: returns a new state, never mutates. */
export const evolve = (state: FeatureState, event: FeatureEvent): FeatureState => {
  switch (event.type) {
    case 'FeatureRegistered': {
      const { environmentId, featureId, name, enabled, value, options, defaultAllocations, hashingSeed } = event.data;
      return {
        registered: true,
        environmentId,
        featureId,
        name,
        options,
        environmentDefault: { enabled, value, hashingSeed, allocations: defaultAllocations },
        segmentOverrides: [],
        experiments: [],
      };
    }
    case 'EnvironmentDefaultUpdated': {
      const s = registered(state, event.type);
      const { enabled, value, allocations } = event.data;
      return { ...s, environmentDefault: { ...s.environmentDefault, enabled, value, allocations } };
    }
    case 'ExperimentCreated': {
      const s = registered(state, event.type);
      const { experimentId, name, hypothesis } = event.data;
      const experiment: Experiment = hypothesis === undefined ? { experimentId, name, status: 'created' } : { experimentId, name, hypothesis, status: 'created' };
      return { ...s, experiments: [...s.experiments, experiment] };
    }
    case 'RolloutSegmentCreated': {
      const s = registered(state, event.type);
      const { experimentId, segment, override } = event.data;
      const withSegment = withExperiment(s, experimentId, (e) => ({ ...e, segmentId: segment.segmentId }));
      return {
        ...withSegment,
        segmentOverrides: [
          ...s.segmentOverrides,
          { ...override, experimentId, segmentId: segment.segmentId, segmentName: segment.name, rolloutPercentage: segment.rolloutPercentage },
        ],
      };
    }
    case 'DefaultAllocationsZeroed': {
      const s = registered(state, event.type);
      return { ...s, environmentDefault: { ...s.environmentDefault, allocations: event.data.allocations } };
    }
    case 'RolloutTuned': {
      const { segmentId, rolloutPercentage, enabled, value, allocations } = event.data;
      return withOverride(registered(state, event.type), segmentId, (o) => ({ ...o, rolloutPercentage, enabled, value, allocations }));
    }
    case 'ExperimentStarted': {
      const s = withExperiment(registered(state, event.type), event.data.experimentId, (e) => ({ ...e, status: 'running' }));
      const segmentId = s.experiments.find((e) => e.experimentId === event.data.experimentId)?.segmentId;
      return event.data.overrideEnabled && segmentId ? withOverride(s, segmentId, (o) => ({ ...o, enabled: true })) : s;
    }
    case 'ExperimentPaused':
      return withExperiment(registered(state, event.type), event.data.experimentId, (e) => ({ ...e, status: 'paused' }));
    case 'ExperimentCompleted':
      return withExperiment(registered(state, event.type), event.data.experimentId, (e) => ({ ...e, status: 'completed' }));
  }
};
