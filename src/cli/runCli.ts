import { RolloutError } from '../application/errors.ts';
import { ACCEPTED_STORE_FORMS } from '../eventStore/openEventStore.ts';
import { CliError } from './cliError.ts';
import type { CliContext, Subcommand } from './cliContext.ts';
import { EXIT, exitCodeOf, type ExitCode } from './exitCodes.ts';

const overview = (table: Subcommand[]) => `Usage: rollout <command> [options]

Experiment rollouts on multivariate feature flags, event-sourced.

Commands:
${table.map((s) => `  ${s.name.padEnd(10)} ${s.summary}`).join('\n')}

Every command takes --store SETTING (default: $ROLLOUT_STORE, else sqlite:./data/rollout.db);
accepted forms: ${ACCEPTED_STORE_FORMS}.
Run "rollout <command> --help" for its options.

Exit codes: 0 success; 2 bad usage or invalid input; 3 a command rejected by a domain
rule (or a command naming something that does not exist); 4 a concurrency conflict;
1 anything else (a read of something that does not exist included).
`;

/** Runs one `rollout ...` invocation and returns its exit code; errors are printed in plain words. */
export const runCli = async (argv: string[], context: CliContext, table: Subcommand[]): Promise<ExitCode> => {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? context.io.stderr : context.io.stdout)(overview(table));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const subcommand = table.find((s) => s.name === name);
  if (!subcommand) {
    context.io.stderr(`rollout: unknown command "${name}"; commands: ${table.map((s) => s.name).join(', ')} (see rollout --help)\n`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    context.io.stdout(subcommand.help);
    return EXIT.ok;
  }
  try {
    return await subcommand.run(args, context);
  } catch (error) {
    if (error instanceof CliError) {
      context.io.stderr(`rollout ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof RolloutError) {
      context.io.stderr(`rollout ${name}: ${error.message}\n`);
      return exitCodeOf(error.code);
    }
    const detail = context.env.ROLLOUT_DEBUG ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error));
    context.io.stderr(`rollout ${name}: unexpected error: ${detail}${context.env.ROLLOUT_DEBUG ? '' : ' (set ROLLOUT_DEBUG=1 for the stack trace)'}\n`);
    return EXIT.failure;
  }
};
