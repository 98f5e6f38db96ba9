import { describe, expect, it } from 'vitest';
import { pythonFloat } from '../../src/flagsmith/pythonFloat.ts';
import { toEnvironmentDocument } from '../../src/flagsmith/toEnvironmentDocument.ts';
import { handBuiltEnvironment, handBuiltFeatures } from './support/handBuiltViews.ts';
import { referenceEvaluate, referenceHash } from './support/referenceEvaluate.ts';
import { sdkFromDocument } from './support/sdkFromDocument.ts';
import { typedValue } from './support/typedValue.ts';

const document = toEnvironmentDocument(handBuiltEnvironment, handBuiltFeatures);

describe('pythonFloat', () => {
  it('writes percentages as Flagsmith stores them', () => {
    expect([42, 80, 0, 100, 33.333, 0.5, 0.0001, 0.00001, 1.5e-7].map(pythonFloat)).toEqual(['42.0', '80.0', '0.0', '100.0', '33.333', '0.5', '0.0001', '1e-05', '1.5e-07']);
  });
  it('round-trips every number exactly through parseFloat', () => {
    for (const n of [1 / 3, 99.99999999999999, 42.000000000000014, 5e-324, 12.5]) expect(parseFloat(pythonFloat(n))).toBe(n);
  });
});

describe('toEnvironmentDocument', () => {
  it('carries the apiKey used in identity hashing and the environment defaults', () => {
    expect(document.api_key).toBe('key-production');
    expect(document.feature_states.map((fs) => fs.feature.name)).toEqual(['checkout-button', 'dark-mode', 'max-items', 'plain']);
    expect(document.feature_states.every((fs) => fs.feature_segment === null)).toBe(true);
    expect(document.feature_states.map((fs) => fs.feature.type)).toEqual(['MULTIVARIATE', 'MULTIVARIATE', 'MULTIVARIATE', 'STANDARD']);
  });

  it('writes each rollout segment as one ALL rule with one PERCENTAGE_SPLIT on $.identity.key', () => {
    const segment = document.project.segments.find((s) => s.id === 'f3b2a1c0-3333-4d5e-8f9a-0b1c2d3e4f5a');
    expect(segment).toMatchObject({
      name: 'experiment-exp-1-rollout',
      rules: [{ type: 'ALL', rules: [], conditions: [{ operator: 'PERCENTAGE_SPLIT', property_: '$.identity.key', value: '42.0' }] }],
    });
    expect(segment?.feature_states).toHaveLength(1);
    expect(segment?.feature_states[0]).toMatchObject({ feature_segment: { priority: 1 }, featurestate_uuid: '9e8d7c6b-4444-4a3b-8c2d-1e0f9a8b7c6d', enabled: true });
  });

  it('numbers multivariate values ascending in allocation order, not option order', () => {
    const override = document.project.segments.find((s) => s.name === 'experiment-exp-1-rollout')?.feature_states[0];
    expect(override?.multivariate_feature_state_values.map((v) => [v.id, v.multivariate_feature_option.id, v.percentage_allocation])).toEqual([
      [1, 'B', 40],
      [2, 'A', 60],
    ]);
  });

  it('keeps value types: integers as numbers, booleans as booleans, the null default as ""', () => {
    const byName = Object.fromEntries(document.feature_states.map((fs) => [fs.feature.name, fs]));
    expect(byName['max-items']?.feature_state_value).toBe(20);
    expect(byName['max-items']?.multivariate_feature_state_values.map((v) => v.multivariate_feature_option.value)).toEqual([50, 5]);
    expect(byName['dark-mode']?.feature_state_value).toBe(false);
    expect(byName['dark-mode']?.multivariate_feature_state_values[0]?.multivariate_feature_option.value).toBe(true);
    expect(byName['plain']?.feature_state_value).toBe('');
  });

  it('gives no numeric django_id, so SDKs hash with our seed', () => {
    const json = JSON.stringify(document);
    expect(json).not.toContain('django_id');
    expect(document.feature_states.map((fs) => fs.featurestate_uuid)).toContain('1a2b3c4d-5555-4e6f-8a9b-0c1d2e3f4a5b');
  });

  it('is byte-identical whatever order the features come in', () => {
    expect(JSON.stringify(toEnvironmentDocument(handBuiltEnvironment, [...handBuiltFeatures].reverse()))).toBe(JSON.stringify(document));
  });

  it('refuses an allocation of an option the feature does not have', () => {
    const broken = { ...handBuiltFeatures[3]!, environmentDefault: { ...handBuiltFeatures[3]!.environmentDefault, allocations: [{ optionId: 'ghost', percentage: 10 }] } };
    expect(() => toEnvironmentDocument(handBuiltEnvironment, [broken])).toThrow(/option ghost/);
  });
});

describe('the SDK reading a hand-built document', () => {
  it('reference hash matches the examples of domain.md', () => {
    expect(referenceHash(['1', 'AFlag'])).toBe(93.99879975995199);
    expect(referenceHash(['2', 'AFlag'])).toBe(65.5631126225245);
    expect(referenceHash(['12', 'identity-0'])).toBe(26.755351070214044);
  });

  it('evaluates 2,000 identities exactly as domain.md section 5 does, hitting every branch', async () => {
    const sdk = sdkFromDocument(document);
    const names = handBuiltFeatures.map((f) => f.featureId);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const identifier = `user-${i}`;
      const flags = await sdk.identityFlags(identifier, names);
      for (const feature of handBuiltFeatures) {
        const expected = referenceEvaluate(handBuiltEnvironment, feature, identifier);
        expect({ identifier, feature: feature.featureId, ...flags[feature.featureId] }).toEqual({ identifier, feature: feature.featureId, enabled: expected.enabled, value: typedValue(expected.value) });
        seen.add(`${feature.featureId}=${String(typedValue(expected.value))}/${expected.enabled}`);
      }
    }
    // Every variant and control of every feature was actually served to someone.
    expect([...seen].sort()).toEqual(
      [
        'checkout-button=blue/true',
        'checkout-button=control/true',
        'checkout-button=green/true',
        'checkout-button=red/true',
        'dark-mode=false/false',
        'dark-mode=false/true',
        'dark-mode=true/false',
        'max-items=20/true',
        'max-items=5/true',
        'max-items=50/true',
        'plain=/false',
      ].sort(),
    );
  });
});
