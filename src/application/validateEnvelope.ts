import { CommandEnvelope } from '../domain/commands.ts';
import { ValidationError } from './errors.ts';
import { zodIssues } from './zodIssues.ts';

/** Validates untrusted input against the envelope; every zod issue is reported with its path. */
export const validateEnvelope = (input: unknown): CommandEnvelope => {
  const parsed = CommandEnvelope.safeParse(input);
  if (parsed.success) return parsed.data as CommandEnvelope;
  const issues = zodIssues(parsed.error);
  throw new ValidationError(`invalid command: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
};

/** Best effort for results of invalid input: echo the command id if there is a string one. */
export const commandIdOf = (input: unknown): string =>
  typeof input === 'object' && input !== null && typeof (input as { commandId?: unknown }).commandId === 'string'
    ? (input as { commandId: string }).commandId
    : '';
