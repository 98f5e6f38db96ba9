import type Database from 'better-sqlite3';
import { prefixEnd, type Commit, type DocumentWrite, type Pointer, type ReadModelStorage, type Target } from './readModelStorage.ts';
import { ROLLOUT_APPLICATION_ID } from '../../src/eventStore/sqliteSchema.ts';

export const READ_MODEL_COMPONENT = 'readModel';
/**
 * 2: v2 versions stored as entries (number and provenance). Document tables created
 * since are rowid tables: a feature document (~1 KB) is larger than what a WITHOUT
 * ROWID row keeps in its page, so every write of one also rewrote an overflow page.
 * Both layouts take the same SQL, so an older WITHOUT ROWID generation keeps working
 * until the next rebuild replaces it; the schema version is unchanged.
 */
const READ_MODEL_SCHEMA_VERSION = 2;

type PointerRow = {
  generation: bigint;
  checkpoint: bigint | null;
  error: string | null;
  rebuild_generation: bigint | null;
  rebuild_checkpoint: bigint | null;
  rebuild_error: string | null;
};

const tableName = (projection: string, generation: number) => {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(projection)) throw new Error(`projection name ${projection} cannot name a table`);
  return `rm_${projection}_g${generation}`;
};

/**
 * The read model in SQLite: in the event store's own file (so documents and the
 * checkpoint commit in one transaction, exactly once), or in a file of its own.
 * Tables: rm_projections (pointers and checkpoints) and one rm_{projection}_g{n}
 * document table per generation; a rebuild fills a new generation and the switch is
 * one UPDATE of the pointer.
 */
