import { httpStatusOf } from '../commandStatus.ts';
import { problem, sendProblem } from '../problem.ts';
import type { RouteRegistration } from '../routeContext.ts';

/** `"3"` (strong ETag syntax) -> 3. Weak tags never match If-Match (RFC 9110), so they are refused. */
const parseIfMatch = (header: string): number | undefined => {
  const match = /^\s*"(-1|0|[1-9][0-9]{0,15})"\s*$/.exec(header);
  const revision = match ? Number(match[1]) : undefined;
  return revision !== undefined && Number.isSafeInteger(revision) ? revision : undefined;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const commandRoutes: RouteRegistration = (app, { rollout, reportInternal }) => {
  app.post('/commands', async (request, reply) => {
    let body = request.body;
    const ifMatch = request.headers['if-match'];
    if (ifMatch !== undefined) {
      const revision = parseIfMatch(ifMatch);
      const issue = (message: string) => sendProblem(reply, problem(400, 'validation_failed', `If-Match: ${message}`, { issues: [{ path: 'If-Match', message }] }));
      if (revision === undefined) return issue('must be one quoted stream revision, e.g. "3" ("-1": the stream must not exist yet)');
      if (isPlainObject(body)) {
        if (body.expectedRevision !== undefined && body.expectedRevision !== revision) {
          return issue(`says revision ${revision} but the body's expectedRevision is ${JSON.stringify(body.expectedRevision)}`);
        }
        body = { ...body, expectedRevision: revision };
      }
    }

    const result = await rollout.bus.send(body);
    if (result.streamId !== null && result.revision >= 0) reply.header('etag', `"${result.revision}"`);
    const status = httpStatusOf(result);
    if (status === 200) return reply.code(200).send(result);
    const error = result.error ?? { code: 'internal' as const, message: 'the command was rejected without a reason' };
    if (error.code === 'internal') reportInternal(`command ${result.commandId} on ${result.streamId}: ${error.message}`);
    const detail = error.code === 'internal' ? 'internal error; the server logged the cause' : error.message;
    return sendProblem(
      reply,
      problem(status, error.code, detail, {
        ...(error.issues ? { issues: error.issues } : {}),
        commandId: result.commandId,
        streamId: result.streamId,
        ...(result.revision >= 0 ? { revision: result.revision } : {}),
      }),
    );
  });
};
