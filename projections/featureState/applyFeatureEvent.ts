import type { FeatureEvent } from '../../src/domain/events.ts';
import { evolve } from '../../src/domain/featureState/evolve.ts';
import { initialFeatureState } from '../../src/domain/featureState/featureState.ts';
import type { EventMetadata } from '../../src/eventStore/eventStore.ts';
import type { FeatureRecord } from './featureRecord.ts';

/** Whether an event changes what the flag serves (and so, in v2, belongs to a published version). */
export const changesFlagState = (event: FeatureEvent): boolean => {
  switch (event.type) {
    case 'FeatureRegistered':
    case 'EnvironmentDefaultUpdated':
    case 'RolloutSegmentCreated':
    case 'DefaultAllocationsZeroed':
    case 'RolloutTuned':
      return true;
    case 'ExperimentStarted':
      return event.data.overrideEnabled;
    case 'ExperimentCreated':
    case 'ExperimentPaused':
    case 'ExperimentCompleted':
      return false;
  }
};

export type Applied = { record: FeatureRecord; published: boolean };

/**
 * Folds one event with the decider's own evolve (so the read model cannot disagree
 * with the write model), then does the bookkeeping of the versioning mode:
 * v1 counts every change applied in place; v2 publishes one version per command,
 * so a second flag-changing event of the same command amends the version its first
 * event opened (the runner never commits half a command, so no reader sees it open).
 */
export const applyFeatureEvent = (
  current: FeatureRecord | undefined,
  event: FeatureEvent,
  meta: { position: bigint; metadata: EventMetadata },
  versioning: 'v1' | 'v2',
): Applied => {
  if (event.type === 'FeatureRegistered' && current) throw new Error(`feature ${event.data.featureId} is already registered`);
  const state = evolve(current?.state ?? initialFeatureState(), event);
  if (!state.registered) throw new Error(`${event.type} left the feature unregistered`);
  const mode = current?.versioning ?? versioning;
  // Records are built whole, in one shape (no spreads): this runs for every event of a rebuild.
  if (mode === 'v1') {
    return { record: { state, versioning: mode, version: (current?.version ?? 0) + 1, position: meta.position, publishedAt: undefined, publishedByCommandId: undefined }, published: false };
  }
  const version = current?.version ?? 0;
  if (!changesFlagState(event)) {
    return { record: { state, versioning: mode, version, position: meta.position, publishedAt: current?.publishedAt, publishedByCommandId: current?.publishedByCommandId }, published: false };
  }
  const { commandId, occurredAt } = meta.metadata;
  const amend = current?.publishedByCommandId === commandId;
  return {
    record: {
      state,
      versioning: mode,
      version: amend ? version : version + 1,
      position: meta.position,
      publishedAt: amend && current?.publishedAt !== undefined ? current.publishedAt : occurredAt,
      publishedByCommandId: commandId,
    },
    published: true,
  };
};
