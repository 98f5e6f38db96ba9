import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cliError.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags every subcommand accepts. */
export const commonOptions = {
  store: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** util.parseArgs with our errors: any unknown flag or missing value is bad usage (exit 2). */
export const parseFlags = <O extends Options>(args: string[], options: O, allowPositionals = false) => {
  try {
    return parseArgs({ args, options: { ...commonOptions, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw usageError((error as Error).message);
  }
};
