import type { FastifyReply } from 'fastify';
import { documentBody, matchesIfNoneMatch } from '../../flagsmith/documentBody.ts';
import { exportEnvironmentDocument } from '../../flagsmith/exportEnvironmentDocument.ts';
import { createServerKeyIndex } from '../../flagsmith/serverKeyIndex.ts';
import { problem, sendProblem } from '../problem.ts';
import type { RouteRegistration } from '../routeContext.ts';

/** Where a Flagsmith SDK with apiUrl ".../api/v1/" fetches the document for local evaluation. */
export const ENVIRONMENT_DOCUMENT_PATH = '/api/v1/environment-document/';

const unauthorized = (reply: FastifyReply, detail: string) =>
  sendProblem(reply.header('www-authenticate', 'X-Environment-Key realm="experiment-rollout"'), problem(401, 'unauthorized', detail));

/**
 * The Flagsmith environment document, authenticated by a server key in X-Environment-Key
 * as Flagsmith serves it. The key is never logged or echoed; only its hash is compared.
 */
export const environmentDocumentRoutes: RouteRegistration = (app, { rollout, readWaitMs }) => {
  const keys = createServerKeyIndex(rollout.store);

  app.get(ENVIRONMENT_DOCUMENT_PATH, async (request, reply) => {
    const presented = request.headers['x-environment-key'];
    if (typeof presented !== 'string' || presented === '') return unauthorized(reply, 'send a server key of the environment in X-Environment-Key');
    const owner = await keys.resolve(presented);
    if (!owner) return unauthorized(reply, 'the X-Environment-Key is not a valid server key (unknown or revoked)');

    // Serve everything committed before the request; if the projections are slow, the
    // last complete document is still a correct (older) one, and SDKs poll again.
    const head = await rollout.store.headPosition();
    if (head !== undefined && !(await rollout.projections.waitForPosition(head, readWaitMs))) {
      // A slow read model still serves a correct older document; a stopped one must say so.
      const stopped = (await rollout.projections.status()).find((p) => p.error !== undefined);
      if (stopped) return sendProblem(reply.header('retry-after', '60'), problem(503, 'unavailable', `the read model stopped: ${stopped.error}`));
    }

    const document = await exportEnvironmentDocument(rollout.readSide, owner.environmentId);
    if (!document) return sendProblem(reply, problem(404, 'not_found', `environment ${owner.environmentId} has no read model yet`));
    const { json, etag } = documentBody(document);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(json);
  });
};
