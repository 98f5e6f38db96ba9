import type { FastifyReply } from 'fastify';
import type { ErrorCode, ValidationIssue } from '../application/errors.ts';

/**
 * Codes of problems the HTTP layer raises itself, before a command reaches the bus.
 * They extend the library's ErrorCode; clients branch on `code`, never on `title`.
 */
export type HttpProblemCode = ErrorCode | 'payload_too_large' | 'unsupported_media_type' | 'not_caught_up' | 'unavailable' | 'unauthorized';

/** RFC 9457 problem details, plus our stable `code` and the command's ids when there is one. */
export type ProblemDocument = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: HttpProblemCode;
  issues?: ValidationIssue[];
  commandId?: string;
  streamId?: string | null;
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const titles: Record<HttpProblemCode, string> = {
  validation_failed: 'Validation failed',
  rule_violated: 'A domain rule was violated',
  not_found: 'Not found',
  conflict: 'Conflict',
  internal: 'Internal error',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  not_caught_up: 'Read model not caught up',
  unavailable: 'Service unavailable',
  unauthorized: 'Unauthorized',
};

export const problemTypeUri = (code: HttpProblemCode): string => `urn:experiment-rollout:problem:${code}`;

export const problem = (status: number, code: HttpProblemCode, detail: string, extra: Partial<ProblemDocument> = {}): ProblemDocument => ({
  type: problemTypeUri(code),
  title: titles[code],
  status,
  detail,
  code,
  ...extra,
});

export const sendProblem = (reply: FastifyReply, document: ProblemDocument): FastifyReply =>
  reply.code(document.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(document));
