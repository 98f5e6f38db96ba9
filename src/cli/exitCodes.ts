import type { ErrorCode } from '../application/errors.ts';

/** The CLI's exit codes: part of its public contract (README, "Exit codes"). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  rejected: 3,
  conflict: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const exitCodeOf = (code: ErrorCode): ExitCode => {
  switch (code) {
    case 'validation_failed':
      return EXIT.usage;
    case 'rule_violated':
    case 'not_found':
      return EXIT.rejected;
    case 'conflict':
      return EXIT.conflict;
    case 'internal':
      return EXIT.failure;
  }
};
