import { z } from 'zod';

/** Ids are what the envelope contract allows; no `/`, so stream ids stay unambiguous. */
export const Id = z
  .string()
  .min(1, 'must be 1-128 characters')
  .max(128, 'must be 1-128 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'may contain only A-Z a-z 0-9 . _ : -');

export const Percentage = z
  .number({ error: 'must be a number' })
  .finite('must be a finite number')
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100');

const SAFE_INTEGER = /^-?(0|[1-9][0-9]*)$/;

export const Value = z
  .object({
    type: z.enum(['string', 'integer', 'boolean']),
    value: z.string(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === 'integer' && !(SAFE_INTEGER.test(v.value) && Number.isSafeInteger(Number(v.value)))) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${v.value}" is not a safe integer` });
    }
    if (v.type === 'boolean' && v.value !== 'true' && v.value !== 'false') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `a boolean value must be "true" or "false", got "${v.value}"` });
    }
  });
export type Value = z.infer<typeof Value>;

export const sameValue = (a: Value, b: Value): boolean => a.type === b.type && a.value === b.value;

export const EMPTY_VALUE: Value = { type: 'string', value: '' };

/** A missing or null value is kept as the empty string, never as the text "null". */
export const NullableValue = Value.nullable().transform((v): Value => v ?? EMPTY_VALUE);

export const Allocation = z.object({ optionId: Id, percentage: Percentage }).strict();
export type Allocation = z.infer<typeof Allocation>;

export const Actor = z.object({ type: z.enum(['user', 'apiKey']), id: z.string().min(1).max(256) }).strict();
export type Actor = z.infer<typeof Actor>;
