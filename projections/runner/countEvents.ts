import type Database from 'better-sqlite3';
import type { EventStore } from '../../src/eventStore/eventStore.ts';

const databaseOf = (store: EventStore): Database.Database | undefined =>
  'database' in store ? (store as EventStore & { database: Database.Database }).database : undefined;

/**
 * How many events lie after a position. SQLite counts with its index; the in-memory
 * store's positions are dense (1, 2, 3...); EventStoreDB's are byte offsets, so its
 * events are counted by paging (capped, for status only).
 */
export const countEventsAfter = async (store: EventStore, after: bigint | null, cap = 1_000_000): Promise<number> => {
  const db = databaseOf(store);
  if (db) {
    const row = db.prepare('SELECT count(*) AS n FROM events WHERE position > ?').safeIntegers(true).get(after ?? 0n) as { n: bigint };
    return Number(row.n);
  }
  const head = await store.headPosition();
  if (head === undefined) return 0;
  if (store.description === 'memory:') return Math.max(0, Number(head - (after ?? 0n)));
  let count = 0;
  let cursor = after;
  while (count < cap) {
    const batch = await store.readAll({ ...(cursor === null ? {} : { after: cursor }), maxCount: 5000 });
    if (batch.length === 0) break;
    count += batch.length;
    cursor = batch[batch.length - 1]!.position;
  }
  return count;
};
