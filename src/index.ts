/** The library's public surface. */
export { createCommandBus, eventIdFor, type CommandBus, type CommandBusOptions } from './application/commandBus.ts';
export type { CommandResult, CommandStatus } from './application/commandResult.ts';
export { RolloutError, ValidationError, ConcurrencyError, EventIdInUseError, type ErrorCode, type ValidationIssue } from './application/errors.ts';
export { CommandEnvelope, commandDataSchemas, commandTypes, type Command, type CommandType, type CommandData } from './domain/commands.ts';
export { eventSchemas, eventTypes, type DomainEvent, type EventType, type EventData } from './domain/events.ts';
export { decide, evolve, initialFeatureState, type FeatureState } from './domain/featureState/featureDecider.ts';
export { environmentStreamId, featureStreamId, rolloutSegmentName } from './domain/streams.ts';
export type { EventStore, NewEvent, RecordedEvent, EventMetadata } from './eventStore/eventStore.ts';
export { createInMemoryEventStore } from './eventStore/inMemoryEventStore.ts';
export { openEventStore, parseStoreSetting, DEFAULT_STORE_SETTING } from './eventStore/openEventStore.ts';
export { createSqliteEventStore, type SqliteEventStore, type SqliteDurability } from './eventStore/sqliteEventStore.ts';
export { openRollout } from './app/openRollout.ts';
export type { Rollout, Projections, OpenRolloutOptions } from './app/rollout.ts';
export type { ReadSide, FeatureStateView, EvaluationView, HistoryEntry, EnvironmentView, AsOf } from './queries/readSide.ts';
export { evaluateIdentity } from './evaluation/evaluateIdentity.ts';
export { hashPercentage } from './evaluation/hashPercentage.ts';
