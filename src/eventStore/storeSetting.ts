import { RolloutError } from '../application/errors.ts';
import type { SqliteDurability } from './sqliteEventStore.ts';

/** The one store setting (ROLLOUT_STORE, --store), shared by the library, CLI and server. */
export type StoreSetting =
  | { kind: 'sqlite'; path: string; durability: SqliteDurability }
  | { kind: 'memory' }
  | { kind: 'eventstoredb'; connectionString: string };

export const DEFAULT_STORE_SETTING = 'sqlite:./data/rollout.db';

export const ACCEPTED_STORE_FORMS =
  'sqlite:PATH (optionally sqlite:PATH?synchronous=normal), memory:, esdb://HOST:PORT?tls=false or esdb+discover://HOST:PORT';

export class InvalidStoreSettingError extends RolloutError {
  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super('validation_failed', `invalid store setting "${redactCredentials(setting)}": ${reason}; accepted forms: ${ACCEPTED_STORE_FORMS}`, [
      { path: 'store', message: reason },
    ]);
  }
}

/** Never print a password that came in a connection string. */
export const redactCredentials = (setting: string): string => setting.replace(/^(esdb(?:\+discover)?:\/\/)[^@/?]*@/i, '$1***@');

/** scheme://[user:pass@]host[:port][,host[:port]...][/][?key=value&...] (a cluster lists several hosts, so not a URL). */
const ESDB_CONNECTION_STRING = /^esdb(\+discover)?:\/\/([^@/?\s]+@)?[A-Za-z0-9.\-[\]:]+(,[A-Za-z0-9.\-[\]:]+)*\/?(\?[^\s]*)?$/i;

const parseSqlite = (setting: string, rest: string): StoreSetting => {
  const queryStart = rest.indexOf('?');
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart);
  if (path.length === 0) throw new InvalidStoreSettingError(setting, 'the sqlite form needs a file path');
  let durability: SqliteDurability = 'full';
  if (queryStart !== -1) {
    for (const [key, value] of new URLSearchParams(rest.slice(queryStart + 1))) {
      if (key !== 'synchronous') throw new InvalidStoreSettingError(setting, `unknown sqlite option "${key}" (only synchronous=full|normal)`);
      const normalized = value.toLowerCase();
      if (normalized !== 'full' && normalized !== 'normal') {
        throw new InvalidStoreSettingError(setting, `synchronous must be full or normal, got "${value}"`);
      }
      durability = normalized;
    }
  }
  return { kind: 'sqlite', path, durability };
};

export const parseStoreSetting = (setting: string): StoreSetting => {
  const trimmed = setting.trim();
  if (trimmed === 'memory:') return { kind: 'memory' };
  if (trimmed.startsWith('sqlite:')) return parseSqlite(setting, trimmed.slice('sqlite:'.length));
  if (/^esdb(\+discover)?:\/\//i.test(trimmed)) {
    if (!ESDB_CONNECTION_STRING.test(trimmed)) {
      throw new InvalidStoreSettingError(setting, 'the EventStoreDB connection string needs host:port[,host:port...] and optional ?options');
    }
    return { kind: 'eventstoredb', connectionString: trimmed };
  }
  if (trimmed.startsWith('memory:')) throw new InvalidStoreSettingError(setting, 'memory: takes no path or options');
  throw new InvalidStoreSettingError(setting, trimmed === '' ? 'the setting is empty' : 'unknown store kind');
};
