import { z } from 'zod';
import type { AsOf } from '../queries/readSide.ts';
import { usageError } from './cliError.ts';

const At = z.iso.datetime({ offset: true });

/** --at TIME or --position P (not both); omitted means now. */
export const asOfFromFlags = (flags: { at?: string; position?: string }): AsOf | undefined => {
  if (flags.at !== undefined && flags.position !== undefined) throw usageError('give at most one of --at and --position');
  if (flags.at !== undefined) {
    if (!At.safeParse(flags.at).success) throw usageError(`--at: "${flags.at}" is not an ISO-8601 date-time, e.g. 2025-01-31T12:00:00Z`);
    return { at: flags.at };
  }
  if (flags.position !== undefined) {
    if (!/^(0|[1-9][0-9]*)$/.test(flags.position)) throw usageError(`--position: "${flags.position}" is not a non-negative integer`);
    return { position: BigInt(flags.position) };
  }
  return undefined;
};

export const requireFlag = (value: string | undefined, name: string, subcommand: string): string => {
  if (value === undefined || value === '') throw usageError(`${subcommand}: --${name} is required (see rollout ${subcommand} --help)`);
  return value;
};
