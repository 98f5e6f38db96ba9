import type { AddressInfo } from 'node:net';
import type { OpenRolloutOptions, Rollout } from '../app/rollout.ts';
import { createServer, type ServerOptions } from './createServer.ts';
import { createMetrics } from './metrics.ts';

export type StartServerOptions = Omit<ServerOptions, 'metrics'> & {
  store: string;
  port: number;
  host: string;
  openRollout(options: OpenRolloutOptions): Promise<Rollout>;
  onProjectionError?(error: unknown): void;
};

export type RunningServer = {
  url: string;
  storeDescription: string;
  /** Stops accepting, lets in-flight requests finish, stops the projections and closes the store. */
  stop(): Promise<void>;
};

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** Opens the rollout, runs its projections inside the server (so reads follow writes) and listens. */
export const startServer = async (options: StartServerOptions): Promise<RunningServer> => {
  const { store, port, host, openRollout, onProjectionError, ...serverOptions } = options;
  const metrics = createMetrics();
  const rollout = await openRollout({ store, bus: { onResult: metrics.onResult } });
  const app = createServer(rollout, { ...serverOptions, metrics });
  try {
    // follow() catches up first and never throws for a stopped projection: the server still
    // takes commands and serves the last good read model, and /health reports the stop.
    await rollout.projections.follow().catch((error: unknown) => onProjectionError?.(error));
    for (const stopped of (await rollout.projections.status()).filter((p) => p.error !== undefined)) onProjectionError?.(new Error(stopped.error));
    await app.listen({ port, host });
  } catch (error) {
    await app.close().catch(() => undefined);
    await rollout.close();
    throw error;
  }
  const { port: actualPort } = app.server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${actualPort}`,
    storeDescription: rollout.store.description,
    stop() {
      stopping ??= (async () => {
        try {
          await app.close();
        } finally {
          await rollout.close();
        }
      })();
      return stopping;
    },
  };
};
