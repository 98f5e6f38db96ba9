import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../src/application/errors.ts';
import { NO_STREAM } from '../../src/eventStore/eventStore.ts';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { newEvent } from '../conformance/eventStoreConformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'rollout-group-commit-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([true, false])('SQLite appends committed together (groupCommit=%s)', (groupCommit) => {
  it('fails only the append that cannot be stored, writing none of its events, and commits the others', async () => {
    const store = createSqliteEventStore({ path: join(dir, `${++files}.db`), groupCommit });
    // A bigint cannot be written as JSON: the second event fails after the first was inserted.
    const unstorable = [newEvent('Fine', { n: 1 }), newEvent('Broken', { n: 2n })];

    const outcomes = await Promise.allSettled([
      store.append('s-before', [newEvent('Fine', {})], NO_STREAM),
      store.append('s-broken', unstorable, NO_STREAM),
      store.append('s-conflict', [newEvent('Fine', {})], 7n),
      store.append('s-after', [newEvent('Fine', {}), newEvent('Fine', {})], NO_STREAM),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('s-broken')).toEqual([]);
    const all = await store.readAll();
    expect(all.map((e) => [e.streamId, e.position])).toEqual([
      ['s-before', 1n],
      ['s-after', 2n],
      ['s-after', 3n],
    ]);
    await store.close();
  });
});
