import Database from 'better-sqlite3';
import { ConcurrencyError, RolloutError } from '../application/errors.ts';
import type { AppendResult, EventMetadata, EventStore, NewEvent, ReadAllOptions, RecordedEvent } from './eventStore.ts';
import { classifyAppend, clashError } from './idempotentAppend.ts';
import { createGroupCommit } from './sqliteGroupCommit.ts';
import { ensureSchema, explainOpenFailure } from './sqliteSchema.ts';

/**
 * full: an acknowledged append is fsynced to the WAL before append() resolves; it
 *   survives a process crash and a power cut or OS crash.
 * normal: the WAL is fsynced only at checkpoints; an acknowledged append survives a
 *   process crash, but a power cut or OS crash may lose the last acknowledged appends
 *   (the file stays consistent: whole commands are lost, never half of one).
 */
export type SqliteDurability = 'full' | 'normal';

export type SqliteEventStoreOptions = {
  path: string;
  durability?: SqliteDurability;
  /** How long a writer waits for another process's transaction (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Commit concurrent appends of this process together (default true). Same semantics either way. */
  groupCommit?: boolean;
};

/**
 * The SQLite store also exposes its connection, so the read model can live in the same
 * file and commit its tables and checkpoint in one transaction.
 */
export type SqliteEventStore = EventStore & {
  readonly database: Database.Database;
  readonly path: string;
  readonly durability: SqliteDurability;
};

/** The SQLite connection behind a store, when it is one (the read model shares the file). */
export const sqliteDatabaseOf = (store: EventStore): Database.Database | undefined =>
  'database' in store ? (store as SqliteEventStore).database : undefined;

type EventRow = {
  position: bigint;
  stream_id: string;
  revision: bigint;
  event_id: string;
  type: string;
  schema_version: bigint;
  data: string;
  metadata: string;
};

const DEFAULT_BATCH = 1000;

const toRecorded = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.type,
  schemaVersion: Number(row.schema_version),
  data: JSON.parse(row.data) as unknown,
  metadata: JSON.parse(row.metadata) as EventMetadata,
  streamId: row.stream_id,
  revision: row.revision,
  position: row.position,
});

const openDatabase = (path: string, durability: SqliteDurability, busyTimeoutMs: number): Database.Database => {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    ensureSchema(db, path);
    return db;
  } catch (error) {
    db?.close();
    throw explainOpenFailure(path, error);
  }
};

export const createSqliteEventStore = (options: SqliteEventStoreOptions): SqliteEventStore => {
  const { path, durability = 'full', busyTimeoutMs = 5000, groupCommit = true } = options;
  const db = openDatabase(path, durability, busyTimeoutMs);
  const listeners = new Set<() => void>();

  const prepare = (sql: string) => db.prepare(sql).safeIntegers(true);
  const selectByEventId = prepare('SELECT * FROM events WHERE event_id = ?');
  const selectStreamRevision = prepare('SELECT max(revision) AS revision FROM events WHERE stream_id = ?');
  const selectHead = prepare('SELECT max(position) AS position FROM events');
  const countAfterPosition = prepare('SELECT count(*) AS n FROM events WHERE position > ?');
  const selectStream = prepare('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision');
  const selectAll = prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
  const insert = prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  const head = (): bigint | undefined => (selectHead.get() as { position: bigint | null }).position ?? undefined;

  type Written = { result: AppendResult; wrote: boolean };

  /** Runs inside a write transaction (or a savepoint of a group commit). */
  const appendInTransaction = (streamId: string, events: readonly NewEvent[], expectedRevision: bigint): Written => {
    const lookup = (eventId: string) => {
      const row = selectByEventId.get(eventId) as EventRow | undefined;
      return row === undefined ? undefined : toRecorded(row);
    };
    const classified = classifyAppend(events, lookup, streamId, expectedRevision);
    if (classified.kind === 'replay') return { result: classified.result, wrote: false };
    const current = (selectStreamRevision.get(streamId) as { revision: bigint | null }).revision ?? -1n;
    if (classified.kind === 'clash') throw clashError(classified, streamId, expectedRevision, current);
    if (current !== expectedRevision) throw new ConcurrencyError(streamId, expectedRevision, current);
    if (events.length === 0) return { result: { nextRevision: current, position: head() ?? 0n }, wrote: false };

    let position = 0n;
    events.forEach((event, i) => {
      const info = insert.run(
        streamId,
        current + 1n + BigInt(i),
        event.eventId,
        event.type,
        BigInt(event.schemaVersion),
        JSON.stringify(event.data ?? null),
        JSON.stringify(event.metadata),
      );
      position = BigInt(info.lastInsertRowid);
    });
    return { result: { nextRevision: current + BigInt(events.length), position }, wrote: true };
  };

  const notify = (written: readonly Written[]) => {
    if (!written.some((w) => w.wrote)) return;
    for (const listener of listeners) listener();
  };

  const committer = createGroupCommit<Written>(db, notify);
  const commitAlone = (run: () => Written): Written => {
    const written = db.transaction(run).immediate();
    notify([written]);
    return written;
  };

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new RolloutError('internal', `the event store ${path} is closed`);
  };

  return {
    description: `sqlite:${path}${durability === 'normal' ? '?synchronous=normal' : ''}`,
    database: db,
    path,
    durability,

    async append(streamId, events, expectedRevision) {
      assertOpen();
      const run = () => appendInTransaction(streamId, events, expectedRevision);
      const written = groupCommit ? await committer.submit(run) : commitAlone(run);
      return written.result;
    },

    async readStream(streamId, options) {
      assertOpen();
      return (selectStream.all(streamId, options?.fromRevision ?? 0n) as EventRow[]).map(toRecorded);
    },

    async readAll(options?: ReadAllOptions) {
      assertOpen();
      const maxCount = options?.maxCount ?? DEFAULT_BATCH;
      if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new RolloutError('internal', `readAll maxCount must be a positive integer, got ${maxCount}`);
      return (selectAll.all(options?.after ?? 0n, BigInt(maxCount)) as EventRow[]).map(toRecorded);
    },

    async countAfter(after) {
      assertOpen();
      return Number((countAfterPosition.get(after ?? 0n) as { n: bigint }).n);
    },

    async headPosition() {
      assertOpen();
      return head();
    },

    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      if (closed) return;
      committer.flush();
      closed = true;
      listeners.clear();
      db.close();
    },
  };
};
