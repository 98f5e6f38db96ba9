import type { RebuildProgress } from '../../app/rollout.ts';
import { usageError } from '../cliError.ts';
import type { Subcommand } from '../cliContext.ts';
import { EXIT } from '../exitCodes.ts';
import { parseFlags } from '../parseFlags.ts';
import { storeSettingFrom } from '../storeOption.ts';
import { withRollout } from '../withRollout.ts';

export const rebuild: Subcommand = {
  name: 'rebuild',
  summary: 'rebuild read models from the event log',
  help: `Usage: rollout rebuild [--projection NAME] [--store SETTING]

Replays the whole event log into fresh read models and switches readers to them
atomically. Safe while a server runs; resumable if interrupted.

Options:
  --projection NAME   only this projection (default: all of them)
  --store SETTING     see rollout --help

Exit: 0 rebuilt; 2 bad usage or an unknown projection name; 1 any other failure.
`,
  async run(args, context) {
    const { values } = parseFlags(args, { projection: { type: 'string' } });
    const store = storeSettingFrom(values.store, context.env);
    return withRollout(context, { store }, async (rollout) => {
      const names = rollout.projections.names;
      if (values.projection !== undefined && !names.includes(values.projection)) {
        throw usageError(`rebuild: no projection "${values.projection}"; projections: ${names.join(', ')}`);
      }
      let last: RebuildProgress = { done: 0, total: 0 };
      // The runner draws the progress bar (events, events/s, time left) when stderr is a terminal.
      await rollout.projections.rebuild({
        ...(values.projection !== undefined ? { projection: values.projection } : {}),
        onProgress(progress) {
          last = progress;
        },
      });
      context.io.stdout(`rebuilt ${values.projection ?? names.join(', ')} from ${last.total} events\n`);
      return EXIT.ok;
    });
  },
};
