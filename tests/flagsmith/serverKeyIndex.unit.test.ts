import { expect, it } from 'vitest';
import { createCommandBus } from '../../src/application/commandBus.ts';
import type { EventStore } from '../../src/eventStore/eventStore.ts';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import { createServerKeyIndex } from '../../src/flagsmith/serverKeyIndex.ts';
import { envelope } from '../support/fixtures.ts';

const setUp = async () => {
  const store = createInMemoryEventStore();
  const bus = createCommandBus({ store });
  await bus.send(envelope('RegisterEnvironment', { environmentId: 'production', apiKey: 'client-key', versioning: 'v1' }));
  await bus.send(envelope('RegisterEnvironment', { environmentId: 'staging', apiKey: 'client-key-2', versioning: 'v2' }));
  const issue = async (environmentId: string) => (await bus.send(envelope('IssueServerKey', { environmentId, name: 'sdk' }))).serverKey!;
  return { store, bus, issue };
};

it('resolves each key to its own environment, and nothing else', async () => {
  const { store, issue } = await setUp();
  const production = await issue('production');
  const staging = await issue('staging');
  const index = createServerKeyIndex(store);
  expect(await index.resolve(production.key)).toEqual({ environmentId: 'production', keyId: production.keyId });
  expect(await index.resolve(staging.key)).toEqual({ environmentId: 'staging', keyId: staging.keyId });
  for (const wrong of ['', 'client-key', production.key.slice(0, -1), `${production.key} `, production.key.toUpperCase()]) {
    expect(await index.resolve(wrong)).toBeUndefined();
  }
});

it('sees a key issued after it was created, without a restart', async () => {
  const { store, issue } = await setUp();
  const index = createServerKeyIndex(store);
  expect(await index.resolve('ser.nothing-yet')).toBeUndefined();
  const later = await issue('production');
  expect(await index.resolve(later.key)).toMatchObject({ environmentId: 'production' });
});

it('refuses a key revoked before the lookup arrived, even while an older catch-up is still reading', async () => {
  const { store, bus, issue } = await setUp();
  const key = await issue('production');
  let gate: Promise<void> | undefined;
  let open!: () => void;
  // readAll answers with what it read, but only once the gate opens: a slow store.
  const slow: EventStore = {
    ...store,
    async readAll(options) {
      const batch = await store.readAll(options);
      if (gate) await gate;
      return batch;
    },
  };
  const index = createServerKeyIndex(slow);
  expect(await index.resolve(key.key)).toBeDefined();

  gate = new Promise((resolve) => (open = resolve));
  const before = index.resolve(key.key); // its catch-up has read "nothing new" and is waiting
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect((await bus.send(envelope('RevokeServerKey', { environmentId: 'production', keyId: key.keyId }))).status).toBe('accepted');
  const after = index.resolve(key.key);
  open();
  gate = undefined;
  expect(await before).toBeDefined();
  expect(await after).toBeUndefined();
});
