import { createHash } from 'node:crypto';

/**
 * Flagsmith's percentage hash (flag_engine/utils/hashing.py): the ids joined with ",",
 * MD5 as an unsigned big integer h, ((h mod 9999) / 9998) * 100. A result of exactly
 * 100 is rehashed with the id list repeated (twice, three times, ...), so the result
 * is always in [0, 100).
 */
export const hashPercentage = (ids: readonly string[]): number => {
  for (let times = 1; ; times++) {
    const joined = Array.from({ length: times }, () => ids.join(',')).join(',');
    const h = BigInt(`0x${createHash('md5').update(joined, 'utf8').digest('hex')}`);
    const percentage = (Number(h % 9999n) / 9998) * 100;
    if (percentage !== 100) return percentage;
  }
};
