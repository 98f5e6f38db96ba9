import type { Rollout } from '../../../src/app/rollout.ts';
import { runCli } from '../../../src/cli/runCli.ts';
import { subcommands } from '../../../src/cli/subcommands.ts';

/** Runs `rollout ...` in this process against a given Rollout, capturing its output. */
export const runInProcess = async (argv: string[], rollout: Rollout, stdin = '') => {
  let stdout = '';
  let stderr = '';
  const opened: string[] = [];
  const code = await runCli(
    argv,
    {
      io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => stdin, stderrIsTty: false, stdinIsTty: false },
      env: {},
      async openRollout(options) {
        opened.push(options.store ?? '');
        // The test owns the rollout; the CLI's close() must not end it between runs.
        return { ...rollout, close: async () => {} };
      },
    },
    subcommands,
  );
  return { code, stdout, stderr, opened, results: stdout.trim() === '' ? [] : stdout.trim().split('\n').map((l) => JSON.parse(l)) };
};
