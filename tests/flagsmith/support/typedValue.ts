import type { Value } from '../../../src/domain/values.ts';

/** What a Flagsmith SDK hands the application for one of our values. */
export const typedValue = (value: Value): string | number | boolean =>
  value.type === 'integer' ? Number(value.value) : value.type === 'boolean' ? value.value === 'true' : value.value;
