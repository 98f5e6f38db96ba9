import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../domain/values.ts';
import type { AsOf } from '../queries/readSide.ts';
import { problem, sendProblem } from './problem.ts';
import type { RouteContext } from './routeContext.ts';
import { zodIssues } from '../application/zodIssues.ts';

const position = z.string().regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer (a global position)');

const queryFields = {
  at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2025-01-31T12:00:00Z' }),
  position,
  minPosition: position,
  identity: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
};
type QueryField = keyof typeof queryFields;
export type ReadQuery = Partial<Record<QueryField, string>>;

/** A strict query schema per route, so a typo such as ?postion=3 is a 400, not a silent "now". */
export const readQuerySchema = (optional: QueryField[], required: QueryField[] = []) =>
  z
    .object(Object.fromEntries([...optional.map((k) => [k, queryFields[k].optional()]), ...required.map((k) => [k, queryFields[k]])]))
    .strict()
    .refine((q: ReadQuery) => !(q.at !== undefined && q.position !== undefined), { message: 'give at most one of at and position', path: ['position'] });

export const featureParams = z.object({ environmentId: Id, featureId: Id });
export const experimentParams = z.object({ experimentId: Id });

export const asOfFrom = (query: ReadQuery): AsOf | undefined =>
  query.at !== undefined ? { at: query.at } : query.position !== undefined ? { position: BigInt(query.position) } : undefined;

/**
 * Validates a read's params and query and, with ?minPosition, waits until the projections
 * have applied that position (read-your-write). Sends the problem and returns undefined
 * when the read cannot go ahead.
 */
export const prepareRead = async <P extends z.ZodType>(
  request: FastifyRequest,
  reply: FastifyReply,
  context: RouteContext,
  schemas: { params: P; query: ReturnType<typeof readQuerySchema> },
): Promise<{ params: z.infer<P>; query: ReadQuery } | undefined> => {
  const params = schemas.params.safeParse(request.params);
  const query = schemas.query.safeParse(request.query ?? {});
  const issues = [...(params.success ? [] : zodIssues(params.error, 'path')), ...(query.success ? [] : zodIssues(query.error, 'query'))];
  if (!params.success || !query.success) {
    sendProblem(reply, problem(400, 'validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues }));
    return undefined;
  }
  const data = query.data as ReadQuery;
  const minPosition = data.minPosition;
  if (minPosition !== undefined && !(await context.rollout.projections.waitForPosition(BigInt(minPosition), context.readWaitMs))) {
    reply.header('retry-after', '1');
    sendProblem(reply, problem(503, 'not_caught_up', `the read model did not reach position ${minPosition} within ${context.readWaitMs} ms; retry later`));
    return undefined;
  }
  return { params: params.data, query: data };
};
