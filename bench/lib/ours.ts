/** Drives our command bus (src/application/commandBus.ts) over any of our event stores. */
import { createCommandBus, type CommandBus } from '../../src/application/commandBus.ts';
import type { EventStore } from '../../src/eventStore/eventStore.ts';
import { runQueue } from './stats.ts';
import { setupEnvironment, setupFeature, type Envelope } from './workload.ts';

export const oursBus = (store: EventStore): CommandBus => createCommandBus({ store });

/** Sends one command; returns undefined when it was accepted, else why not. */
export const sendExpectingAccepted = async (bus: CommandBus, command: Envelope): Promise<string | undefined> => {
  const result = await bus.send(command);
  return result.status === 'accepted' ? undefined : `${result.status}: ${result.error?.message ?? 'no event appended'}`;
};

/** The untimed setup: the environment, then every feature and its experiment. */
export const setupOurs = async (bus: CommandBus, features: number, concurrency = 32): Promise<void> => {
  const env = await sendExpectingAccepted(bus, setupEnvironment());
  if (env) throw new Error(`setup failed: ${env}`);
  const commands = Array.from({ length: features }, (_, i) => setupFeature(i));
  // Per feature in order (RegisterFeature before CreateExperiment), features concurrently.
  const run = await runQueue(features, concurrency, async (i) => {
    for (const command of commands[i]!) {
      const failure = await sendExpectingAccepted(bus, command);
      if (failure) return failure;
    }
    return undefined;
  });
  if (run.failures > 0) throw new Error(`setup failed: ${run.firstFailure}`);
};
