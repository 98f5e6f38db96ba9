import type { FastifyInstance } from 'fastify';
import type { Rollout } from '../app/rollout.ts';
import type { ServerMetrics } from './metrics.ts';

export type RouteContext = {
  rollout: Rollout;
  metrics: ServerMetrics;
  /** How long a read with ?minPosition waits for the projections before answering 503. */
  readWaitMs: number;
  /** Where internal errors go (the client only gets a generic 500 problem). */
  reportInternal(what: string): void;
};

/** A route group: registers its routes on the app. The server is the list of these. */
export type RouteRegistration = (app: FastifyInstance, context: RouteContext) => void;
