import { DEFAULT_STORE_SETTING, InvalidStoreSettingError, parseStoreSetting } from '../eventStore/openEventStore.ts';
import { usageError } from './cliError.ts';

/** The store setting: --store, else ROLLOUT_STORE, else the default SQLite file. A bad one is bad usage. */
export const storeSettingFrom = (flag: string | undefined, env: Record<string, string | undefined>): string => {
  const setting = flag ?? env.ROLLOUT_STORE ?? DEFAULT_STORE_SETTING;
  try {
    parseStoreSetting(setting);
  } catch (error) {
    if (error instanceof InvalidStoreSettingError) throw usageError(`${flag === undefined ? 'ROLLOUT_STORE' : '--store'}: ${error.message}`);
    throw error;
  }
  return setting;
};
