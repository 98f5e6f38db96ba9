import type { ProjectionStatus } from '../../app/rollout.ts';
import type { RouteRegistration } from '../routeContext.ts';

/**
 * 200 when the store answers and no projection is stuck; 503 otherwise (same body, so a
 * probe and a human both see why). Lag alone never fails the check: it is a metric.
 */
export const healthRoutes: RouteRegistration = (app, { rollout }) => {
  app.get('/health', async (_request, reply) => {
    let head: string | null = null;
    let storeError: string | undefined;
    try {
      head = (await rollout.store.headPosition())?.toString() ?? null;
    } catch (error) {
      storeError = (error as Error).message;
    }
    let projections: ProjectionStatus[] = [];
    let projectionError: string | undefined;
    try {
      projections = await rollout.projections.status();
    } catch (error) {
      projectionError = (error as Error).message;
    }
    const stuck = projections.filter((p) => p.error !== undefined);
    const healthy = storeError === undefined && projectionError === undefined && stuck.length === 0;
    return reply.code(healthy ? 200 : 503).send({
      status: healthy ? 'ok' : 'unavailable',
      store: { description: rollout.store.description, reachable: storeError === undefined, head, ...(storeError ? { error: storeError } : {}) },
      projections,
      lag: projections.reduce((max, p) => Math.max(max, p.lag), 0),
      ...(projectionError ? { projectionError } : {}),
    });
  });
};
