import type { Value } from '../domain/values.ts';
import type { EvaluationView, FeatureStateView, SegmentOverrideView, SlotView } from '../queries/readSide.ts';
import { formatHash } from './formatHash.ts';
import { hashPercentage } from './hashPercentage.ts';
import { identityKey as identityKeyOf } from './identityKey.ts';

type Membership = { override: SegmentOverrideView; hash: number; member: boolean };

/** domain.md section 5, step 3: rollout membership uses `<=`, so 100% admits everyone. */
const membershipOf = (override: SegmentOverrideView, key: string): Membership => {
  const hash = hashPercentage([override.segmentId, key]);
  return { override, hash, member: hash <= override.rolloutPercentage };
};

type Variant = { optionId: string | null; reason: string };

/** Step 5: walk the allocations in stored order; the first with s <= q < s + pct wins. */
const variantOf = (slot: SlotView, key: string, labelOf: (optionId: string) => string): Variant => {
  if (slot.allocations.length === 0) return { optionId: null, reason: 'control (no allocations)' };
  const q = hashPercentage([slot.hashingSeed, key]);
  let start = 0;
  for (const allocation of slot.allocations) {
    const limit = start + allocation.percentage;
    if (start <= q && q < limit) {
      return { optionId: allocation.optionId, reason: `variant ${labelOf(allocation.optionId)} (hash ${formatHash(q, [start, limit])} in [${start}, ${limit}))` };
    }
    start = limit;
  }
  if (start === 0) return { optionId: null, reason: 'control (every allocation is 0%)' };
  return { optionId: null, reason: `control (hash ${formatHash(q, [start])} >= ${start}, the allocated total)` };
};

/**
 * What one identity gets from a feature state, exactly as Flagsmith evaluates it
 * (domain.md section 5). Pure: the same state, api key and identifier always give the
 * same answer.
 */
export const evaluateIdentity = (state: FeatureStateView, apiKey: string, identity: string): EvaluationView => {
  const key = identityKeyOf(apiKey, identity);
  // Step 4: the lowest priority number among matching overrides; stable for equal priorities.
  const ranked = state.segmentOverrides.map((o, index) => ({ o, index })).sort((a, b) => a.o.priority - b.o.priority || a.index - b.index);
  const memberships = ranked.map(({ o }) => membershipOf(o, key));
  const chosen = memberships.find((m) => m.member);

  const slot: SlotView = chosen ? chosen.override : state.environmentDefault;
  // Reasons name a variant as the `variant` field does: its key, else its option id.
  const labelOf = (optionId: string) => {
    const optionKey = state.options.find((o) => o.optionId === optionId)?.key;
    return optionKey === undefined ? optionId : `${optionKey} (option ${optionId})`;
  };
  const variant = variantOf(slot, key, labelOf);
  const option = variant.optionId === null ? undefined : state.options.find((o) => o.optionId === variant.optionId);
  const value: Value = option ? { type: option.value.type, value: option.value.value } : { type: slot.value.type, value: slot.value.value };

  const where = chosen
    ? `in segment ${chosen.override.segmentName} (hash ${formatHash(chosen.hash, [chosen.override.rolloutPercentage])} <= ${chosen.override.rolloutPercentage})`
    : memberships.length === 0
      ? 'no segment overrides: environment default'
      : `not in any segment (${memberships
          .map((m) => `${m.override.segmentName} hash ${formatHash(m.hash, [m.override.rolloutPercentage])} > ${m.override.rolloutPercentage}`)
          .join('; ')}): environment default`;

  return {
    identity,
    identityKey: key,
    enabled: slot.enabled,
    value,
    optionId: variant.optionId,
    variant: variant.optionId === null ? 'control' : (option?.key ?? variant.optionId),
    segmentId: chosen ? chosen.override.segmentId : null,
    reason: `${where}: ${variant.reason}${slot.enabled ? '' : ' (feature disabled in this state)'}`,
  };
};
