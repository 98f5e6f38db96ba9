import type { OpenRolloutOptions, Rollout } from '../app/rollout.ts';
import { ProjectionStoppedError } from '../../projections/runner/createProjections.ts';
import { CliError } from './cliError.ts';
import type { CliContext } from './cliContext.ts';

/** Opens the rollout on the store setting, runs `use`, and always closes it again. */
export const withRollout = async <T>(context: CliContext, options: OpenRolloutOptions, use: (rollout: Rollout) => Promise<T>): Promise<T> => {
  let rollout: Rollout;
  try {
    rollout = await context.openRollout(options);
  } catch (error) {
    throw new CliError(`cannot open the store ${options.store ?? ''}: ${(error as Error).message}`);
  }
  try {
    return await use(rollout);
  } finally {
    await rollout.close();
  }
};

/** Reads go through the projections; a CLI process applies what other processes appended first. */
export const withCaughtUpRollout = <T>(context: CliContext, options: OpenRolloutOptions, use: (rollout: Rollout) => Promise<T>): Promise<T> =>
  withRollout(context, options, async (rollout) => {
    try {
      await rollout.projections.catchUp();
    } catch (error) {
      // A stopped projection still holds its last good model: answer from it, and say so.
      if (!(error instanceof ProjectionStoppedError)) throw error;
      context.io.stderr(`warning: ${error.message}; showing the read model as it was before that event\n`);
    }
    return use(rollout);
  });
