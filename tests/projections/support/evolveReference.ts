import type { FeatureEvent } from '../../../src/domain/events.ts';
import { evolve } from '../../../src/domain/featureState/evolve.ts';
import { initialFeatureState } from '../../../src/domain/featureState/featureState.ts';
import type { EventMetadata } from '../../../src/eventStore/eventStore.ts';
import { changesFlagState } from '../../../projections/featureState/applyFeatureEvent.ts';
import type { FeatureRecord } from '../../../projections/featureState/featureRecord.ts';

/**
 * The projection's fold as it was before it changed records in place: the domain's
 * pure evolve plus the versioning bookkeeping, a new record per event. The reference
 * the in-place fold is held to (tests/projections/foldInPlace.property.test.ts).
 */
export const applyWithEvolve = (
  current: FeatureRecord | undefined,
  event: FeatureEvent,
  meta: { position: bigint; metadata: EventMetadata },
  versioning: 'v1' | 'v2',
): FeatureRecord => {
  if (event.type === 'FeatureRegistered' && current) throw new Error(`feature ${event.data.featureId} is already registered`);
  const state = evolve(current?.state ?? initialFeatureState(), event);
  if (!state.registered) throw new Error(`${event.type} left the feature unregistered`);
  const mode = current?.versioning ?? versioning;
  if (mode === 'v1') return { state, versioning: mode, version: (current?.version ?? 0) + 1, position: meta.position, publishedAt: undefined, publishedByCommandId: undefined };
  const version = current?.version ?? 0;
  if (!changesFlagState(event)) {
    return { state, versioning: mode, version, position: meta.position, publishedAt: current?.publishedAt, publishedByCommandId: current?.publishedByCommandId };
  }
  const { commandId, occurredAt } = meta.metadata;
  const amend = current?.publishedByCommandId === commandId;
  return {
    state,
    versioning: mode,
    version: amend ? version : version + 1,
    position: meta.position,
    publishedAt: amend && current?.publishedAt !== undefined ? current.publishedAt : occurredAt,
    publishedByCommandId: commandId,
  };
};
