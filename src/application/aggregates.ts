import type { CommandEnvelope, CommandType } from '../domain/commands.ts';
import { decideEnvironment, evolveEnvironment, type EnvironmentCommand } from '../domain/environment/environmentDecider.ts';
import { initialEnvironmentState, type EnvironmentState } from '../domain/environment/environmentState.ts';
import { isEnvironmentEvent, type DomainEvent, type FeatureEvent } from '../domain/events.ts';
import { decide, evolve, initialFeatureState, type FeatureCommand, type FeatureState } from '../domain/featureState/featureDecider.ts';
import { environmentStreamId, featureStreamId } from '../domain/streams.ts';

const environmentCommandTypes = new Set<CommandType>(['RegisterEnvironment', 'IssueServerKey', 'RevokeServerKey']);

export const isEnvironmentCommand = (command: CommandEnvelope): command is CommandEnvelope & EnvironmentCommand =>
  environmentCommandTypes.has(command.type);

/** Which stream a command's consistency boundary is. */
export const streamIdOf = (command: CommandEnvelope): string =>
  isEnvironmentCommand(command)
    ? environmentStreamId(command.data.environmentId)
    : featureStreamId(command.data.environmentId, (command as FeatureCommand).data.featureId);

export const isEnvironmentStream = (streamId: string): boolean => streamId.startsWith('environment-');

/** Folds one event into whichever kind of stream state it belongs to. */
export const evolveAny = (state: EnvironmentState | FeatureState, event: DomainEvent): EnvironmentState | FeatureState =>
  isEnvironmentEvent(event)
    ? evolveEnvironment(state as EnvironmentState, event)
    : evolve(state as FeatureState, event as FeatureEvent);

export const initialStateOf = (streamId: string): EnvironmentState | FeatureState =>
  isEnvironmentStream(streamId) ? initialEnvironmentState() : initialFeatureState();

export { decide as decideFeature, decideEnvironment };
