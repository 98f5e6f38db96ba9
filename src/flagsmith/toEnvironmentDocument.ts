import type { EnvironmentView, FeatureStateView, SlotView } from '../queries/readSide.ts';
import type { FlagsmithEnvironmentDocument, FlagsmithFeatureState, FlagsmithSegment } from './environmentDocument.ts';
import { toFlagsmithValue } from './flagsmithValue.ts';
import { pythonFloat } from './pythonFloat.ts';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const featureStateOf = (feature: FeatureStateView, slot: SlotView, priority: number | null): FlagsmithFeatureState => {
  const optionValues = new Map(feature.options.map((o) => [o.optionId, o.value]));
  return {
    // SDKs look flags up by name, and our featureId is the unique, stable one.
    feature: { id: feature.featureId, name: feature.featureId, type: feature.options.length > 0 ? 'MULTIVARIATE' : 'STANDARD' },
    enabled: slot.enabled,
    feature_state_value: toFlagsmithValue(slot.value),
    featurestate_uuid: slot.hashingSeed,
    multivariate_feature_state_values: slot.allocations.map((allocation, index) => {
      const value = optionValues.get(allocation.optionId);
      if (!value) throw new Error(`feature ${feature.featureId} allocates option ${allocation.optionId}, which it does not have`);
      return {
        id: index + 1,
        multivariate_feature_option: { id: allocation.optionId, value: toFlagsmithValue(value) },
        percentage_allocation: allocation.percentage,
      };
    }),
    feature_segment: priority === null ? null : { priority },
  };
};

const percentageSplitRule = (rolloutPercentage: number) => ({
  type: 'ALL' as const,
  conditions: [{ operator: 'PERCENTAGE_SPLIT' as const, property_: '$.identity.key' as const, value: pythonFloat(rolloutPercentage) }],
  rules: [],
});

const segmentsOf = (features: readonly FeatureStateView[]): FlagsmithSegment[] => {
  const segments = new Map<string, FlagsmithSegment & { rolloutPercentage: number; bestPriority: number }>();
  for (const feature of features) {
    for (const override of feature.segmentOverrides) {
      let segment = segments.get(override.segmentId);
      if (!segment) {
        segment = {
          id: override.segmentId,
          name: override.segmentName,
          rules: [percentageSplitRule(override.rolloutPercentage)],
          feature_states: [],
          rolloutPercentage: override.rolloutPercentage,
          bestPriority: override.priority,
        };
        segments.set(override.segmentId, segment);
      } else if (segment.rolloutPercentage !== override.rolloutPercentage) {
        throw new Error(`segment ${override.segmentId} has two rollout percentages: ${segment.rolloutPercentage} and ${override.rolloutPercentage}`);
      }
      segment.bestPriority = Math.min(segment.bestPriority, override.priority);
      segment.feature_states.push(featureStateOf(feature, override, override.priority));
    }
  }
  // SDKs keep the first of equally ranked overrides, as evaluate keeps the first listed:
  // ties stay in listing order (the sort is stable).
  return [...segments.values()]
    .sort((a, b) => a.bestPriority - b.bestPriority)
    .map(({ id, name, rules, feature_states }) => ({ id, name, rules, feature_states }));
};

/**
 * One environment's read model as the document Flagsmith's server-side SDKs evaluate
 * locally: environment defaults as feature_states, each rollout segment with its
 * PERCENTAGE_SPLIT rule and its overrides. Pure; the caller picks the moment.
 */
export const toEnvironmentDocument = (environment: EnvironmentView, features: readonly FeatureStateView[]): FlagsmithEnvironmentDocument => {
  // A stable order keeps the document bytes (and so the ETag) stable between polls.
  const sorted = [...features].sort((a, b) => byString(a.featureId, b.featureId));
  return {
    id: environment.environmentId,
    api_key: environment.apiKey,
    name: environment.environmentId,
    project: {
      id: environment.environmentId,
      name: environment.environmentId,
      hide_disabled_flags: false,
      organisation: { id: 'experiment-rollout', name: 'experiment-rollout', feature_analytics: false, stop_serving_flags: false, persist_trait_data: false },
      segments: segmentsOf(sorted),
    },
    feature_states: sorted.map((feature) => featureStateOf(feature, feature.environmentDefault, null)),
    identity_overrides: [],
  };
};
