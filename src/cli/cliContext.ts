import type { OpenRolloutOptions, Rollout } from '../app/rollout.ts';
import type { ExitCode } from './exitCodes.ts';

export type CliIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole of standard input, read on demand. */
  readStdin(): Promise<string>;
  stderrIsTty: boolean;
  /** A terminal on stdin means nobody piped commands in. */
  stdinIsTty: boolean;
};

/** What a subcommand gets: injected so the dispatcher runs in-process in tests. */
export type CliContext = {
  io: CliIo;
  env: Record<string, string | undefined>;
  openRollout(options: OpenRolloutOptions): Promise<Rollout>;
};

export type Subcommand = {
  name: string;
  /** One line for `rollout --help`. */
  summary: string;
  /** The full `rollout NAME --help` text. */
  help: string;
  run(args: string[], context: CliContext): Promise<ExitCode>;
};
