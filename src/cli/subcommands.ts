import type { Subcommand } from './cliContext.ts';
import { evaluate } from './commands/evaluate.ts';
import { exportCommand } from './commands/export.ts';
import { history } from './commands/history.ts';
import { rebuild } from './commands/rebuild.ts';
import { serve } from './commands/serve.ts';
import { state } from './commands/state.ts';
import { submit } from './commands/submit.ts';

/** Every subcommand of `rollout`, in --help order. A new one is one file and one line here. */
export const subcommands: Subcommand[] = [submit, state, evaluate, history, rebuild, serve, exportCommand];
