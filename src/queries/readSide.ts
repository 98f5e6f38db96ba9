import type { Allocation, Value } from '../domain/values.ts';

/**
 * The read side's contract, shared by the CLI, the HTTP server and the Flagsmith export.
 * JSON shapes here are public (documented in the README); extra fields are allowed.
 */
export type SlotView = {
  enabled: boolean;
  value: Value;
  hashingSeed: string;
  allocations: Allocation[];
};

export type SegmentOverrideView = SlotView & {
  segmentId: string;
  segmentName: string;
  priority: number;
  rolloutPercentage: number;
  experimentId: string;
};

export type FeatureStateView = {
  environmentId: string;
  featureId: string;
  name: string;
  versioning: 'v1' | 'v2';
  /** v2: the current version number; v1: the number of changes applied. */
  version: number;
  /** Global position (decimal string) of the last event reflected here. */
  position: string;
  /** v2: when the current version was published, and by which command. */
  publishedAt?: string;
  publishedByCommandId?: string;
  options: { optionId: string; key?: string; value: Value }[];
  environmentDefault: SlotView;
  segmentOverrides: SegmentOverrideView[];
  experiments: { experimentId: string; name: string; status: 'created' | 'running' | 'paused' | 'completed' }[];
};

/** One published v2 version: the whole flag configuration (default plus every override). */
export type FeatureVersionView = {
  environmentId: string;
  featureId: string;
  version: number;
  publishedAt: string;
  publishedByCommandId: string;
  /** Global position (decimal string) of the command's last event. */
  position: string;
  environmentDefault: SlotView;
  segmentOverrides: SegmentOverrideView[];
};

export type EvaluationView = {
  identity: string;
  identityKey: string;
  enabled: boolean;
  value: Value;
  /** null for control. */
  optionId: string | null;
  /** The option's key, else its id, else "control". */
  variant: string;
  /** null when the environment default was chosen. */
  segmentId: string | null;
  reason: string;
};

export type HistoryEntry = {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  occurredAt: string;
  actor: { type: 'user' | 'apiKey'; id: string };
  commandId: string;
  correlationId: string;
  causationId: string;
  data: unknown;
  summary: string;
};

export type EnvironmentView = {
  environmentId: string;
  apiKey: string;
  versioning: 'v1' | 'v2';
  /** Hashes only: a key is never stored. */
  serverKeys: { keyId: string; name: string; keyHash: string; revoked: boolean }[];
  position: string;
};

/** A past moment: an ISO-8601 time, or a global position (inclusive). Omitted: now. */
export type AsOf = { at?: string; position?: bigint };

export interface ReadSide {
  featureState(environmentId: string, featureId: string, asOf?: AsOf): Promise<FeatureStateView | undefined>;
  /** Every feature of an environment, ordered by featureId. */
  environmentFeatures(environmentId: string, asOf?: AsOf): Promise<FeatureStateView[]>;
  environment(environmentId: string, asOf?: AsOf): Promise<EnvironmentView | undefined>;
  evaluate(environmentId: string, featureId: string, identity: string, asOf?: AsOf): Promise<EvaluationView | undefined>;
  featureHistory(environmentId: string, featureId: string): Promise<HistoryEntry[]>;
  experimentHistory(experimentId: string): Promise<HistoryEntry[]>;
  /** v2: every published version, oldest first (immutable once published); v1: empty. */
  featureVersions?(environmentId: string, featureId: string): Promise<FeatureVersionView[]>;
}
