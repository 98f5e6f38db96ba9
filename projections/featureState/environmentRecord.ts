import { evolveEnvironment } from '../../src/domain/environment/environmentDecider.ts';
import { initialEnvironmentState, type EnvironmentState } from '../../src/domain/environment/environmentState.ts';
import type { EnvironmentEvent } from '../../src/domain/events.ts';
import type { EnvironmentView } from '../../src/queries/readSide.ts';

export const applyEnvironmentEvent = (current: EnvironmentView | undefined, event: EnvironmentEvent, position: bigint): EnvironmentView => {
  if (event.type === 'EnvironmentRegistered' && current) throw new Error(`environment ${event.data.environmentId} is already registered`);
  const before: EnvironmentState = current ? { registered: true, ...current } : initialEnvironmentState();
  const state = evolveEnvironment(before, event);
  if (!state.registered) throw new Error(`${event.type} left the environment unregistered`);
  return {
    environmentId: state.environmentId,
    apiKey: state.apiKey,
    versioning: state.versioning,
    serverKeys: state.serverKeys.map((k) => ({ keyId: k.keyId, name: k.name, keyHash: k.keyHash, revoked: k.revoked })),
    position: position.toString(),
  };
};
