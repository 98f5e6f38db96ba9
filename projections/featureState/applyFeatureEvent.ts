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
  const base = { state, versioning: current?.versioning ?? versioning, position: meta.position };

  if (base.versioning === 'v1') {
    return { record: { ...base, version: (current?.version ?? 0) + 1 }, published: false };
  }
  const previous = { version: current?.version ?? 0, publishedAt: current?.publishedAt, publishedByCommandId: current?.publishedByCommandId };
  if (!changesFlagState(event)) return { record: { ...base, ...definedOnly(previous) }, published: false };
  const amend = previous.publishedByCommandId === meta.metadata.commandId;
  return {
    record: {
      ...base,
      version: amend ? previous.version : previous.version + 1,
      publishedAt: amend && previous.publishedAt !== undefined ? previous.publishedAt : meta.metadata.occurredAt,
      publishedByCommandId: meta.metadata.commandId,
    },
    published: true,
  };
};

const definedOnly = (p: { version: number; publishedAt: string | undefined; publishedByCommandId: string | undefined }) => ({
  version: p.version,
  ...(p.publishedAt === undefined ? {} : { publishedAt: p.publishedAt }),
  ...(p.publishedByCommandId === undefined ? {} : { publishedByCommandId: p.publishedByCommandId }),
});
