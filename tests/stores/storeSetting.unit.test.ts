import { describe, expect, it } from 'vitest';
import { DEFAULT_STORE_SETTING, InvalidStoreSettingError, openEventStore, parseStoreSetting } from '../../src/eventStore/openEventStore.ts';

describe('store setting (ROLLOUT_STORE / --store)', () => {
  it('defaults to the SQLite file ./data/rollout.db with full durability', () => {
    expect(DEFAULT_STORE_SETTING).toBe('sqlite:./data/rollout.db');
    expect(parseStoreSetting(DEFAULT_STORE_SETTING)).toEqual({ kind: 'sqlite', path: './data/rollout.db', durability: 'full' });
  });

  it.each([
    ['sqlite:/var/lib/rollout/events.db', { kind: 'sqlite', path: '/var/lib/rollout/events.db', durability: 'full' }],
    ['sqlite:rollout.db?synchronous=normal', { kind: 'sqlite', path: 'rollout.db', durability: 'normal' }],
    ['sqlite:rollout.db?synchronous=FULL', { kind: 'sqlite', path: 'rollout.db', durability: 'full' }],
    ['memory:', { kind: 'memory' }],
    ['esdb://localhost:2113?tls=false', { kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' }],
    [
      'esdb+discover://localhost:2121,localhost:2122,localhost:2123?tls=false',
      { kind: 'eventstoredb', connectionString: 'esdb+discover://localhost:2121,localhost:2122,localhost:2123?tls=false' },
    ],
  ])('accepts %s', (setting, expected) => {
    expect(parseStoreSetting(setting)).toEqual(expected);
  });

  it.each([
    ['', /the setting is empty/],
    ['postgres://localhost/rollout', /unknown store kind/],
    ['./data/rollout.db', /unknown store kind/],
    ['sqlite:', /needs a file path/],
    ['sqlite:x.db?synchronous=off', /synchronous must be full or normal, got "off"/],
    ['sqlite:x.db?journal=delete', /unknown sqlite option "journal"/],
    ['memory:/tmp/x', /memory: takes no path or options/],
    ['esdb://', /needs host:port/],
    ['esdb://local host:2113', /needs host:port/],
  ])('rejects %j with a reason, the setting and the accepted forms', (setting, reason) => {
    const attempt = () => parseStoreSetting(setting);
    expect(attempt).toThrow(InvalidStoreSettingError);
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow(`invalid store setting "${setting}"`);
    expect(attempt).toThrow(/accepted forms: sqlite:PATH .*memory:, esdb:\/\/HOST:PORT\?tls=false or esdb\+discover:\/\//);
  });

  it('never repeats a password from a connection string in its errors', () => {
    expect(() => parseStoreSetting('esdb://admin:changeit@bad host')).toThrow(/^(?!.*changeit)/s);
  });

  it('is what openEventStore uses, so an invalid setting fails before anything is opened', async () => {
    await expect(openEventStore('mysql://nope')).rejects.toThrow(/invalid store setting "mysql:\/\/nope"/);
    const store = await openEventStore('memory:');
    expect(store.description).toBe('memory:');
    await store.close();
  });
});
