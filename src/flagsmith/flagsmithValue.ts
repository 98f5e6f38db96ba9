import type { Value } from '../domain/values.ts';
import type { FlagsmithValue } from './environmentDocument.ts';

/** Our typed value as the JSON scalar Flagsmith serves: integers as numbers, booleans as booleans. */
export const toFlagsmithValue = (value: Value): FlagsmithValue => {
  switch (value.type) {
    case 'integer':
      return Number(value.value);
    case 'boolean':
      return value.value === 'true';
    case 'string':
      return value.value;
  }
};
