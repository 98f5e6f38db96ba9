import type { RouteRegistration } from '../routeContext.ts';

export const metricsRoutes: RouteRegistration = (app, { metrics }) => {
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
};
