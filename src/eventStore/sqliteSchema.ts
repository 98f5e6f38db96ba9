import Database from 'better-sqlite3';
import { RolloutError } from '../application/errors.ts';

/**
 * The on-disk format of the SQLite event store.
 *
 * Every rollout file carries PRAGMA application_id = ROLLOUT_APPLICATION_ID, so we never
 * write into somebody else's database. Versions live in the `schema_versions` table,
 * one row per component ("eventStore" here; the read model may add its own row), so a
 * later release can migrate a file written by this one: MIGRATIONS[n] takes a file from
 * version n to n + 1, and a file newer than this code knows is refused, not touched.
 */
export const ROLLOUT_APPLICATION_ID = 0x524f4c4c; // "ROLL"
export const EVENT_STORE_COMPONENT = 'eventStore';

const MIGRATIONS: readonly string[] = [
  // 0 -> 1: the event log.
  `CREATE TABLE events (
     position       INTEGER PRIMARY KEY AUTOINCREMENT,
     stream_id      TEXT    NOT NULL,
     revision       INTEGER NOT NULL,
     event_id       TEXT    NOT NULL UNIQUE,
     type           TEXT    NOT NULL,
     schema_version INTEGER NOT NULL,
     data           TEXT    NOT NULL,
     metadata       TEXT    NOT NULL,
     UNIQUE (stream_id, revision)
   ) STRICT;`,
];

export const EVENT_STORE_SCHEMA_VERSION = MIGRATIONS.length;

/** The file exists but is not a rollout event store this release can use. */
export class StoreFileError extends RolloutError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super('internal', `${path} is not a usable rollout event store: ${reason}`);
  }
}

const sqliteCode = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

/** Translates SQLite's "this is not a database" family into an error that names the file. */
export const explainOpenFailure = (path: string, error: unknown): unknown => {
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB') return new StoreFileError(path, 'the file is not a SQLite database');
  if (code?.startsWith('SQLITE_CORRUPT')) return new StoreFileError(path, `the database file is corrupt (${code})`);
  if (code === 'SQLITE_CANTOPEN') return new StoreFileError(path, 'the file cannot be opened (check the directory exists and is writable)');
  if (code === 'SQLITE_READONLY' || code?.startsWith('SQLITE_READONLY_')) return new StoreFileError(path, 'the file is read-only');
  return error;
};

const componentVersion = (db: Database.Database): number => {
  const table = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_versions'`).get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT version FROM schema_versions WHERE component = ?').get(EVENT_STORE_COMPONENT) as { version: number } | undefined;
  return row?.version ?? 0;
};

/**
 * Creates or upgrades the schema in one IMMEDIATE transaction, so processes opening a
 * new file at the same moment create it exactly once.
 */
export const ensureSchema = (db: Database.Database, path: string): void => {
  db.transaction(() => {
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== ROLLOUT_APPLICATION_ID) {
      const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get() as { n: number };
      if (applicationId !== 0 || tables.n > 0) {
        throw new StoreFileError(path, `it is a SQLite database of another application (application_id ${applicationId}, ${tables.n} schema objects)`);
      }
      db.pragma(`application_id = ${ROLLOUT_APPLICATION_ID}`);
      db.exec('CREATE TABLE schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT');
    }
    const current = componentVersion(db);
    if (current > EVENT_STORE_SCHEMA_VERSION) {
      throw new StoreFileError(
        path,
        `its event store schema is version ${current}, newer than the version ${EVENT_STORE_SCHEMA_VERSION} this release understands; upgrade experiment-rollout`,
      );
    }
    for (let version = current; version < EVENT_STORE_SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]!);
    if (current < EVENT_STORE_SCHEMA_VERSION) {
      db.prepare('INSERT INTO schema_versions (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version').run(
        EVENT_STORE_COMPONENT,
        EVENT_STORE_SCHEMA_VERSION,
      );
    }
  }).immediate();
};
