import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore } from './eventStore.ts';
import { createInMemoryEventStore } from './inMemoryEventStore.ts';
import { createSqliteEventStore } from './sqliteEventStore.ts';
import { DEFAULT_STORE_SETTING, parseStoreSetting } from './storeSetting.ts';

export { ACCEPTED_STORE_FORMS, DEFAULT_STORE_SETTING, InvalidStoreSettingError, parseStoreSetting, type StoreSetting } from './storeSetting.ts';

/**
 * Opens the store named by the one store setting: ROLLOUT_STORE, or --store on the CLI.
 * A SQLite file (and its directory) is created on first use.
 */
export const openEventStore = async (setting: string = process.env.ROLLOUT_STORE ?? DEFAULT_STORE_SETTING): Promise<EventStore> => {
  const parsed = parseStoreSetting(setting);
  switch (parsed.kind) {
    case 'memory':
      return createInMemoryEventStore();
    case 'sqlite':
      mkdirSync(dirname(parsed.path), { recursive: true });
      return createSqliteEventStore({ path: parsed.path, durability: parsed.durability });
    case 'eventstoredb': {
      // Loaded on demand: the gRPC client is heavy and most runs use SQLite.
      const { createEventStoreDbEventStore } = await import('./eventStoreDbEventStore.ts');
      return createEventStoreDbEventStore({ connectionString: parsed.connectionString });
    }
  }
};
