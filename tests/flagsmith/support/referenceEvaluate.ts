import { createHash } from 'node:crypto';
import type { EnvironmentView, FeatureStateView } from '../../../src/queries/readSide.ts';

/**
 * domain.md section 5, written out independently of src/ and of the SDK, so the
 * mapping can be checked against hand-built views before any read side exists.
 */
const hash = (ids: string[]): number => {
  for (let times = 1; ; times++) {
    const text = Array.from({ length: times }, () => ids).flat().join(',');
    const h = BigInt(`0x${createHash('md5').update(text, 'utf8').digest('hex')}`);
    const percentage = (Number(h % 9999n) / 9998) * 100;
    if (percentage !== 100) return percentage;
  }
};

export const referenceEvaluate = (environment: EnvironmentView, feature: FeatureStateView, identifier: string) => {
  const identityKey = `${environment.apiKey}_${identifier}`;
  const matching = feature.segmentOverrides
    .filter((o) => hash([o.segmentId, identityKey]) <= o.rolloutPercentage)
    .sort((a, b) => a.priority - b.priority);
  const state = matching[0] ?? feature.environmentDefault;
  const q = hash([state.hashingSeed, identityKey]);
  let start = 0;
  for (const allocation of state.allocations) {
    if (start <= q && q < start + allocation.percentage) {
      const option = feature.options.find((o) => o.optionId === allocation.optionId);
      return { enabled: state.enabled, value: option!.value };
    }
    start += allocation.percentage;
  }
  return { enabled: state.enabled, value: state.value };
};

export const referenceHash = hash;
