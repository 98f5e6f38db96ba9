import type { FeatureEvent } from '../../src/domain/events.ts';
import type { EventMetadata } from '../../src/eventStore/eventStore.ts';
import type { FeatureRecord } from './featureRecord.ts';
import { foldInPlace } from './foldInPlace.ts';

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
 * Folds one event into the projection's own record of the feature (changed in place,
 * see foldInPlace: exactly the domain's evolve, without copying the state per event),
 * then does the bookkeeping of the versioning mode: v1 counts every change applied in
 * place; v2 publishes one version per command, so a second flag-changing event of the
 * same command amends the version its first event opened (the runner never commits
 * half a command, so no reader sees it open). Throws having changed nothing.
 * `metadata` is read only for a v2 publication.
 */
export const applyFeatureEvent = (
  current: FeatureRecord | undefined,
  event: FeatureEvent,
  meta: { position: bigint; readonly metadata: EventMetadata },
  versioning: 'v1' | 'v2',
): Applied => {
  if (event.type === 'FeatureRegistered' && current) throw new Error(`feature ${event.data.featureId} is already registered`);
  const state = foldInPlace(current?.state, event);
  const record: FeatureRecord = current ?? { state, versioning, version: 0, position: meta.position, publishedAt: undefined, publishedByCommandId: undefined };
  record.position = meta.position;
  if (record.versioning === 'v1') {
    record.version++;
    return { record, published: false };
  }
  if (!changesFlagState(event)) return { record, published: false };
  const { commandId, occurredAt } = meta.metadata;
  const amend = record.publishedByCommandId === commandId;
  if (!amend) record.version++;
  if (!amend || record.publishedAt === undefined) record.publishedAt = occurredAt;
  record.publishedByCommandId = commandId;
  return { record, published: true };
};
