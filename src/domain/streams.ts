/** Stream ids: category, dash, key, so EventStoreDB's category projections work. */
export const environmentStreamId = (environmentId: string): string => `environment-${environmentId}`;

/** One stream per (environment, feature): the consistency boundary of every rollout invariant. */
export const featureStreamId = (environmentId: string, featureId: string): string =>
  `featureState-${environmentId}/${featureId}`;

export const rolloutSegmentName = (experimentId: string): string => `experiment-${experimentId}-rollout`;

/** Holds the one ExperimentIdReserved that makes an experiment id unique store-wide. */
export const experimentStreamId = (experimentId: string): string => `experiment-${experimentId}`;
