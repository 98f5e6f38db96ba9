/**
 * The storage limit: raw better-sqlite3 transactions writing exactly the rows our
 * handler wrote (same table, same indexes, same JSON), with the same journal mode and
 * synchronous setting, and nothing else: no reads, no checks, no decisions.
 */
import Database from 'better-sqlite3';
import { runQueue, type RunResult } from './stats.ts';

export type RawRow = { stream_id: string; revision: bigint; event_id: string; type: string; schema_version: bigint; data: string; metadata: string };

/** The rows appended after `afterPosition`, grouped by the command that appended them. */
export const captureRowsByCommand = (path: string, afterPosition: bigint): RawRow[][] => {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare('SELECT stream_id, revision, event_id, type, schema_version, data, metadata FROM events WHERE position > ? ORDER BY position')
    .safeIntegers(true)
    .all(afterPosition) as RawRow[];
  db.close();
  const groups: RawRow[][] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.metadata === row.metadata && last[0]!.stream_id === row.stream_id) last.push(row);
    else groups.push([row]);
  }
  return groups;
};

export const headOf = (path: string): bigint => {
  const db = new Database(path, { readonly: true });
  const { head } = db.prepare('SELECT coalesce(max(position), 0) AS head FROM events').safeIntegers(true).get() as { head: bigint };
  db.close();
  return head;
};

/**
 * Writes the groups with `perTransaction` commands per IMMEDIATE transaction (1: one
 * transaction per command, the one-fsync-per-command limit). Latency is per transaction.
 */
export const rawAppend = async (path: string, durability: 'full' | 'normal', groups: readonly RawRow[][], perTransaction: number): Promise<RunResult> => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const write = db.transaction((batch: readonly RawRow[][]) => {
    for (const rows of batch) for (const r of rows) insert.run(r.stream_id, r.revision, r.event_id, r.type, r.schema_version, r.data, r.metadata);
  });
  const transactions = Math.ceil(groups.length / perTransaction);
  const run = await runQueue(transactions, 1, async (t) => {
    write.immediate(groups.slice(t * perTransaction, (t + 1) * perTransaction));
    return undefined;
  });
  db.close();
  // Report per command, like the handlers: commands/s over the same number of commands.
  return { ...run, commands: groups.length, commandsPerSecond: (groups.length / run.durationMs) * 1000 };
};
