import { problem, sendProblem } from '../problem.ts';
import { experimentParams, prepareRead, readQuerySchema } from '../readRequest.ts';
import type { RouteRegistration } from '../routeContext.ts';

const historyQuery = readQuerySchema(['minPosition']);

export const experimentRoutes: RouteRegistration = (app, context) => {
  app.get('/experiments/:experimentId/history', async (request, reply) => {
    const read = await prepareRead(request, reply, context, { params: experimentParams, query: historyQuery });
    if (!read) return reply;
    const history = await context.rollout.readSide.experimentHistory(read.params.experimentId);
    return history.length > 0 ? reply.send(history) : sendProblem(reply, problem(404, 'not_found', `no experiment ${read.params.experimentId}`));
  });
};
