import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinary } from '../cli/support/runBinary.ts';
import { startServerProcess, type ServerProcess } from './support/serverProcess.ts';

const scenario = readFileSync('examples/checkout-cta-experiment.ndjson', 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const FEATURE = '/environments/production/features/checkout-cta';

let dir: string;
let store: string;
let server: ServerProcess;
const results: { status: number; etag: string | null; body: any }[] = [];

const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.url}/commands`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, etag: response.headers.get('etag'), type: response.headers.get('content-type'), body: (await response.json()) as any };
};
const get = async (path: string) => {
  const response = await fetch(`${server.url}${path}`);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
};
const command = (type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type,
  commandId: crypto.randomUUID(),
  actor: { type: 'apiKey', id: 'ci' },
  data,
  ...extra,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollout-http-'));
  store = `sqlite:${join(dir, 'rollout.db')}`;
  server = await startServerProcess(store, ['--read-wait', '300']);
  for (const c of scenario) results.push(await post(c));
}, 30_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the real server process against a temporary SQLite file', () => {
  it('prints its URL with the store, and accepts the example scenario with 200 and an ETag per command', () => {
    expect(server.output().stdout).toMatch(new RegExp(`^experiment-rollout listening on http://127\\.0\\.0\\.1:\\d+ \\(store: .*rollout\\.db`));
    expect(results.map((r) => [r.status, r.body.status])).toEqual(Array(9).fill([200, 'accepted']));
    expect(results.map((r) => r.etag)).toEqual(['"0"', '"0"', '"1"', '"3"', '"4"', '"5"', '"6"', '"7"', '"8"']);
  });

  it('reads its own write with ?minPosition, on every read route', async () => {
    const last = results.at(-1)!.body.position;
    const state = await get(`${FEATURE}/state?minPosition=${last}`);
    expect(state.status).toBe(200);
    expect(state.body.experiments).toMatchObject([{ experimentId: 'cta-copy-test', name: 'Checkout CTA copy', status: 'completed' }]);

    const evaluation = await get(`${FEATURE}/evaluate?identity=user-42&minPosition=${last}`);
    expect(evaluation.status).toBe(200);
    expect(evaluation.body).toMatchObject({ identity: 'user-42', identityKey: 'prod-8fKq2xN4_user-42' });

    const history = await get(`${FEATURE}/history?minPosition=${last}`);
    expect(history.body.at(-1)).toMatchObject({ type: 'ExperimentCompleted', position: last });
    const experiment = await get(`/experiments/cta-copy-test/history?minPosition=${last}`);
    expect(experiment.body).toHaveLength(8); // the id reservation and the experiment's 7 feature events

    // A write followed at once by a read of that position sees the write.
    const edit = await post(command('UpdateEnvironmentDefault', { environmentId: 'production', featureId: 'checkout-cta', value: { type: 'string', value: 'Order now' } }));
    const after = await get(`${FEATURE}/state?minPosition=${edit.body.position}`);
    expect(after.body.environmentDefault.value).toEqual({ type: 'string', value: 'Order now' });
  });

  it('serves the same JSON as the CLI', async () => {
    const http = await get(`${FEATURE}/state?position=${results.at(-1)!.body.position}`);
    const cli = await runBinary(['state', '--environment', 'production', '--feature', 'checkout-cta', '--position', results.at(-1)!.body.position, '--json'], { store });
    expect(cli.code).toBe(0);
    expect(http.body).toEqual(JSON.parse(cli.stdout));
  });

  it('answers 503 not_caught_up when ?minPosition is beyond what the projections reach in time', async () => {
    const response = await get(`${FEATURE}/state?minPosition=999999`);
    expect(response.status).toBe(503);
    expect(response.type).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('not_caught_up');
  });

  it('answers If-Match with the revision: 200 when current, 409 conflict when stale', async () => {
    const current = (await get(`${FEATURE}/history`)).body.at(-1).revision;
    const stale = await post(command('UpdateEnvironmentDefault', { environmentId: 'production', featureId: 'checkout-cta', enabled: false }), { 'if-match': `"${current - 1}"` });
    expect(stale.status).toBe(409);
    expect(stale.type).toMatch(/^application\/problem\+json/);
    expect(stale.body).toMatchObject({ code: 'conflict', status: 409 });
    expect(stale.etag).toBe(`"${current}"`);

    const fresh = await post(command('UpdateEnvironmentDefault', { environmentId: 'production', featureId: 'checkout-cta', enabled: false }), { 'if-match': `"${current}"` });
    expect(fresh.status).toBe(200);
    expect(fresh.etag).toBe(`"${current + 1}"`);
  });

  it('answers every error status with a problem document', async () => {
    const invalid = await post(command('CreateExperiment', { environmentId: 'production', featureId: 'checkout-cta', experimentId: 'x/y' }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'data.experimentId' }), expect.objectContaining({ path: 'data.name' })]));

    const notFound = await post(command('CreateExperiment', { environmentId: 'production', featureId: 'nope', experimentId: 'x', name: 'x' }));
    expect([notFound.status, notFound.body.code]).toEqual([404, 'not_found']);

    const ruleViolated = await post(command('StartExperiment', { environmentId: 'production', featureId: 'checkout-cta', experimentId: 'cta-copy-test' }));
    expect([ruleViolated.status, ruleViolated.body.code]).toEqual([422, 'rule_violated']);

    const malformed = await post('{"type":');
    expect([malformed.status, malformed.type, malformed.body.code]).toEqual([400, expect.stringMatching(/^application\/problem\+json/), 'validation_failed']);

    const tooLarge = await post(command('RegisterEnvironment', { environmentId: 'big', apiKey: 'k'.repeat(1024 * 1024), versioning: 'v1' }));
    expect([tooLarge.status, tooLarge.body.code]).toEqual([413, 'payload_too_large']);

    for (const path of ['/nope', `${FEATURE}/nothing`, '/environments/production/features/nope/state', '/experiments/nope/history']) {
      const response = await get(path);
      expect([path, response.status, response.body.code]).toEqual([path, 404, 'not_found']);
    }
    const form = await fetch(`${server.url}/commands`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'RegisterEnvironment' });
    expect([form.status, ((await form.json()) as any).code]).toEqual([415, 'unsupported_media_type']);

    const beforeAnything = await get(`${FEATURE}/state?at=2000-01-01T00:00:00Z`);
    expect([beforeAnything.status, beforeAnything.body.code]).toEqual([404, 'not_found']);
    const later = await get(`${FEATURE}/state?at=2999-01-01T00:00:00Z`);
    expect([later.status, later.body.featureId]).toEqual([200, 'checkout-cta']);

    const badQuery = await get(`${FEATURE}/evaluate`);
    expect([badQuery.status, badQuery.body.issues[0].path]).toEqual([400, 'query.identity']);
  });

  it('reports health and Prometheus metrics', async () => {
    const head = (await get(`${FEATURE}/history`)).body.at(-1).position;
    await get(`${FEATURE}/state?minPosition=${head}`);
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', store: { reachable: true, head }, lag: 0 });

    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('rollout_commands_total{type="AddFeatureToExperimentRollout",status="accepted",code=""} 2');
    expect(metrics.text).toContain('rollout_commands_total{type="StartExperiment",status="rejected",code="rule_violated"} 1');
    expect(metrics.text).toMatch(/rollout_command_duration_seconds_bucket\{le="[0-9.]+",type="RegisterFeature"\} 1/);
    expect(metrics.text).toContain('rollout_projection_lag_events{projection="featureState"} 0');
  });

  it('keeps serving the same state while `rollout rebuild` runs against its store', async () => {
    const before = await get(`${FEATURE}/state`);
    const rebuilt = await runBinary(['rebuild'], { store });
    expect(rebuilt.code).toBe(0);
    const after = await get(`${FEATURE}/state`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    const write = await post(command('UpdateEnvironmentDefault', { environmentId: 'production', featureId: 'checkout-cta', enabled: true }));
    expect((await get(`${FEATURE}/state?minPosition=${write.body.position}`)).body.environmentDefault.enabled).toBe(true);
  });

  it('shuts down cleanly on SIGINT, and a restart serves the same state', async () => {
    const before = await get(`${FEATURE}/state`);
    const stopped = await server.stop('SIGINT');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5000);
    expect(server.output().stderr).toContain('SIGINT: shutting down');

    server = await startServerProcess(store);
    const after = await get(`${FEATURE}/state`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
  });
});
