import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Rollout } from '../app/rollout.ts';
import { createMetrics, type ServerMetrics } from './metrics.ts';
import { problem, sendProblem } from './problem.ts';
import type { RouteRegistration } from './routeContext.ts';
import { routes as defaultRoutes } from './routes/index.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_READ_WAIT_MS = 5000;

export type ServerOptions = {
  /** Largest accepted request body in bytes (default 1 MiB); larger ones get 413 before any parsing. */
  bodyLimit?: number;
  /** How long ?minPosition waits for the projections (default 5 s). */
  readWaitMs?: number;
  /** Pass the same metrics whose onResult the rollout's bus was opened with, so commands are counted. */
  metrics?: ServerMetrics;
  /** Route groups; defaults to every group in routes/index.ts. */
  routes?: RouteRegistration[];
  /** Fastify's request log (off by default). Bodies are never logged either way. */
  logger?: boolean;
  /** Told about every internal error, whose details never go to the client. */
  onInternalError?: (what: string) => void;
};

const errorProblem = (error: FastifyError) => {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'payload_too_large', 'the request body is larger than the configured limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'unsupported_media_type', 'send the command as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'validation_failed', 'the JSON body is empty', { issues: [{ path: '(root)', message: 'body is empty' }] });
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problem(400, 'validation_failed', `malformed JSON: ${error.message}`, { issues: [{ path: '(root)', message: 'malformed JSON' }] });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return problem(status, 'validation_failed', error.message);
  return problem(500, 'internal', 'internal error');
};

/** The HTTP API over an opened Rollout. The caller owns the rollout (opens and closes it). */
export const createServer = (rollout: Rollout, options: ServerOptions = {}): FastifyInstance => {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Fastify's own 503 while closing is not a problem document; the onRequest hook below is.
    return503OnClosing: false,
  });
  // The API speaks JSON only: a text/plain body is a 415, not a string handed to the bus.
  app.removeContentTypeParser('text/plain');
  const metrics = options.metrics ?? createMetrics();
  metrics.observeProjections(rollout.projections);
  const reportInternal = options.onInternalError ?? (() => {});
  const context = { rollout, metrics, readWaitMs: options.readWaitMs ?? DEFAULT_READ_WAIT_MS, reportInternal };

  // During shutdown, requests arriving on open keep-alive connections are turned away
  // (and the connection closed) so in-flight commands finish and nothing new starts.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close').header('retry-after', '1');
    return sendProblem(reply, problem(503, 'unavailable', 'the server is shutting down; retry against another instance or after restart'));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const document = errorProblem(error);
    if (document.status >= 500) reportInternal(`${request.method} ${request.url.split('?')[0]}: ${error.stack ?? error.message}`);
    return sendProblem(reply, document);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problem(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`)));

  for (const register of options.routes ?? defaultRoutes) register(app, context);
  return app;
};
