import { asOfFromFlags, requireFlag } from '../asOfFlags.ts';
import { CliError } from '../cliError.ts';
import type { Subcommand } from '../cliContext.ts';
import { EXIT } from '../exitCodes.ts';
import { evaluationText } from '../format/evaluationText.ts';
import { parseFlags } from '../parseFlags.ts';
import { storeSettingFrom } from '../storeOption.ts';
import { withCaughtUpRollout } from '../withRollout.ts';

export const evaluate: Subcommand = {
  name: 'evaluate',
  summary: 'show the variant and value one identity gets for a feature',
  help: `Usage: rollout evaluate --environment E --feature F --identity ID [--at TIME | --position P] [--json] [--store SETTING]

Evaluates feature F in environment E for identity ID the way Flagsmith does: rollout
segment membership, then the winning override or the default, then the variant.

Options:
  --environment E   environment id (required)
  --feature F       feature id (required)
  --identity ID     the identity's identifier (required)
  --at TIME         evaluate against the state at an ISO-8601 time
  --position P      evaluate against the state after global position P (inclusive)
  --json            print the EvaluationView JSON (the same as GET .../evaluate)
  --store SETTING   see rollout --help

Exit: 0 evaluated; 2 bad usage; 1 no such feature (at that moment) or any other failure.
`,
  async run(args, context) {
    const { values } = parseFlags(args, {
      environment: { type: 'string' },
      feature: { type: 'string' },
      identity: { type: 'string' },
      at: { type: 'string' },
      position: { type: 'string' },
      json: { type: 'boolean' },
    });
    const environmentId = requireFlag(values.environment, 'environment', 'evaluate');
    const featureId = requireFlag(values.feature, 'feature', 'evaluate');
    const identity = requireFlag(values.identity, 'identity', 'evaluate');
    const asOf = asOfFromFlags(values);
    const store = storeSettingFrom(values.store, context.env);
    return withCaughtUpRollout(context, { store }, async (rollout) => {
      const view = await rollout.readSide.evaluate(environmentId, featureId, identity, asOf);
      if (!view) throw new CliError(`no feature ${featureId} in environment ${environmentId}${asOf ? ' at that moment' : ''}`);
      context.io.stdout(values.json ? `${JSON.stringify(view, null, 2)}\n` : evaluationText(view));
      return EXIT.ok;
    });
  },
};
