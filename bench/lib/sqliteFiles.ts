/** Scratch SQLite files for the benchmarks: all under one os.tmpdir() folder, removed at the end. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const scratchDir = (label: string): string => {
  mkdirSync(tmpdir(), { recursive: true });
  return mkdtempSync(join(tmpdir(), `experiment-rollout-bench-${label}-`));
};

export const removeDb = (path: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
};

/** Folds the WAL into the main file so a plain copy of the file is the whole database. */
export const checkpoint = (path: string) => {
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${path}${suffix}`)) rmSync(`${path}${suffix}`, { force: true });
};

export const copyDb = (from: string, to: string) => {
  removeDb(to);
  copyFileSync(from, to);
};

/** SQLite versions as linked into better-sqlite3 (ours and the raw baselines). */
export const betterSqliteVersion = (): string => {
  const db = new Database(':memory:');
  const { v } = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
  db.close();
  return v;
};
