/**
 * Two decimals are readable, but a rounded hash must never look like it is on the
 * other side of a boundary it was compared with; then the full value is shown.
 */
export const formatHash = (hash: number, boundaries: readonly number[]): string => {
  const rounded = Number(hash.toFixed(2));
  return boundaries.some((b) => rounded === b && hash !== b) ? String(hash) : hash.toFixed(2);
};
