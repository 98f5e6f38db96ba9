import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCommandBus } from '../application/commandBus.ts';
import type { EventStore } from '../eventStore/eventStore.ts';
import { openEventStore, parseStoreSetting } from '../eventStore/openEventStore.ts';
import { sqliteDatabaseOf } from '../eventStore/sqliteEventStore.ts';
import { RolloutError } from '../application/errors.ts';
import { createReadSide } from '../queries/createReadSide.ts';
import { createFeatureStateProjection } from '../../projections/featureState/featureStateProjection.ts';
import { createProjections } from '../../projections/runner/createProjections.ts';
import { createInMemoryReadModelStorage } from '../../projections/runner/inMemoryReadModelStorage.ts';
import type { ReadModelStorage } from '../../projections/runner/readModelStorage.ts';
import { createSqliteReadModelStorage } from '../../projections/runner/sqliteReadModelStorage.ts';
import type { OpenRolloutOptions, Rollout } from './rollout.ts';

export type OpenRolloutExtraOptions = {
  /**
   * Where the read model lives when the store is not SQLite (EventStoreDB): "memory:"
   * (the default: rebuilt by catching up from position 0 on every start) or
   * "sqlite:PATH" (a local file that keeps the read model and its checkpoint).
   * Also read from ROLLOUT_READ_MODEL. With a SQLite store the read model is always in
   * the store's own file, committed in the same transaction as its checkpoint.
   */
  readModel?: string;
  /** Events per projection transaction (default 2000). */
  batchSize?: number;
  /** Events per rebuild transaction (default max(batchSize, 100,000); ends early when many documents are pending). */
  rebuildBatchSize?: number;
  /** How often a follower polls for appends by other processes (default 500 ms). */
  pollIntervalMs?: number;
  /** An already open store (tests, embedding); `store` is ignored then and the caller closes it. */
  eventStore?: EventStore;
};

const storageFor = (store: EventStore, names: readonly string[], readModel: string | undefined): { storage: ReadModelStorage; close: () => void } => {
  const database = sqliteDatabaseOf(store);
  if (database) {
    const storage = createSqliteReadModelStorage(database, names);
    return { storage, close: () => storage.close() };
  }
  const setting = readModel ?? process.env.ROLLOUT_READ_MODEL ?? 'memory:';
  // The same forms as the store setting, minus EventStoreDB.
  const parsed = parseStoreSetting(setting);
  if (parsed.kind === 'memory') return { storage: createInMemoryReadModelStorage(names), close: () => {} };
  if (parsed.kind !== 'sqlite') throw new RolloutError('validation_failed', `invalid read model setting "${setting}": use memory: or sqlite:PATH`);
  const { path } = parsed;
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const storage = createSqliteReadModelStorage(db, names);
  return {
    storage,
    close: () => {
      storage.close();
      db.close();
    },
  };
};

/**
 * The composition root: the store from the one store setting, the command bus, the
 * projections and the read side. Nothing is applied on open: a one-shot process calls
 * projections.catchUp() (or waitForPosition after a command), a server calls follow().
 */
export const openRollout = async (options: OpenRolloutOptions & OpenRolloutExtraOptions = {}): Promise<Rollout> => {
  const ownsStore = options.eventStore === undefined;
  const store = options.eventStore ?? (await openEventStore(options.store));
  try {
    const bus = createCommandBus({ ...options.bus, store });
    const featureState = createFeatureStateProjection();
    const { storage, close: closeStorage } = storageFor(store, [featureState.name], options.readModel);
    const projections = createProjections({
      store,
      storage,
      projections: [featureState],
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.rebuildBatchSize === undefined ? {} : { rebuildBatchSize: options.rebuildBatchSize }),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    });
    const readSide = createReadSide({ store, storage });
    let closed = false;
    return {
      store,
      bus,
      readSide,
      projections,
      async close() {
        if (closed) return;
        closed = true;
        await projections.close();
        closeStorage();
        if (ownsStore) await store.close();
      },
    };
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
};
