import type { RecordedEvent } from '../../src/eventStore/eventStore.ts';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';

export const groupBy = <T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> => {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/** Every event of the file, in global order, read the way a projection would. */
export const readEverything = async (path: string): Promise<RecordedEvent[]> => {
  const store = createSqliteEventStore({ path });
  const events: RecordedEvent[] = [];
  for (let batch = await store.readAll(); batch.length > 0; batch = await store.readAll({ after: batch[batch.length - 1]!.position })) events.push(...batch);
  await store.close();
  return events;
};
