import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { describeEventStoreConformance } from './eventStoreConformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'rollout-conformance-'));
let files = 0;
const freshPath = () => join(dir, `store-${++files}.db`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreConformance('SQLite (group commit, synchronous=FULL)', {
  open: async () => createSqliteEventStore({ path: freshPath(), durability: 'full' }),
  startsEmpty: true,
  indexesEventIds: true,
});

describeEventStoreConformance('SQLite (one transaction per append, synchronous=NORMAL)', {
  open: async () => createSqliteEventStore({ path: freshPath(), durability: 'normal', groupCommit: false }),
  startsEmpty: true,
  indexesEventIds: true,
});
