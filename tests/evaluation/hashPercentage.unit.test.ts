import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPercentage } from '../../src/evaluation/hashPercentage.ts';

/** The rule of domain.md section 5 step 1 for one try, written out independently. */
const rawHash = (text: string) => (Number(BigInt(`0x${createHash('md5').update(text).digest('hex')}`) % 9999n) / 9998) * 100;

describe('hashPercentage', () => {
  // The first three are domain.md section 5's vectors; the last two are from
  // shared/reference/flagsmith-behaviour.md section 4.1 (the worked example of 4.6 uses them).
  it.each([
    [['1', 'AFlag'], 93.99879975995199],
    [['2', 'AFlag'], 65.5631126225245],
    [['12', 'identity-0'], 26.755351070214044],
    [['42', 'ENVKEY_user-1'], 74.79495899179835],
    [['7', 'ENVKEY_user-1'], 14.302860572114422],
  ])('matches the reference vector %j -> %d', (ids, expected) => {
    expect(hashPercentage(ids)).toBe(expected);
  });

  it('rehashes with the id list repeated when a hash is exactly 100', () => {
    // About one id in 9999 hashes to exactly 100 on the first try; find one.
    let ids: string[] | undefined;
    for (let i = 0; ids === undefined; i++) if (rawHash(`seed,user-${i}`) === 100) ids = ['seed', `user-${i}`];
    const twice = rawHash([...ids, ...ids].join(','));
    const expected = twice === 100 ? rawHash([...ids, ...ids, ...ids].join(',')) : twice;
    expect(hashPercentage(ids)).toBe(expected);
    expect(hashPercentage(ids)).toBeLessThan(100);
  });

  it('stays in [0, 100) and joins with commas', () => {
    for (let i = 0; i < 2000; i++) {
      const h = hashPercentage(['s', `id-${i}`]);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(100);
      // Ids that hit exactly 100 are covered by the rehash test above.
      if (rawHash(`s,id-${i}`) !== 100) expect(h).toBe(rawHash(`s,id-${i}`));
    }
  });
});
