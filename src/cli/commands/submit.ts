import type { Subcommand } from '../cliContext.ts';
import { usageError } from '../cliError.ts';
import { EXIT, exitCodeOf, type ExitCode } from '../exitCodes.ts';
import { parseCommandInput } from '../parseCommandInput.ts';
import { parseFlags } from '../parseFlags.ts';
import { readInput } from '../readInput.ts';
import { storeSettingFrom } from '../storeOption.ts';
import { withRollout } from '../withRollout.ts';

export const submit: Subcommand = {
  name: 'submit',
  summary: 'send commands (JSON, a JSON array or NDJSON) and print one result per line',
  help: `Usage: rollout submit [FILE|-] [--fail-fast] [--store SETTING]

Sends each command envelope in FILE (or standard input for "-" or no FILE) in order.
The input is one JSON object, a JSON array of objects, or NDJSON (one object a line);
all of it is parsed before anything is sent. Prints one JSON command result a line:
  {"commandId","status","streamId","revision","position"?,"events","error"?}

Options:
  --fail-fast      stop at the first rejected command (default: send them all)
  --store SETTING  sqlite:PATH | memory: | esdb://... | esdb+discover://...
                   (default: $ROLLOUT_STORE, else sqlite:./data/rollout.db)

Exit: 0 every command accepted, unchanged or duplicate; 2 invalid input or a command
failing validation; 3 rejected by a domain rule or naming something that does not
exist; 4 concurrency conflict; 1 anything else. With several failures the first decides.
`,
  async run(args, context) {
    const { values, positionals } = parseFlags(args, { 'fail-fast': { type: 'boolean' } }, true);
    if (positionals.length > 1) throw usageError('submit takes at most one FILE');
    const store = storeSettingFrom(values.store, context.env);
    const { text, source } = await readInput(positionals[0], context.io);
    const commands = parseCommandInput(text, source);
    return withRollout(context, { store }, async (rollout) => {
      let exit: ExitCode = EXIT.ok;
      for (const command of commands) {
        const result = await rollout.bus.send(command);
        context.io.stdout(`${JSON.stringify(result)}\n`);
        if (result.status !== 'rejected') continue;
        context.io.stderr(`command ${result.commandId || '(no id)'} rejected (${result.error?.code}): ${result.error?.message}\n`);
        if (exit === EXIT.ok) exit = exitCodeOf(result.error?.code ?? 'internal');
        if (values['fail-fast']) break;
      }
      return exit;
    });
  },
};
