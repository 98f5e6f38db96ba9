import type { EventMetadata, EventStore, RecordedEvent } from '../../src/eventStore/eventStore.ts';
import { sqliteDatabaseOf } from '../../src/eventStore/sqliteEventStore.ts';

/** Reads one batch of the global order: events after a position (null: from the start), at most max. */
export type ReadEvents = (after: bigint | null, max: number) => Promise<readonly RecordedEvent[]>;

type Row = [position: bigint, streamId: string, revision: bigint, eventId: string, type: string, schemaVersion: bigint, data: string, metadata: string];

/**
 * A stored event read by a projection. Its metadata JSON is parsed on first use: the
 * runner reads it at command boundaries and a v2 projection for what it publishes,
 * but a v1 projection never needs most events' metadata.
 */
class StoredEvent implements RecordedEvent {
  #metadata: EventMetadata | undefined;
  constructor(
    readonly position: bigint,
    readonly streamId: string,
    readonly revision: bigint,
    readonly eventId: string,
    readonly type: string,
    readonly schemaVersion: number,
    readonly data: unknown,
    private readonly metadataJson: string,
  ) {}
  get metadata(): EventMetadata {
    return (this.#metadata ??= JSON.parse(this.metadataJson) as EventMetadata);
  }
}

/**
 * The store's readAll, except on SQLite, where the projection reads the events table of
 * the same file itself: raw rows from one prepared statement skip the store's
 * row-object mapping, which matters when a rebuild reads a million events.
 */
export const createEventReader = (store: EventStore): ReadEvents => {
  const db = sqliteDatabaseOf(store);
  if (!db) return (after, max) => store.readAll({ ...(after === null ? {} : { after }), maxCount: max });
  const select = db
    .prepare('SELECT position, stream_id, revision, event_id, type, schema_version, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?')
    .raw(true)
    .safeIntegers(true);
  return async (after, max) => {
    const rows = select.all(after ?? 0n, BigInt(max)) as Row[];
    const events = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      events[i] = new StoredEvent(row[0], row[1], row[2], row[3], row[4], Number(row[5]), JSON.parse(row[6]) as unknown, row[7]);
    }
    return events;
  };
};
