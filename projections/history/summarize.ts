import { describeAllocations, sameAllocations } from '../../src/domain/allocations.ts';
import type { DomainEvent } from '../../src/domain/events.ts';
import { sameValue, type Allocation, type Value } from '../../src/domain/values.ts';
import type { EventMetadata } from '../../src/eventStore/eventStore.ts';

const actorOf = (actor: EventMetadata['actor']) => (actor.type === 'user' ? `user ${actor.id}` : `API key ${actor.id}`);
const quote = (v: Value) => (v.type === 'string' ? JSON.stringify(v.value) : `${v.value} (${v.type})`);
const split = (rows: readonly Allocation[]) => (rows.length === 0 ? 'no allocations' : describeAllocations(rows));
const onOff = (enabled: boolean) => (enabled ? 'enabled' : 'disabled');

/** "A 30->0, B 30->0": every option of either list, in the order of the new one, then removed ones. */
const allocationChanges = (before: readonly Allocation[], after: readonly Allocation[]) => {
  const ids = [...after.map((a) => a.optionId), ...before.map((a) => a.optionId).filter((id) => !after.some((a) => a.optionId === id))];
  const pct = (rows: readonly Allocation[], id: string) => rows.find((a) => a.optionId === id)?.percentage ?? '-';
  return ids.map((id) => `${id} ${pct(before, id)}->${pct(after, id)}`).join(', ');
};

const slotChanges = (before: { enabled: boolean; value: Value; allocations: readonly Allocation[] }, after: { enabled: boolean; value: Value; allocations: readonly Allocation[] }) => {
  const changes: string[] = [];
  if (before.enabled !== after.enabled) changes.push(`${onOff(before.enabled)}->${onOff(after.enabled)}`);
  if (!sameValue(before.value, after.value)) changes.push(`value ${quote(before.value)}->${quote(after.value)}`);
  if (!sameAllocations(before.allocations, after.allocations)) changes.push(`allocations ${allocationChanges(before.allocations, after.allocations)}`);
  return changes;
};

/** The first event of the same command, when it explains this one (a first add's zeroing). */
export type CommandContext = { previousOfCommand?: DomainEvent };

/** One line: who did what, from the event alone (plus its command's earlier event). */
export const summarize = (event: DomainEvent, metadata: EventMetadata, context: CommandContext = {}): string => {
  const who = actorOf(metadata.actor);
  switch (event.type) {
    case 'EnvironmentRegistered':
      return `${who} registered environment ${event.data.environmentId} (versioning ${event.data.versioning})`;
    case 'ServerKeyIssued':
      return `${who} issued server key ${event.data.keyId} "${event.data.name}"`;
    case 'ServerKeyRevoked':
      return `${who} revoked server key ${event.data.keyId}`;
    case 'FeatureRegistered': {
      const d = event.data;
      const options = d.options.map((o) => `${o.optionId}${o.key === undefined ? '' : ` (${o.key})`} ${quote(o.value)}`).join(', ');
      return `${who} registered feature ${d.featureId} "${d.name}": ${onOff(d.enabled)}, value ${quote(d.value)}; options ${options || 'none'}; default ${split(d.defaultAllocations)}`;
    }
    case 'EnvironmentDefaultUpdated': {
      const changes = slotChanges(event.data.previous, event.data);
      return `${who} edited the environment default: ${changes.length > 0 ? changes.join('; ') : 'no change'}`;
    }
    case 'ExperimentCreated':
      return `${who} created experiment ${event.data.experimentId} "${event.data.name}"`;
    case 'RolloutSegmentCreated': {
      const { segment, override, experimentId } = event.data;
      return `${who} set rollout to ${segment.rolloutPercentage}% (${split(override.allocations)}) for experiment ${experimentId}: created segment ${segment.name}, override ${onOff(override.enabled)}, control value ${quote(override.value)}, priority ${override.priority}`;
    }
    case 'DefaultAllocationsZeroed': {
      const first = context.previousOfCommand;
      const lead =
        first?.type === 'RolloutSegmentCreated'
          ? `${who} set rollout to ${first.data.segment.rolloutPercentage}% (${split(first.data.override.allocations)})`
          : `${who} added experiment ${event.data.experimentId} to its rollout`;
      return `${lead} — default allocations zeroed: ${allocationChanges(event.data.replaced, event.data.allocations)}`;
    }
    case 'RolloutTuned': {
      const d = event.data;
      const changes = slotChanges(d.previous, d);
      const was = d.previous.rolloutPercentage === d.rolloutPercentage ? '' : ` (was ${d.previous.rolloutPercentage}%)`;
      return `${who} set rollout to ${d.rolloutPercentage}%${was} (${split(d.allocations)}) for experiment ${d.experimentId}${changes.length > 0 ? `: ${changes.join('; ')}` : ''}`;
    }
    case 'ExperimentStarted':
      return `${who} started experiment ${event.data.experimentId}${event.data.overrideEnabled ? '; rollout override enabled' : ''}`;
    case 'ExperimentPaused':
      return `${who} paused experiment ${event.data.experimentId}`;
    case 'ExperimentCompleted':
      return `${who} completed experiment ${event.data.experimentId}`;
    case 'ExperimentIdReserved':
      return `${who} reserved experiment id ${event.data.experimentId} for feature ${event.data.featureId} in environment ${event.data.environmentId}`;
  }
};
