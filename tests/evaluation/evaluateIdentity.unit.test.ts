import { describe, expect, it } from 'vitest';
import { evaluateIdentity } from '../../src/evaluation/evaluateIdentity.ts';
import { hashPercentage } from '../../src/evaluation/hashPercentage.ts';
import { featureView, rolloutOverride } from './stateBuilder.ts';

const API_KEY = 'ENVKEY';
const zeroed = [
  { optionId: 'A', percentage: 0 },
  { optionId: 'B', percentage: 0 },
  { optionId: 'C', percentage: 0 },
];
const identities = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('evaluateIdentity', () => {
  it('builds the identity key from the api key and walks the default allocations in order', () => {
    const state = featureView();
    // "ENVKEY_user-1" with seed "42" hashes to 74.79...: past A (0-30) and B (30-60), inside C (60-100).
    const result = evaluateIdentity({ ...state, environmentDefault: { ...state.environmentDefault, hashingSeed: '42' } }, API_KEY, 'user-1');
    expect(result).toMatchObject({ identity: 'user-1', identityKey: 'ENVKEY_user-1', enabled: true, optionId: 'C', variant: 'C', segmentId: null, value: { type: 'string', value: 'blue' } });
    expect(result.reason).toContain('variant C (hash 74.79 in [60, 100))');
    // Seed "7" hashes to 14.30: inside A, whose key is "a".
    const a = evaluateIdentity({ ...state, environmentDefault: { ...state.environmentDefault, hashingSeed: '7' } }, API_KEY, 'user-1');
    expect(a).toMatchObject({ optionId: 'A', variant: 'a', value: { type: 'string', value: 'red' } });
  });

  it('serves the state value as control when the hash falls past the allocated total', () => {
    const state = featureView({ defaultAllocations: [{ optionId: 'A', percentage: 50 }] });
    // seed 42 -> 74.79 >= 50
    const result = evaluateIdentity({ ...state, environmentDefault: { ...state.environmentDefault, hashingSeed: '42' } }, API_KEY, 'user-1');
    expect(result).toMatchObject({ optionId: null, variant: 'control', value: { type: 'string', value: 'control' } });
    expect(result.reason).toContain('control (hash 74.79 >= 50');
  });

  it('uses s <= q < s + pct: a hash equal to a boundary belongs to the next allocation', () => {
    const q = hashPercentage(['42', 'ENVKEY_user-1']);
    const state = featureView({ defaultAllocations: [{ optionId: 'A', percentage: q }, { optionId: 'B', percentage: 1 }] });
    const result = evaluateIdentity({ ...state, environmentDefault: { ...state.environmentDefault, hashingSeed: '42' } }, API_KEY, 'user-1');
    expect(result.optionId).toBe('B');
    const zeroWidth = featureView({ defaultAllocations: [{ optionId: 'A', percentage: 0 }, { optionId: 'B', percentage: 100 }] });
    expect(evaluateIdentity(zeroWidth, API_KEY, 'user-1').optionId).toBe('B');
  });

  it('admits an identity whose segment hash equals the rollout percentage (<=)', () => {
    const segmentHash = hashPercentage(['seg', 'ENVKEY_user-1']);
    const atBoundary = featureView({ defaultAllocations: zeroed, overrides: [rolloutOverride({ segmentId: 'seg', rolloutPercentage: segmentHash, allocations: [] })] });
    const result = evaluateIdentity(atBoundary, API_KEY, 'user-1');
    expect(result.segmentId).toBe('seg');
    expect(result.value).toEqual({ type: 'string', value: 'rollout-control' });
    expect(result.reason).toContain(`<= ${segmentHash}`);
    const justBelow = featureView({ defaultAllocations: zeroed, overrides: [rolloutOverride({ segmentId: 'seg', rolloutPercentage: segmentHash - 1e-9, allocations: [] })] });
    expect(evaluateIdentity(justBelow, API_KEY, 'user-1').segmentId).toBeNull();
  });

  it('takes enabled from the chosen state and prefers the lowest priority number', () => {
    const state = featureView({
      defaultAllocations: zeroed,
      overrides: [
        rolloutOverride({ segmentId: 'late', priority: 5, rolloutPercentage: 100, allocations: [{ optionId: 'A', percentage: 100 }] }),
        rolloutOverride({ segmentId: 'early', priority: 1, rolloutPercentage: 100, enabled: false, allocations: [{ optionId: 'B', percentage: 100 }] }),
      ],
    });
    const result = evaluateIdentity(state, API_KEY, 'someone');
    expect(result).toMatchObject({ segmentId: 'early', enabled: false, optionId: 'B', variant: 'b' });
    expect(result.reason).toContain('disabled');
  });

  it('puts 30% of 10,000 identities in the rollout, split 60/40, and the rest on control', () => {
    const state = featureView({
      defaultAllocations: zeroed,
      overrides: [rolloutOverride({ rolloutPercentage: 30, allocations: [{ optionId: 'A', percentage: 60 }, { optionId: 'B', percentage: 40 }] })],
    });
    const results = identities.map((id) => evaluateIdentity(state, API_KEY, id));
    const inRollout = results.filter((r) => r.segmentId !== null);
    // Binomial standard deviations: 0.0046 for the rollout share, 0.009 for the split; allow 4 of them.
    expect(Math.abs(inRollout.length / 10_000 - 0.3)).toBeLessThan(0.0184);
    const a = inRollout.filter((r) => r.optionId === 'A').length / inRollout.length;
    const b = inRollout.filter((r) => r.optionId === 'B').length / inRollout.length;
    expect(Math.abs(a - 0.6)).toBeLessThan(0.036);
    expect(a + b).toBe(1);
    expect(results.filter((r) => r.segmentId === null).every((r) => r.variant === 'control' && r.value.value === 'control')).toBe(true);
  });

  it('keeps every identity in its variant when the rollout is tuned from 30% to 50%: only out->in moves', () => {
    const split = [{ optionId: 'A', percentage: 60 }, { optionId: 'B', percentage: 40 }];
    const at = (rolloutPercentage: number) => featureView({ defaultAllocations: zeroed, overrides: [rolloutOverride({ rolloutPercentage, allocations: split })] });
    const before = identities.map((id) => evaluateIdentity(at(30), API_KEY, id));
    const after = identities.map((id) => evaluateIdentity(at(50), API_KEY, id));
    let movedIn = 0;
    before.forEach((b, i) => {
      const a = after[i]!;
      if (b.segmentId !== null) expect(a).toEqual({ ...b, reason: a.reason });
      else if (a.segmentId !== null) movedIn++;
      else expect(a.variant).toBe('control');
    });
    expect(Math.abs(movedIn / 10_000 - 0.2)).toBeLessThan(0.02);
  });
});
