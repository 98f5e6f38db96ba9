/**
 * The subset of Flagsmith's environment document that experiment-rollout writes: what
 * flagsmith-nodejs 8.x (`buildEnvironmentModel`) and the other server-side SDKs read
 * for local evaluation. Field names are Flagsmith's, snake_case included.
 */
export type FlagsmithValue = string | number | boolean;

export type FlagsmithFeature = { id: string; name: string; type: 'STANDARD' | 'MULTIVARIATE' };

export type FlagsmithMultivariateValue = {
  /** Ascending in allocation order: SDKs walk the variants by this id. */
  id: number;
  multivariate_feature_option: { id: string; value: FlagsmithValue };
  percentage_allocation: number;
};

export type FlagsmithFeatureState = {
  feature: FlagsmithFeature;
  enabled: boolean;
  feature_state_value: FlagsmithValue;
  /** No numeric django_id: SDKs then hash variants with this, our hashing seed. */
  featurestate_uuid: string;
  multivariate_feature_state_values: FlagsmithMultivariateValue[];
  feature_segment: { priority: number } | null;
};

export type FlagsmithCondition = { operator: 'PERCENTAGE_SPLIT'; property_: '$.identity.key'; value: string };

export type FlagsmithRule = { type: 'ALL'; conditions: FlagsmithCondition[]; rules: FlagsmithRule[] };

export type FlagsmithSegment = { id: string; name: string; rules: FlagsmithRule[]; feature_states: FlagsmithFeatureState[] };

export type FlagsmithEnvironmentDocument = {
  id: string;
  api_key: string;
  name: string;
  project: {
    id: string;
    name: string;
    hide_disabled_flags: false;
    organisation: { id: string; name: string; feature_analytics: false; stop_serving_flags: false; persist_trait_data: false };
    segments: FlagsmithSegment[];
  };
  feature_states: FlagsmithFeatureState[];
  identity_overrides: [];
};
