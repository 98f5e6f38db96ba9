import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Projections } from '../app/rollout.ts';
import type { CommandBusOptions } from '../application/commandBus.ts';

export type ServerMetrics = {
  registry: Registry;
  /** The command bus hook: pass it as `bus.onResult` when opening the rollout. */
  onResult: NonNullable<CommandBusOptions['onResult']>;
  /** Projection lag is read from the projections at scrape time. */
  observeProjections(projections: Projections): void;
};

/** One registry per server, so tests (and several servers in one process) never share counters. */
export const createMetrics = (options: { defaultMetrics?: boolean } = {}): ServerMetrics => {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'rollout_' });

  const commands = new Counter({
    name: 'rollout_commands_total',
    help: 'Commands handled, by command type and result status (invalid: the envelope did not validate).',
    labelNames: ['type', 'status', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'rollout_command_duration_seconds',
    help: 'Time from receiving a command to its result, by command type.',
    labelNames: ['type'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  let projections: Projections | undefined;
  new Gauge({
    name: 'rollout_projection_lag_events',
    help: 'Events in the store not yet applied by each projection.',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      if (!projections) return;
      this.reset();
      for (const status of await projections.status()) this.set({ projection: status.name }, status.lag);
    },
  });

  return {
    registry,
    onResult(result, commandType, durationMs) {
      const type = commandType ?? 'invalid';
      commands.inc({ type, status: result.status, code: result.error?.code ?? '' });
      latency.observe({ type }, durationMs / 1000);
    },
    observeProjections(p) {
      projections = p;
    },
  };
};
