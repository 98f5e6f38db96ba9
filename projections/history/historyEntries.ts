import type { DomainEvent } from '../../src/domain/events.ts';
import { upcast } from '../../src/domain/upcast.ts';
import type { RecordedEvent } from '../../src/eventStore/eventStore.ts';
import type { HistoryEntry } from '../../src/queries/readSide.ts';
import { summarize } from './summarize.ts';

const decode = (event: RecordedEvent): DomainEvent | Error => {
  try {
    return upcast(event.type, event.schemaVersion, event.data);
  } catch (error) {
    return error as Error;
  }
};

/**
 * History entries for events in order. An unreadable event is still listed (history
 * shows what is stored), with a summary saying why it cannot be read.
 */
export const toHistoryEntries = (events: readonly RecordedEvent[]): HistoryEntry[] => {
  const decoded = events.map(decode);
  return events.map((event, i) => {
    const domain = decoded[i]!;
    const previous = i > 0 && events[i - 1]!.metadata.commandId === event.metadata.commandId ? decoded[i - 1] : undefined;
    const summary =
      domain instanceof Error
        ? `unreadable ${event.type} event: ${domain.message}`
        : summarize(domain, event.metadata, previous === undefined || previous instanceof Error ? {} : { previousOfCommand: previous });
    return {
      position: event.position.toString(),
      streamId: event.streamId,
      revision: Number(event.revision),
      type: event.type,
      occurredAt: event.metadata.occurredAt,
      actor: { type: event.metadata.actor.type, id: event.metadata.actor.id },
      commandId: event.metadata.commandId,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId,
      data: domain instanceof Error ? event.data : domain.data,
      summary,
    };
  });
};
