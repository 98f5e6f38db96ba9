import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM as ESDB_NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type JSONType,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ConcurrencyError, RolloutError } from '../application/errors.ts';
import { NO_STREAM, type EventMetadata, type EventStore, type NewEvent, type ReadAllOptions, type RecordedEvent } from './eventStore.ts';
import { redactCredentials } from './storeSetting.ts';

export type EventStoreDbEventStoreOptions = { connectionString: string };

const DEFAULT_BATCH = 1000;
const RESUBSCRIBE_DELAY_MS = 1000;
/** Positions at or above 2^63 are the server's "no position" markers, never real log positions. */
const NO_POSITION = 2n ** 63n;

/** Our metadata plus the schema version, which EventStoreDB has no field for. */
type StoredMetadata = EventMetadata & { schemaVersion: number };

const isSystem = (streamId: string, type: string) => streamId.startsWith('$') || type.startsWith('$');

const toRecorded = (resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined => {
  const event = resolved.event;
  if (event === undefined || isSystem(event.streamId, event.type)) return undefined;
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined || position >= NO_POSITION) {
    throw new RolloutError('internal', `EventStoreDB returned event ${event.id} of ${event.streamId} without its log position (server older than 22.6?)`);
  }
  const { schemaVersion, ...metadata } = (event.metadata ?? {}) as StoredMetadata;
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: schemaVersion ?? 1,
    data: event.data,
    metadata: metadata as EventMetadata,
    streamId: event.streamId,
    revision: event.revision,
    position,
  };
};

const samePosition = (a: Position, b: Position) => a.commit === b.commit && a.prepare === b.prepare;

/** EventStoreDB adapter. Idempotent appends and expected revisions are the server's own. */
export const createEventStoreDbEventStore = (options: EventStoreDbEventStoreOptions): EventStore => {
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const listeners = new Set<() => void>();
  let subscription: AllStreamSubscription | undefined;
  let resubscribeTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const subscribe = () => {
    if (closed || listeners.size === 0 || subscription !== undefined) return;
    const current = client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    subscription = current;
    current.on('data', () => {
      for (const listener of listeners) listener();
    });
    const dropped = () => {
      if (subscription !== current) return;
      subscription = undefined;
      if (!closed) resubscribeTimer = setTimeout(subscribe, RESUBSCRIBE_DELAY_MS);
    };
    current.on('error', dropped);
    current.on('close', dropped);
  };

  const unsubscribe = () => {
    clearTimeout(resubscribeTimer);
    const current = subscription;
    subscription = undefined;
    void current?.unsubscribe().catch(() => undefined);
  };

  /** An idempotent replay may come back without a position (or with -1 as an unsigned 64-bit number): take the stored event's. */
  const positionOf = async (streamId: string, revision: bigint): Promise<bigint> => {
    for await (const resolved of client.readStream(streamId, { fromRevision: revision, maxCount: 1, direction: FORWARDS })) {
      const recorded = toRecorded(resolved);
      if (recorded) return recorded.position;
    }
    throw new RolloutError('internal', `EventStoreDB has no event ${revision} in ${streamId} right after appending it`);
  };

  const append = async (streamId: string, events: readonly NewEvent[], expectedRevision: bigint) => {
    const data = events.map((event) =>
      jsonEvent({
        id: event.eventId,
        type: event.type,
        data: event.data as JSONType,
        metadata: { ...event.metadata, schemaVersion: event.schemaVersion } satisfies StoredMetadata,
      }),
    );
    try {
      const result = await client.appendToStream(streamId, data, {
        expectedRevision: expectedRevision === NO_STREAM ? ESDB_NO_STREAM : expectedRevision,
      });
      const reported = result.position?.commit;
      const position = reported !== undefined && reported < NO_POSITION ? reported : await positionOf(streamId, result.nextExpectedRevision);
      return { nextRevision: result.nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new ConcurrencyError(streamId, expectedRevision, typeof actual === 'bigint' ? actual : NO_STREAM);
      }
      throw error;
    }
  };

  const readStream = async (streamId: string, options?: { fromRevision?: bigint }) => {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of client.readStream(streamId, { fromRevision: options?.fromRevision ?? START, direction: FORWARDS })) {
        const recorded = toRecorded(resolved);
        if (recorded) events.push(recorded);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  };

  /**
   * Pages through $all with exact positions (commit and prepare) as the cursor, drops
   * system events, and never ends a batch inside one commit: events that share a commit
   * position are returned together, so "after = last commit position" loses nothing.
   */
  const readAll = async (options?: ReadAllOptions) => {
    const maxCount = options?.maxCount ?? DEFAULT_BATCH;
    const after = options?.after;
    const collected: RecordedEvent[] = [];
    let cursor: Position | typeof START = after === undefined ? START : { commit: after, prepare: after };
    const pageSize = Math.max(maxCount, 100);
    for (;;) {
      let received = 0;
      let last: Position | undefined;
      for await (const resolved of client.readAll({ fromPosition: cursor, maxCount: pageSize, direction: FORWARDS })) {
        received++;
        const event = resolved.event;
        if (event === undefined) continue;
        last = event.position;
        if (cursor !== START && samePosition(event.position, cursor)) continue;
        const commit = event.position.commit;
        if (after !== undefined && commit <= after) continue;
        const lastCollected = collected[collected.length - 1];
        if (collected.length >= maxCount && lastCollected !== undefined && lastCollected.position !== commit) return collected;
        const recorded = toRecorded(resolved);
        if (recorded) collected.push({ ...recorded, position: commit });
      }
      if (last === undefined || received < pageSize) return collected;
      cursor = last;
    }
  };

  /** The newest non-system event's position: pages backwards past trailing system events. */
  const headPosition = async () => {
    let cursor: Position | typeof END = END;
    const pageSize = 500;
    for (;;) {
      let received = 0;
      let last: Position | undefined;
      for await (const resolved of client.readAll({ fromPosition: cursor, maxCount: pageSize, direction: BACKWARDS })) {
        received++;
        const event = resolved.event;
        if (event === undefined) continue;
        last = event.position;
        if (!isSystem(event.streamId, event.type)) return event.position.commit;
      }
      if (last === undefined || received < pageSize) return undefined;
      cursor = last;
    }
  };

  return {
    description: `EventStoreDB ${redactCredentials(options.connectionString)}`,
    append,
    readStream,
    readAll,
    headPosition,
    /** Commit positions are byte offsets, not counts: page through $all, up to `cap`. */
    async countAfter(after, cap = 1_000_000) {
      let count = 0;
      let cursor = after;
      while (count < cap) {
        const batch = await readAll({ ...(cursor === undefined ? {} : { after: cursor }), maxCount: 5000 });
        if (batch.length === 0) break;
        count += batch.length;
        cursor = batch[batch.length - 1]!.position;
      }
      return count;
    },
    watch(listener) {
      listeners.add(listener);
      subscribe();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) unsubscribe();
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      unsubscribe();
      await client.dispose();
    },
  };
};
