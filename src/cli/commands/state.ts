import { asOfFromFlags, requireFlag } from '../asOfFlags.ts';
import { CliError } from '../cliError.ts';
import type { Subcommand } from '../cliContext.ts';
import { EXIT } from '../exitCodes.ts';
import { featureStateText } from '../format/featureStateText.ts';
import { parseFlags } from '../parseFlags.ts';
import { storeSettingFrom } from '../storeOption.ts';
import { withCaughtUpRollout } from '../withRollout.ts';

export const state: Subcommand = {
  name: 'state',
  summary: "show a feature's environment default, segment overrides and experiments",
  help: `Usage: rollout state --environment E --feature F [--at TIME | --position P] [--json] [--store SETTING]

Shows what feature F serves in environment E: the environment default, every segment
override (rollout segments included) and the feature's experiments.

Options:
  --environment E   environment id (required)
  --feature F       feature id (required)
  --at TIME         as it was at an ISO-8601 time, e.g. 2025-01-31T12:00:00Z
  --position P      as it was after global position P (inclusive)
  --json            print the FeatureStateView JSON (the same as GET .../state)
  --store SETTING   see rollout --help

Exit: 0 shown; 2 bad usage; 1 no such feature (at that moment) or any other failure.
`,
  async run(args, context) {
    const { values } = parseFlags(args, {
      environment: { type: 'string' },
      feature: { type: 'string' },
      at: { type: 'string' },
      position: { type: 'string' },
      json: { type: 'boolean' },
    });
    const environmentId = requireFlag(values.environment, 'environment', 'state');
    const featureId = requireFlag(values.feature, 'feature', 'state');
    const asOf = asOfFromFlags(values);
    const store = storeSettingFrom(values.store, context.env);
    return withCaughtUpRollout(context, { store }, async (rollout) => {
      const view = await rollout.readSide.featureState(environmentId, featureId, asOf);
      if (!view) throw new CliError(`no feature ${featureId} in environment ${environmentId}${asOf ? ' at that moment' : ''}`);
      context.io.stdout(values.json ? `${JSON.stringify(view, null, 2)}\n` : featureStateText(view));
      return EXIT.ok;
    });
  },
};
