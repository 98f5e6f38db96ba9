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
