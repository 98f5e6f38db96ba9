/**
 * The event store port. Every adapter (in-memory, SQLite, EventStoreDB) implements
 * exactly this and passes the conformance suite in tests/conformance.
 *
 * Revisions follow EventStoreDB: a stream that does not exist is at revision -1,
 * its first event is revision 0. Global positions are opaque, strictly increasing
 * bigints (SQLite: 1, 2, 3...; EventStoreDB: the commit position).
 */
export type EventMetadata = {
  occurredAt: string;
  actor: { type: 'user' | 'apiKey'; id: string };
  commandId: string;
  correlationId: string;
  causationId: string;
  /** Duplicated under EventStoreDB's names so its built-in projections index them. */
  $correlationId: string;
  $causationId: string;
};

export type NewEvent = {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
};

export type RecordedEvent = NewEvent & {
  streamId: string;
  revision: bigint;
  position: bigint;
};

/** The revision a stream has before its first event. */
export const NO_STREAM = -1n;

export type AppendResult = {
  /** Revision of the last event now in the stream. */
  nextRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
  /**
   * Set when the store recognised the events as already stored (an idempotent replay)
   * and wrote nothing. EventStoreDB cannot tell us, so its adapter never sets it.
   */
  replayed?: true;
};

export type ReadAllOptions = {
  /** Only events strictly after this position; omitted means from the very start. */
  after?: bigint;
  /** At most this many events (adapters pick a sane default). */
  maxCount?: number;
};

export interface EventStore {
  /** Human-readable description for logs and /health, never containing credentials. */
  readonly description: string;

  /**
   * Appends all events atomically, or none. Throws ConcurrencyError when the stream's
   * current revision differs from expectedRevision. Re-appending events whose ids are
   * all already stored at the same place is a no-op that returns the original result
   * with `replayed: true`. Throws EventIdInUseError when an event id is already stored
   * in another stream.
   */
  append(streamId: string, events: readonly NewEvent[], expectedRevision: bigint): Promise<AppendResult>;

  /** Events of one stream in revision order, from fromRevision (inclusive, default 0). */
  readStream(streamId: string, options?: { fromRevision?: bigint }): Promise<RecordedEvent[]>;

  /** One batch of events of every stream in global order. An empty batch means caught up. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** Position of the newest event, or undefined for an empty store. */
  headPosition(): Promise<bigint | undefined>;

  /**
   * How many events lie after a position (all of them when omitted): what a follower
   * still has to apply. Adapters that can only page (EventStoreDB) stop counting at `cap`.
   */
  countAfter(after?: bigint, cap?: number): Promise<number>;

  /**
   * Calls listener (without arguments) whenever events may have been appended, so a
   * follower can read again instead of polling blindly. Returns an unsubscribe function.
   * Adapters that cannot observe other writers (SQLite across processes) still notify
   * for their own appends; followers poll as well.
   */
  watch(listener: () => void): () => void;

  close(): Promise<void>;
}
