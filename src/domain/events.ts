import { z } from 'zod';
import { Allocation, Id, Percentage, Value } from './values.ts';

/**
 * Every event's data schema, with its schema version. A later change to an event bumps
 * its version and adds an upcaster in upcast.ts; stored events are never rewritten.
 */
const FeatureRef = { environmentId: Id, featureId: Id };
const ExperimentRef = { ...FeatureRef, experimentId: Id };
const Allocations = z.array(Allocation);

const SlotSnapshot = z.object({ enabled: z.boolean(), value: Value, allocations: Allocations });

export const EnvironmentRegistered = z.object({ environmentId: Id, apiKey: z.string(), versioning: z.enum(['v1', 'v2']) });

export const ServerKeyIssued = z.object({
  environmentId: Id,
  keyId: Id,
  name: z.string(),
  /** SHA-256 (hex) of the key; the key itself is never stored. */
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ServerKeyRevoked = z.object({ environmentId: Id, keyId: Id });

export const FeatureRegistered = z.object({
  ...FeatureRef,
  name: z.string(),
  enabled: z.boolean(),
  value: Value,
  options: z.array(z.object({ optionId: Id, key: z.string().optional(), value: Value })),
  defaultAllocations: Allocations,
  hashingSeed: z.string(),
});

export const EnvironmentDefaultUpdated = z.object({
  ...FeatureRef,
  /** The default after the edit (allocations merged), and before it, for the audit trail. */
  enabled: z.boolean(),
  value: Value,
  allocations: Allocations,
  previous: SlotSnapshot,
});

export const ExperimentCreated = z.object({ ...ExperimentRef, name: z.string(), hypothesis: z.string().optional() });

export const RolloutSegmentCreated = z.object({
  ...ExperimentRef,
  segment: z.object({ segmentId: z.string(), name: z.string(), rolloutPercentage: Percentage }),
  override: z.object({
    priority: z.number().int().nonnegative(),
    enabled: z.boolean(),
    value: Value,
    hashingSeed: z.string(),
    allocations: Allocations,
  }),
});

export const DefaultAllocationsZeroed = z.object({
  ...ExperimentRef,
  /** The default's allocations after zeroing: every option of the feature at 0. */
  allocations: Allocations,
  /** The allocations it replaced. */
  replaced: Allocations,
});

export const RolloutTuned = z.object({
  ...ExperimentRef,
  segmentId: z.string(),
  rolloutPercentage: Percentage,
  enabled: z.boolean(),
  value: Value,
  /** The override's allocations after the merge. */
  allocations: Allocations,
  previous: SlotSnapshot.extend({ rolloutPercentage: Percentage }),
});

export const ExperimentStarted = z.object({
  ...ExperimentRef,
  /** True when the start switched a disabled rollout override on (allocations kept). */
  overrideEnabled: z.boolean(),
});

/**
 * Experiment ids are unique across the whole store: CreateExperiment first claims the id in
 * its own stream, experiment-{experimentId}, for one (environment, feature).
 */
export const ExperimentIdReserved = z.object({ experimentId: Id, environmentId: Id, featureId: Id });

export const ExperimentPaused = z.object(ExperimentRef);
export const ExperimentCompleted = z.object(ExperimentRef);

export const eventSchemas = {
  EnvironmentRegistered,
  ServerKeyIssued,
  ServerKeyRevoked,
  FeatureRegistered,
  EnvironmentDefaultUpdated,
  ExperimentCreated,
  RolloutSegmentCreated,
  DefaultAllocationsZeroed,
  RolloutTuned,
  ExperimentStarted,
  ExperimentPaused,
  ExperimentCompleted,
  ExperimentIdReserved,
} as const;

export type EventType = keyof typeof eventSchemas;
export const eventTypes = Object.keys(eventSchemas) as EventType[];

/** Current schema version of each event type. */
export const eventSchemaVersions: Record<EventType, number> = Object.fromEntries(eventTypes.map((t) => [t, 1])) as Record<EventType, number>;

export type EventData<T extends EventType> = z.infer<(typeof eventSchemas)[T]>;
export type DomainEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

export type EnvironmentEvent = Extract<DomainEvent, { type: 'EnvironmentRegistered' | 'ServerKeyIssued' | 'ServerKeyRevoked' }>;
export type ReservationEvent = Extract<DomainEvent, { type: 'ExperimentIdReserved' }>;
export type FeatureEvent = Exclude<DomainEvent, EnvironmentEvent | ReservationEvent>;

export const isEnvironmentEvent = (event: DomainEvent): event is EnvironmentEvent =>
  event.type === 'EnvironmentRegistered' || event.type === 'ServerKeyIssued' || event.type === 'ServerKeyRevoked';

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventSchemas, type);
