import type { Allocation } from './values.ts';

export const sumOf = (allocations: readonly Allocation[]): number =>
  allocations.reduce((total, a) => total + a.percentage, 0);

/** Summing floats: 33.3 + 33.3 + 33.4 must count as 100, not 100.00000000000001. */
export const exceeds100 = (total: number): boolean => total > 100 + 1e-9;

/**
 * Flagsmith's MV merge: listed options are set (appended when new, keeping the
 * existing order otherwise), unlisted rows stay. A variant can go to 0, never away.
 */
export const mergeAllocations = (current: readonly Allocation[], listed: readonly Allocation[]): Allocation[] => {
  const merged = current.map((a) => ({ ...a }));
  for (const change of listed) {
    const row = merged.find((a) => a.optionId === change.optionId);
    if (row) row.percentage = change.percentage;
    else merged.push({ optionId: change.optionId, percentage: change.percentage });
  }
  return merged;
};

export const duplicateOptionIds = (allocations: readonly { optionId: string }[]): string[] => {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { optionId } of allocations) (seen.has(optionId) ? duplicates : seen).add(optionId);
  return [...duplicates];
};

export const sameAllocations = (a: readonly Allocation[], b: readonly Allocation[]): boolean =>
  a.length === b.length && a.every((row, i) => row.optionId === b[i]?.optionId && row.percentage === b[i]?.percentage);

export const describeAllocations = (allocations: readonly Allocation[]): string =>
  allocations.map((a) => `${a.optionId} ${a.percentage}`).join(', ');