export const createSqliteReadModelStorage = (db: Database.Database, projections: readonly string[]): ReadModelStorage => {
  const createGeneration = (projection: string, generation: number) =>
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${tableName(projection, generation)} (kind TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (kind, key)) STRICT`,
    );

  const resetReadModels = () => {
    const rows = db.prepare('SELECT name, generation, rebuild_generation FROM rm_projections').all() as { name: string; generation: number; rebuild_generation: number | null }[];
    for (const r of rows) {
      for (const g of [r.generation, r.rebuild_generation]) if (g !== null) db.exec(`DROP TABLE IF EXISTS ${tableName(r.name, g)}`);
      db.prepare('UPDATE rm_projections SET checkpoint = NULL, error = NULL, rebuild_generation = NULL, rebuild_checkpoint = NULL, rebuild_error = NULL WHERE name = ?').run(r.name);
      createGeneration(r.name, r.generation);
    }
  };

  db.transaction(() => {
    if ((db.pragma('application_id', { simple: true }) as number) === 0) db.pragma(`application_id = ${ROLLOUT_APPLICATION_ID}`);
    db.exec('CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT');
    const row = db.prepare('SELECT version FROM schema_versions WHERE component = ?').get(READ_MODEL_COMPONENT) as { version: number } | undefined;
    if (row && row.version > READ_MODEL_SCHEMA_VERSION) {
      throw new Error(`the read model in this file is schema version ${row.version}, newer than ${READ_MODEL_SCHEMA_VERSION}; upgrade experiment-rollout`);
    }
    db.exec(`CREATE TABLE IF NOT EXISTS rm_projections (
      name TEXT PRIMARY KEY, generation INTEGER NOT NULL, checkpoint INTEGER, error TEXT,
      rebuild_generation INTEGER, rebuild_checkpoint INTEGER, rebuild_error TEXT) STRICT`);
    // An older read model is derived data in an older layout: drop it and replay the log into the new one.
    if (row && row.version < READ_MODEL_SCHEMA_VERSION) resetReadModels();
    db.prepare('INSERT INTO schema_versions (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version').run(
      READ_MODEL_COMPONENT,
      READ_MODEL_SCHEMA_VERSION,
    );
    for (const name of projections) {
      const inserted = db.prepare('INSERT INTO rm_projections (name, generation) VALUES (?, 1) ON CONFLICT (name) DO NOTHING').run(name);
      if (inserted.changes > 0) createGeneration(name, 1);
    }
  }).immediate();

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql).safeIntegers(true)));
    return statement;
  };
  const readRow = (projection: string): PointerRow => {
    const row = prepare('SELECT * FROM rm_projections WHERE name = ?').get(projection) as PointerRow | undefined;
    if (!row) throw new Error(`unknown projection ${projection}`);
    return row;
  };
  const pointerOf = (row: PointerRow, target: Target): Pointer | undefined =>
    target === 'live'
      ? { generation: Number(row.generation), checkpoint: row.checkpoint, error: row.error }
      : row.rebuild_generation === null
        ? undefined
        : { generation: Number(row.rebuild_generation), checkpoint: row.rebuild_checkpoint, error: row.rebuild_error };

  const dropGeneration = (projection: string, generation: number) => {
    const table = tableName(projection, generation);
    for (const sql of [...statements.keys()]) if (sql.includes(` ${table} `)) statements.delete(sql);
    db.exec(`DROP TABLE IF EXISTS ${table}`);
  };

  return {
    kind: 'sqlite',
    pointer: (projection, target) => pointerOf(readRow(projection), target),

    beginRebuild(projection) {
      return db.transaction(() => {
        const row = readRow(projection);
        const existing = pointerOf(row, 'rebuild');
        if (existing) return existing;
        const generation = Number(row.generation) + 1;
        dropGeneration(projection, generation);
        createGeneration(projection, generation);
        prepare('UPDATE rm_projections SET rebuild_generation = ?, rebuild_checkpoint = NULL, rebuild_error = NULL WHERE name = ?').run(BigInt(generation), projection);
        return { generation, checkpoint: null, error: null };
      }).immediate();
    },

    get(projection, generation, kind, key) {
      const row = prepare(`SELECT doc FROM ${tableName(projection, generation)} WHERE kind = ? AND key = ?`).get(kind, key) as { doc: string } | undefined;
      return row?.doc;
    },

    range(projection, generation, kind, prefix) {
      const rows = prepare(`SELECT doc FROM ${tableName(projection, generation)} WHERE kind = ? AND key >= ? AND key < ? ORDER BY key`).all(
        kind,
        prefix,
        prefixEnd(prefix),
      ) as { doc: string }[];
      return rows.map((r) => r.doc);
    },

    commit(commit: Commit) {
      return db
        .transaction(() => {
          const pointer = pointerOf(readRow(commit.projection), commit.target);
          if (!pointer || pointer.generation !== commit.expected.generation || pointer.checkpoint !== commit.expected.checkpoint) return false;
          const upsert = prepare(
            `INSERT INTO ${tableName(commit.projection, pointer.generation)} (kind, key, doc) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET doc = excluded.doc`,
          );
          for (const [kind, key, doc] of commit.writes) upsert.run(kind, key, doc);
          const columns = commit.target === 'live' ? 'checkpoint = ?, error = ?' : 'rebuild_checkpoint = ?, rebuild_error = ?';
          prepare(`UPDATE rm_projections SET ${columns} WHERE name = ?`).run(commit.checkpoint, commit.error, commit.projection);
          return true;
        })
        .immediate();
    },

    switchToRebuild(projection) {
      return db
        .transaction(() => {
          const row = readRow(projection);
          const rebuild = pointerOf(row, 'rebuild');
          if (!rebuild) return 'none' as const;
          if ((rebuild.checkpoint ?? -1n) < (row.checkpoint ?? -1n) || rebuild.error !== null) return 'behind' as const;
          prepare(
            'UPDATE rm_projections SET generation = rebuild_generation, checkpoint = rebuild_checkpoint, error = NULL, rebuild_generation = NULL, rebuild_checkpoint = NULL, rebuild_error = NULL WHERE name = ?',
          ).run(projection);
          dropGeneration(projection, Number(row.generation));
          return 'switched' as const;
        })
        .immediate();
    },

    snapshot: (read) => db.transaction(read)(),

    dump(projection) {
      const generation = Number(readRow(projection).generation);
      const rows = prepare(`SELECT kind, key, doc FROM ${tableName(projection, generation)} ORDER BY kind, key`).all() as { kind: string; key: string; doc: string }[];
      return rows.map((r): DocumentWrite => [r.kind, r.key, r.doc]);
    },

    close() {
      statements.clear();
    },
  };
};
