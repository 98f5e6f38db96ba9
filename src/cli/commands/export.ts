import { renameSync, writeFileSync } from 'node:fs';
import { documentBody } from '../../flagsmith/documentBody.ts';
import { exportEnvironmentDocument } from '../../flagsmith/exportEnvironmentDocument.ts';
import { asOfFromFlags, requireFlag } from '../asOfFlags.ts';
import { CliError } from '../cliError.ts';
import type { Subcommand } from '../cliContext.ts';
import { EXIT } from '../exitCodes.ts';
import { parseFlags } from '../parseFlags.ts';
import { storeSettingFrom } from '../storeOption.ts';
import { withCaughtUpRollout } from '../withRollout.ts';

const help = `Usage: rollout export --environment E [--at TIME | --position P] [--out FILE] [--store SETTING]

Writes the environment's read model as a Flagsmith environment document: the JSON a
Flagsmith server-side SDK evaluates locally (e.g. flagsmith-nodejs LocalFileHandler).
The bytes are the ones GET /api/v1/environment-document/ serves for the same moment.

  --environment E   the environment to export (required)
  --at TIME         as of an ISO-8601 time, e.g. 2025-01-31T12:00:00Z
  --position P      as of a global position (inclusive)
  --out FILE        write to FILE (atomically: readers never see half a file); default stdout
  --store SETTING   see rollout --help

Exit: 0 written; 2 bad usage; 1 no such environment (at that moment), or anything else.
`;

export const exportCommand: Subcommand = {
  name: 'export',
  summary: 'write an environment as a Flagsmith environment document (for SDKs)',
  help,
  async run(args, context) {
    const { values } = parseFlags(args, {
      environment: { type: 'string' },
      at: { type: 'string' },
      position: { type: 'string' },
      out: { type: 'string' },
    });
    const environmentId = requireFlag(values.environment, 'environment', 'export');
    const asOf = asOfFromFlags(values);
    const store = storeSettingFrom(values.store, context.env);
    const document = await withCaughtUpRollout(context, { store }, (rollout) => exportEnvironmentDocument(rollout.readSide, environmentId, asOf));
    if (!document) throw new CliError(`no environment ${environmentId}${asOf ? ' at the requested moment' : ''}`, EXIT.failure);
    const { json } = documentBody(document);
    if (values.out === undefined) {
      context.io.stdout(`${json}\n`);
    } else {
      const partial = `${values.out}.${process.pid}.partial`;
      writeFileSync(partial, json);
      renameSync(partial, values.out);
    }
    return EXIT.ok;
  },
};
