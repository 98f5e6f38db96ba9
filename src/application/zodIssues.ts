import type { z } from 'zod';
import type { ValidationIssue } from './errors.ts';

const pathOf = (prefix: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), prefix) || '(root)';

/** zod issues as our public ValidationIssue list (`data.allocations[1].optionId`); `prefix` says where the input came from (query, params). */
export const zodIssues = (error: z.ZodError, prefix = ''): ValidationIssue[] =>
  error.issues.map((issue) => ({ path: pathOf(prefix, issue.path), message: issue.message }));
