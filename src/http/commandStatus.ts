import type { CommandResult } from '../application/commandResult.ts';
import type { ErrorCode } from '../application/errors.ts';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  rule_violated: 422,
  internal: 500,
};

/** accepted, unchanged and duplicate are all successes; a rejection maps by its error code. */
export const httpStatusOf = (result: CommandResult): number =>
  result.status === 'rejected' ? statusByCode[result.error?.code ?? 'internal'] : 200;
