import { readFile } from 'node:fs/promises';
import { CliError, usageError } from './cliError.ts';
import type { CliIo } from './cliContext.ts';

/** FILE, or standard input for "-" or no argument. */
export const readInput = async (file: string | undefined, io: CliIo): Promise<{ text: string; source: string }> => {
  if (file === undefined && io.stdinIsTty) throw usageError('no input: give a FILE, "-" to type commands, or pipe them into standard input');
  if (file === undefined || file === '-') return { text: await io.readStdin(), source: 'standard input' };
  try {
    return { text: await readFile(file, 'utf8'), source: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') throw usageError(`${file}: ${code === 'ENOENT' ? 'no such file' : 'is a directory'}`);
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
};
