import { usageError } from './cliError.ts';

/**
 * Commands from text: one JSON object (may span lines), a JSON array, or NDJSON.
 * Everything is parsed before anything is sent, so a typo on line 9 sends nothing.
 */
export const parseCommandInput = (text: string, source: string): unknown[] => {
  const trimmed = text.trim();
  if (trimmed === '') throw usageError(`${source}: no commands (the input is empty)`);
  try {
    const whole: unknown = JSON.parse(trimmed);
    return Array.isArray(whole) ? whole : [whole];
  } catch (wholeError) {
    if (trimmed.startsWith('[')) throw usageError(`${source}: malformed JSON array: ${(wholeError as Error).message}`);
  }
  const commands: unknown[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      commands.push(JSON.parse(line));
    } catch (error) {
      throw usageError(`${source}, line ${index + 1}: malformed JSON: ${(error as Error).message}`);
    }
  });
  return commands;
};
