import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_STREAM } from '../../src/eventStore/eventStore.ts';
import { openEventStore } from '../../src/eventStore/openEventStore.ts';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { EVENT_STORE_SCHEMA_VERSION, StoreFileError } from '../../src/eventStore/sqliteSchema.ts';
import { newEvent } from '../conformance/eventStoreConformance.ts';
import { readEverything } from './readEverything.ts';
import { lineFrom, spawnWorker } from './spawnWorker.ts';

const dir = mkdtempSync(join(tmpdir(), 'rollout-store-file-'));
let files = 0;
const pathFor = (name: string) => join(dir, `${++files}-${name}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openingFails = (path: string) => {
  try {
    createSqliteEventStore({ path }).close();
  } catch (error) {
    return error;
  }
  throw new Error(`opening ${path} succeeded`);
};

describe('SQLite store file', () => {
  it('is created on first open and keeps its events and positions across reopening', async () => {
    const path = pathFor('reopen.db');
    const first = createSqliteEventStore({ path });
    await first.append('featureState-env/f1', [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })], NO_STREAM);
    await first.close();

    const second = createSqliteEventStore({ path });
    const appended = await second.append('featureState-env/f1', [newEvent('C', { n: 3 })], 1n);
    const events = await second.readStream('featureState-env/f1');
    await second.close();

    expect(events.map((e) => [e.type, e.revision, e.position])).toEqual([
      ['A', 0n, 1n],
      ['B', 1n, 2n],
      ['C', 2n, 3n],
    ]);
    expect(appended).toEqual({ nextRevision: 2n, position: 3n });
  });

  it('is in WAL mode with synchronous=FULL by default and NORMAL on request', async () => {
    const full = createSqliteEventStore({ path: pathFor('full.db') });
    const normal = createSqliteEventStore({ path: pathFor('normal.db'), durability: 'normal' });

    expect(full.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(full.database.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(normal.database.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    await full.close();
    await normal.close();
  });

  it('turns an empty (zero-byte) file into a store', async () => {
    const path = pathFor('empty.db');
    writeFileSync(path, '');
    const store = createSqliteEventStore({ path });
    await store.append('s-1', [newEvent('A', {})], NO_STREAM);
    expect(await store.headPosition()).toBe(1n);
    await store.close();
  });

  it('refuses a file of random bytes with an error naming the file, and leaves it untouched', () => {
    const path = pathFor('random.db');
    const bytes = randomBytes(64 * 1024);
    writeFileSync(path, bytes);

    const error = openingFails(path);

    expect(error).toBeInstanceOf(StoreFileError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/not a SQLite database/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a store written by a newer release, naming the file and both versions, and leaves it untouched', async () => {
    const path = pathFor('newer.db');
    const store = createSqliteEventStore({ path });
    await store.append('s-1', [newEvent('A', {})], NO_STREAM);
    await store.close();
    const raw = new Database(path);
    raw.prepare(`UPDATE schema_versions SET version = ? WHERE component = 'eventStore'`).run(EVENT_STORE_SCHEMA_VERSION + 1);
    raw.close();

    const error = openingFails(path);

    expect(error).toBeInstanceOf(StoreFileError);
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain(`version ${EVENT_STORE_SCHEMA_VERSION + 1}`);
    expect((error as Error).message).toContain(`version ${EVENT_STORE_SCHEMA_VERSION} this release`);
    const after = new Database(path, { readonly: true });
    expect(after.prepare(`SELECT version FROM schema_versions WHERE component = 'eventStore'`).pluck().get()).toBe(EVENT_STORE_SCHEMA_VERSION + 1);
    expect(after.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    after.close();
  });

  it("refuses another application's SQLite database instead of adding tables to it", () => {
    const path = pathFor('foreign.db');
    const foreign = new Database(path);
    foreign.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada');`);
    foreign.close();

    const error = openingFails(path);

    expect(error).toBeInstanceOf(StoreFileError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/another application/);
    const after = new Database(path, { readonly: true });
    expect(after.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all()).toEqual(['users']);
    after.close();
  });

  it('is created with its directory by openEventStore from a sqlite: setting', async () => {
    const path = join(dir, 'nested', 'deeper', 'rollout.db');

    const store = await openEventStore(`sqlite:${path}?synchronous=normal`);
    await store.append('s-1', [newEvent('A', {})], NO_STREAM);
    await store.close();

    expect(existsSync(path)).toBe(true);
    expect(store.description).toBe(`sqlite:${path}?synchronous=normal`);
  });

  it('is created once when several processes open a new file at the same moment', async () => {
    const path = pathFor('opened-together.db');
    const workers = [0, 1, 2, 3].map((i) => spawnWorker('openAndAppend.ts', [path, `s-${i}`]));
    await Promise.all(workers.map((w) => lineFrom(w, 'ready')));
    for (const worker of workers) worker.child.stdin!.end('go\n');

    const exits = await Promise.all(workers.map((w) => w.exited));

    expect(exits, workers.map((w) => w.stderr()).join('\n')).toEqual(workers.map(() => ({ code: 0, signal: null })));
    const events = await readEverything(path);
    expect(events.map((e) => e.streamId).sort()).toEqual(['s-0', 's-1', 's-2', 's-3']);
    expect(events.map((e) => e.position)).toEqual([1n, 2n, 3n, 4n]);
  });
});
