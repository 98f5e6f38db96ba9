import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { NO_STREAM } from '../../src/eventStore/eventStore.ts';
import { runBinary } from '../cli/support/runBinary.ts';
import { startServerProcess } from './support/serverProcess.ts';

const feature = ['--environment', 'production', '--feature', 'checkout-cta'];

/** An event no projection can apply, appended after the example scenario (e.g. written by a newer release). */
const appendPoison = async (path: string) => {
  const store = createSqliteEventStore({ path });
  const metadata = { occurredAt: '2026-01-01T00:00:00.000Z', actor: { type: 'user', id: 'u' }, commandId: 'c', correlationId: 'c', causationId: 'c', $correlationId: 'c', $causationId: 'c' };
  const { position } = await store.append('junk-1', [{ eventId: '0b6c5c1e-9a1f-4a52-8f7e-3d2c1b0a9f8e', type: 'FlagDeleted', schemaVersion: 1, data: {}, metadata: metadata as never }], NO_STREAM);
  await store.close();
  return position;
};

describe('a read model stopped by an event it cannot apply', () => {
  let dir: string;
  let path: string;
  let poisonAt: bigint;
  let goodState: unknown;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollout-stopped-'));
    path = join(dir, 'rollout.db');
    expect((await runBinary(['submit', 'examples/checkout-cta-experiment.ndjson'], { store: `sqlite:${path}` })).code).toBe(0);
    goodState = JSON.parse((await runBinary(['state', ...feature, '--json'], { store: `sqlite:${path}` })).stdout);
    poisonAt = await appendPoison(path);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('CLI reads answer from the last good model and warn on stderr, naming the event', async () => {
    const run = await runBinary(['state', ...feature, '--json'], { store: `sqlite:${path}` });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(goodState);
    expect(run.stderr).toContain(`position ${poisonAt}`);
    expect(run.stderr).toContain('FlagDeleted');
  });

  it('the server still starts, serves the last good model, takes commands, and /health reports the stop', async () => {
    const server = await startServerProcess(`sqlite:${path}`);
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(503);
      expect(JSON.stringify(await health.json())).toContain('FlagDeleted');
      const state = await fetch(`${server.url}/environments/production/features/checkout-cta/state`);
      expect([state.status, await state.json()]).toEqual([200, goodState]);
      const write = await fetch(`${server.url}/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'RegisterEnvironment', commandId: '5d2f7c1a-3b4e-4f6a-9c8d-1e2f3a4b5c6d', actor: { type: 'user', id: 'u' }, data: { environmentId: 'staging', apiKey: 'k', versioning: 'v1' } }),
      });
      expect(write.status).toBe(200);
      expect(server.output().stderr).toContain(`position ${poisonAt}`);
    } finally {
      await server.stop();
    }
  });
});
