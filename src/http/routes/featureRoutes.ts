import { problem, sendProblem } from '../problem.ts';
import { asOfFrom, featureParams, prepareRead, readQuerySchema } from '../readRequest.ts';
import type { RouteRegistration } from '../routeContext.ts';

const base = '/environments/:environmentId/features/:featureId';
const stateQuery = readQuerySchema(['at', 'position', 'minPosition']);
const evaluateQuery = readQuerySchema(['at', 'position', 'minPosition'], ['identity']);
const historyQuery = readQuerySchema(['minPosition']);

const noFeature = (environmentId: string, featureId: string, query: { at?: string; position?: unknown } = {}) =>
  problem(404, 'not_found', `no feature ${featureId} in environment ${environmentId}${query.at !== undefined || query.position !== undefined ? ' at the requested moment' : ''}`);

export const featureRoutes: RouteRegistration = (app, context) => {
  const { readSide } = context.rollout;

  app.get(`${base}/state`, async (request, reply) => {
    const read = await prepareRead(request, reply, context, { params: featureParams, query: stateQuery });
    if (!read) return reply;
    const { environmentId, featureId } = read.params;
    const state = await readSide.featureState(environmentId, featureId, asOfFrom(read.query));
    return state ? reply.send(state) : sendProblem(reply, noFeature(environmentId, featureId, read.query));
  });

  app.get(`${base}/evaluate`, async (request, reply) => {
    const read = await prepareRead(request, reply, context, { params: featureParams, query: evaluateQuery });
    if (!read) return reply;
    const { environmentId, featureId } = read.params;
    const evaluation = await readSide.evaluate(environmentId, featureId, read.query.identity!, asOfFrom(read.query));
    return evaluation ? reply.send(evaluation) : sendProblem(reply, noFeature(environmentId, featureId, read.query));
  });

  app.get(`${base}/history`, async (request, reply) => {
    const read = await prepareRead(request, reply, context, { params: featureParams, query: historyQuery });
    if (!read) return reply;
    const { environmentId, featureId } = read.params;
    const history = await readSide.featureHistory(environmentId, featureId);
    return history.length > 0 ? reply.send(history) : sendProblem(reply, noFeature(environmentId, featureId));
  });
};
