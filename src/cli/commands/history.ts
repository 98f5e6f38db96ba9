import { usageError, CliError } from '../cliError.ts';
import type { Subcommand } from '../cliContext.ts';
import { EXIT } from '../exitCodes.ts';
import { historyText } from '../format/historyText.ts';
import { parseFlags } from '../parseFlags.ts';
import { storeSettingFrom } from '../storeOption.ts';
import { withCaughtUpRollout } from '../withRollout.ts';

export const history: Subcommand = {
  name: 'history',
  summary: 'show the audit history of a feature or of an experiment',
  help: `Usage: rollout history (--environment E --feature F | --experiment X) [--json] [--store SETTING]

Lists every event of feature F in environment E, or of experiment X, oldest first:
position, time, actor, event type and a one-line summary.

Options:
  --environment E --feature F   the feature's history
  --experiment X                the experiment's history
  --json                        print the HistoryEntry[] JSON array (the same as GET .../history)
  --store SETTING               see rollout --help

Exit: 0 shown; 2 bad usage; 1 nothing recorded for it or any other failure.
`,
  async run(args, context) {
    const { values } = parseFlags(args, {
      environment: { type: 'string' },
      feature: { type: 'string' },
      experiment: { type: 'string' },
      json: { type: 'boolean' },
    });
    const byFeature = values.environment !== undefined || values.feature !== undefined;
    if (byFeature === (values.experiment !== undefined)) throw usageError('history: give either --environment E --feature F, or --experiment X');
    if (byFeature && (!values.environment || !values.feature)) throw usageError('history: --environment and --feature go together');
    const store = storeSettingFrom(values.store, context.env);
    return withCaughtUpRollout(context, { store }, async (rollout) => {
      const entries = byFeature
        ? await rollout.readSide.featureHistory(values.environment!, values.feature!)
        : await rollout.readSide.experimentHistory(values.experiment!);
      if (entries.length === 0) {
        throw new CliError(byFeature ? `no feature ${values.feature} in environment ${values.environment}` : `no experiment ${values.experiment}`);
      }
      context.io.stdout(values.json ? `${JSON.stringify(entries, null, 2)}\n` : historyText(entries));
      return EXIT.ok;
    });
  },
};
