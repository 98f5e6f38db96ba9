import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRollout } from '../../src/app/openRollout.ts';
import type { Rollout } from '../../src/app/rollout.ts';
import { documentBody } from '../../src/flagsmith/documentBody.ts';
import { exportEnvironmentDocument } from '../../src/flagsmith/exportEnvironmentDocument.ts';
import { createServer } from '../../src/http/createServer.ts';
import { runInProcess } from '../cli/support/runInProcess.ts';
import { envelope } from '../support/fixtures.ts';
import { issueServerKey } from './support/issueKey.ts';
import { SCENARIO_ENV, scenarioSteps } from './support/rolloutScenario.ts';

const PATH = '/api/v1/environment-document/';
const steps = scenarioSteps('v2');
const stepNamed = (name: string) => steps.find((s) => s.name === name)!;

let rollout: Rollout;
let app: FastifyInstance;
let dir: string;
let productionKey: { keyId: string; key: string };
let stagingKey: { keyId: string; key: string };

const send = async (commands: Record<string, unknown>[]) => {
  for (const command of commands) {
    const result = await rollout.bus.send(command);
    if (result.status !== 'accepted') throw new Error(`${String(command.type)}: ${result.status} ${result.error?.message ?? ''}`);
  }
};
const fetchDocument = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: PATH, headers });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flagsmith-route-'));
  rollout = await openRollout({ store: 'memory:' });
  app = createServer(rollout, { readWaitMs: 2000 });
  await rollout.projections.follow();
  await send(stepNamed('registered').commands());
  await send([envelope('RegisterEnvironment', { environmentId: 'staging', apiKey: 'staging-client-key', versioning: 'v1' })]);
  productionKey = await issueServerKey(rollout, SCENARIO_ENV, 'backend');
  stagingKey = await issueServerKey(rollout, 'staging', 'backend');
});
afterAll(async () => {
  await app?.close();
  await rollout?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/environment-document/ authentication', () => {
  it('answers 401 without X-Environment-Key, with an empty one, or with an unknown one', async () => {
    const unknown = `ser.${'A'.repeat(44)}`;
    const responses = [await fetchDocument(), await fetchDocument({ 'x-environment-key': '' }), await fetchDocument({ 'x-environment-key': unknown })];
    expect(responses.map((r) => r.statusCode)).toEqual([401, 401, 401]);
    for (const response of responses) {
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(response.headers.etag).toBeUndefined();
    }
    expect(responses[2]!.body).not.toContain(unknown);
  });

  it('refuses the environment client key (api_key): only server keys are accepted', async () => {
    expect((await fetchDocument({ 'x-environment-key': 'B62qaMZNwfiqT76p38ggrQ' })).statusCode).toBe(401);
  });

  it('serves the environment the key belongs to', async () => {
    const production = await fetchDocument({ 'x-environment-key': productionKey.key });
    const staging = await fetchDocument({ 'x-environment-key': stagingKey.key });
    expect([production.statusCode, staging.statusCode]).toEqual([200, 200]);
    expect(production.headers['content-type']).toMatch(/^application\/json/);
    expect(production.json()).toMatchObject({ api_key: 'B62qaMZNwfiqT76p38ggrQ' });
    expect(production.json().feature_states.map((fs: { feature: { name: string } }) => fs.feature.name)).toEqual(['banner-text', 'checkout-button', 'dark-mode', 'max-items']);
    expect(staging.json()).toMatchObject({ api_key: 'staging-client-key', feature_states: [], project: { segments: [] } });
  });

  it('answers 401 to a revoked key from the very next request, and keeps serving the others', async () => {
    const doomed = await issueServerKey(rollout, SCENARIO_ENV, 'to be revoked');
    expect((await fetchDocument({ 'x-environment-key': doomed.key })).statusCode).toBe(200);
    await send([envelope('RevokeServerKey', { environmentId: SCENARIO_ENV, keyId: doomed.keyId })]);
    expect((await fetchDocument({ 'x-environment-key': doomed.key })).statusCode).toBe(401);
    expect((await fetchDocument({ 'x-environment-key': productionKey.key })).statusCode).toBe(200);
  });
});

describe('GET /api/v1/environment-document/ caching', () => {
  it('sends an ETag, and 304 with no body on a matching If-None-Match', async () => {
    const first = await fetchDocument({ 'x-environment-key': productionKey.key });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(etag).toBe(documentBody(first.json()).etag);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await fetchDocument({ 'x-environment-key': productionKey.key, 'if-none-match': ifNoneMatch });
      expect([ifNoneMatch, again.statusCode, again.body, again.headers.etag]).toEqual([ifNoneMatch, 304, '', etag]);
    }
    const other = await fetchDocument({ 'x-environment-key': productionKey.key, 'if-none-match': '"something-else"' });
    expect(other.statusCode).toBe(200);
  });

  it('never answers 304 to a request it would refuse', async () => {
    const served = await fetchDocument({ 'x-environment-key': productionKey.key });
    expect((await fetchDocument({ 'if-none-match': served.headers.etag as string })).statusCode).toBe(401);
  });

  it('changes the ETag when a rollout changes, so a poller gets the new document', async () => {
    const before = await fetchDocument({ 'x-environment-key': productionKey.key });
    await send(stepNamed('first add').commands());
    const after = await fetchDocument({ 'x-environment-key': productionKey.key, 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.json().project.segments).toHaveLength(3);
  });
});

describe('point-in-time export', () => {
  it('equals, byte for byte, the document served at that time (by position, by time, and through the CLI)', async () => {
    const served: { step: string; body: string; position: bigint; at: string }[] = [];
    for (const step of ['manual default edit', 'tuning', 'start']) {
      await send(stepNamed(step).commands());
      const response = await fetchDocument({ 'x-environment-key': productionKey.key });
      served.push({ step, body: response.body, position: (await rollout.store.headPosition())!, at: new Date().toISOString() });
      // The next step's events must carry a later timestamp than `at`.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // A pause changes no flag: the document, and so its ETag, stay the same.
    await send(stepNamed('pause').commands());
    const paused = await fetchDocument({ 'x-environment-key': productionKey.key });
    expect(paused.body).toBe(served.at(-1)!.body);
    await send([...stepNamed('complete').commands(), ...stepNamed('second experiment').commands()]);
    const now = (await fetchDocument({ 'x-environment-key': productionKey.key })).body;

    for (const { step, body, position, at } of served) {
      expect(body, step).not.toBe(now);
      expect(documentBody((await exportEnvironmentDocument(rollout.readSide, SCENARIO_ENV, { position }))!).json, `${step} by position`).toBe(body);
      expect(documentBody((await exportEnvironmentDocument(rollout.readSide, SCENARIO_ENV, { at }))!).json, `${step} by time`).toBe(body);

      const out = join(dir, `${step}.json`);
      const cli = await runInProcess(['export', '--environment', SCENARIO_ENV, '--position', position.toString(), '--out', out], rollout);
      expect([cli.code, cli.stderr]).toEqual([0, '']);
      expect(readFileSync(out, 'utf8'), `${step} through rollout export`).toBe(body);
    }
    const current = await runInProcess(['export', '--environment', SCENARIO_ENV], rollout);
    expect(current.stdout).toBe(`${now}\n`);
  });

  it('exports nothing for an environment that did not exist yet, with exit code 1 like every read of something missing', async () => {
    const cli = await runInProcess(['export', '--environment', 'staging', '--position', '1'], rollout);
    expect([cli.code, cli.stdout]).toEqual([1, '']);
    expect(cli.stderr).toContain('no environment staging');
  });
});
