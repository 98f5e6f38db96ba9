import { EXIT, type ExitCode } from './exitCodes.ts';

/** A failure the CLI explains in plain words on stderr and turns into an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad usage or invalid input: exit 2. */
export const usageError = (message: string): CliError => new CliError(message, EXIT.usage);
