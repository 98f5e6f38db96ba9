import type { CommandData } from '../commands.ts';
import type { EnvironmentEvent } from '../events.ts';
import { accept, notFound, ruleViolated, type Decision } from '../rejection.ts';
import type { EnvironmentState } from './environmentState.ts';

export type EnvironmentCommand =
  | { type: 'RegisterEnvironment'; data: CommandData<'RegisterEnvironment'> }
  | { type: 'IssueServerKey'; data: CommandData<'IssueServerKey'> }
  | { type: 'RevokeServerKey'; data: CommandData<'RevokeServerKey'> };

/** The handler makes the key; decide only ever sees its id and hash. */
export type EnvironmentDecideContext = { newKeyId: string; newKeyHash: string };

export const decideEnvironment = (command: EnvironmentCommand, state: EnvironmentState, context: EnvironmentDecideContext): Decision<EnvironmentEvent> => {
  if (command.type === 'RegisterEnvironment') {
    if (state.registered) return ruleViolated(`environment ${command.data.environmentId} is already registered`);
    return accept({ type: 'EnvironmentRegistered', data: command.data });
  }
  if (!state.registered) return notFound(`environment ${command.data.environmentId} is not registered`);
  if (command.type === 'IssueServerKey') {
    return accept({ type: 'ServerKeyIssued', data: { environmentId: state.environmentId, keyId: context.newKeyId, name: command.data.name, keyHash: context.newKeyHash } });
  }
  const key = state.serverKeys.find((k) => k.keyId === command.data.keyId);
  if (!key) return notFound(`server key ${command.data.keyId} does not exist in environment ${state.environmentId}`);
  if (key.revoked) return accept();
  return accept({ type: 'ServerKeyRevoked', data: { environmentId: state.environmentId, keyId: key.keyId } });
};

export const evolveEnvironment = (state: EnvironmentState, event: EnvironmentEvent): EnvironmentState => {
  switch (event.type) {
    case 'EnvironmentRegistered':
      return { registered: true, ...event.data, serverKeys: [] };
    case 'ServerKeyIssued':
      if (!state.registered) throw new Error('ServerKeyIssued applied to an unregistered environment');
      return { ...state, serverKeys: [...state.serverKeys, { keyId: event.data.keyId, name: event.data.name, keyHash: event.data.keyHash, revoked: false }] };
    case 'ServerKeyRevoked':
      if (!state.registered) throw new Error('ServerKeyRevoked applied to an unregistered environment');
      return { ...state, serverKeys: state.serverKeys.map((k) => (k.keyId === event.data.keyId ? { ...k, revoked: true } : k)) };
  }
};
