import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/http/createServer.ts';
import { createMetrics, type ServerMetrics } from '../../src/http/metrics.ts';
import * as f from '../support/fixtures.ts';
import { createTestRollout, type TestRollout } from './support/testRollout.ts';

let rollout: TestRollout;
let metrics: ServerMetrics;
let app: FastifyInstance;
let internal: string[];

const post = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/commands', payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

beforeEach(() => {
  metrics = createMetrics({ defaultMetrics: false });
  rollout = createTestRollout({ bus: { onResult: metrics.onResult } });
  internal = [];
  app = createServer(rollout, { metrics, bodyLimit: 4096, readWaitMs: 200, onInternalError: (what) => internal.push(what) });
});
afterEach(async () => {
  await app.close();
  await rollout.close();
});

describe('POST /commands', () => {
  it('answers 200 with the command result and the new revision as ETag', async () => {
    const response = await post(f.registerEnvironment());
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"0"');
    expect(response.json()).toMatchObject({ status: 'accepted', streamId: 'environment-production', revision: 0, position: '1', events: [{ type: 'EnvironmentRegistered', revision: 0 }] });
  });

  it('answers 200 for a duplicate command id, with the original outcome', async () => {
    const command = f.registerEnvironment();
    await post(command);
    const again = await post(command);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', revision: 0, position: '1' });
  });

  it('answers 200 "unchanged" when a later rollout add changes nothing', async () => {
    for (const c of [f.registerEnvironment(), f.registerFeature(), f.createExperiment()]) await post(c);
    const spec = { rolloutPercentage: 42, allocations: [{ optionId: 'A', percentage: 60 }] };
    expect((await post(f.addToRollout(spec))).json().status).toBe('accepted');
    const response = await post(f.addToRollout(spec));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'unchanged', revision: 3 });
    expect(response.headers.etag).toBe('"3"');
  });

  it('answers 400 validation_failed as problem+json listing every issue with its path', async () => {
    const bad = f.envelope('RegisterEnvironment', { environmentId: 'bad/id', apiKey: '', versioning: 'v3' });
    const response = await post(bad);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({ status: 400, code: 'validation_failed', type: 'urn:experiment-rollout:problem:validation_failed', commandId: bad.commandId });
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['data.apiKey', 'data.environmentId', 'data.versioning']);
  });

  it('answers 422 rule_violated and 404 not_found from the domain, naming the problem', async () => {
    await post(f.registerEnvironment());
    const twice = await post(f.registerEnvironment());
    expect(twice.statusCode).toBe(422);
    expect(twice.json()).toMatchObject({ code: 'rule_violated', detail: expect.stringContaining('already registered'), streamId: 'environment-production' });

    const orphan = await post(f.registerFeature('F', 'nowhere'));
    expect(orphan.statusCode).toBe(404);
    expect(orphan.json()).toMatchObject({ code: 'not_found', detail: expect.stringContaining('environment nowhere is not registered') });
  });

  it('maps If-Match to expectedRevision: a match is accepted, a stale one is 409 with the current ETag', async () => {
    await post(f.registerEnvironment());
    const fresh = await post(f.registerFeature(), { 'if-match': '"-1"' });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.etag).toBe('"0"');

    const stale = await post(f.createExperiment(), { 'if-match': '"5"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers.etag).toBe('"0"');
    expect(stale.json()).toMatchObject({ code: 'conflict', status: 409, streamId: 'featureState-production/checkout-button' });

    const current = await post(f.createExperiment(), { 'if-match': '"0"' });
    expect(current.statusCode).toBe(200);
    expect(current.headers.etag).toBe('"1"');
  });

  it('refuses a malformed If-Match, or one contradicting the body, with 400 before sending', async () => {
    const weak = await post(f.registerEnvironment(), { 'if-match': 'W/"0"' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().issues).toEqual([{ path: 'If-Match', message: expect.any(String) }]);
    const contradicting = await post({ ...f.registerEnvironment(), expectedRevision: 2 }, { 'if-match': '"3"' });
    expect(contradicting.statusCode).toBe(400);
    expect(rollout.sent).toHaveLength(0);
  });
});

describe('failures', () => {
  it('answers 500 internal with a generic problem when the store fails', async () => {
    rollout.store.append = async () => {
      throw new Error('disk I/O error at /var/secret/path');
    };
    const response = await post(f.registerEnvironment());
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 500, code: 'internal', streamId: 'environment-production' });
    expect(response.body).not.toContain('/var/secret/path');
    expect(internal.join('\n')).toContain('disk I/O error at /var/secret/path');
  });
});

describe('limits: nothing reaches the store', () => {
  it('413 for a body over the limit', async () => {
    const huge = f.envelope('RegisterEnvironment', { environmentId: 'e', apiKey: 'k'.repeat(5000), versioning: 'v1' });
    const response = await post(huge);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'payload_too_large', status: 413 });
    expect(rollout.sent).toHaveLength(0);
  });

  it('400 for malformed JSON and for an empty body', async () => {
    const malformed = await app.inject({ method: 'POST', url: '/commands', payload: '{"type": "Regis', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(malformed.json()).toMatchObject({ code: 'validation_failed', detail: expect.stringContaining('malformed JSON') });
    const empty = await app.inject({ method: 'POST', url: '/commands', payload: '', headers: { 'content-type': 'application/json' } });
    expect(empty.statusCode).toBe(400);
    expect(rollout.sent).toHaveLength(0);
  });

  it('415 for a body that is not JSON', async () => {
    const response = await app.inject({ method: 'POST', url: '/commands', payload: 'type=RegisterEnvironment', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('unsupported_media_type');
    expect(rollout.sent).toHaveLength(0);
  });

  it('404 problem for an unknown route', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found', detail: 'no route GET /nope' });
    expect(rollout.sent).toHaveLength(0);
    expect(await rollout.store.headPosition()).toBeUndefined();
  });
});

describe('reads', () => {
  beforeEach(async () => {
    for (const c of [f.registerEnvironment(), f.registerFeature(), f.createExperiment()]) await post(c);
  });

  it('serves state, evaluate and history, and 404 for an unknown feature or experiment', async () => {
    expect((await app.inject(`/environments/${f.ENV}/features/${f.FEATURE}/state`)).json()).toMatchObject({ featureId: f.FEATURE });
    expect((await app.inject(`/environments/${f.ENV}/features/${f.FEATURE}/evaluate?identity=u-1`)).json()).toMatchObject({ identity: 'u-1' });
    expect((await app.inject(`/environments/${f.ENV}/features/${f.FEATURE}/history`)).json()).toHaveLength(2);
    expect((await app.inject(`/experiments/${f.EXPERIMENT}/history`)).json().map((e: { type: string }) => e.type)).toEqual(['ExperimentIdReserved', 'ExperimentCreated']);
    for (const url of [`/environments/${f.ENV}/features/nope/state`, `/environments/${f.ENV}/features/nope/evaluate?identity=u`, `/environments/${f.ENV}/features/nope/history`, '/experiments/nope/history']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().code, url).toBe('not_found');
    }
  });

  it('400 with the query issues for a bad, missing or unknown query parameter', async () => {
    const cases = {
      [`/environments/${f.ENV}/features/${f.FEATURE}/state?at=yesterday`]: 'query.at',
      [`/environments/${f.ENV}/features/${f.FEATURE}/state?postion=3`]: 'query',
      [`/environments/${f.ENV}/features/${f.FEATURE}/state?at=2025-01-01T00:00:00Z&position=3`]: 'query.position',
      [`/environments/${f.ENV}/features/${f.FEATURE}/evaluate`]: 'query.identity',
      [`/environments/${f.ENV}/features/${f.FEATURE}/history?minPosition=-1`]: 'query.minPosition',
    };
    for (const [url, path] of Object.entries(cases)) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().issues.map((i: { path: string }) => i.path), url).toContain(path);
    }
  });

  it('with ?minPosition waits for the projections, and answers 503 not_caught_up when they do not get there', async () => {
    await rollout.holdProjections();
    const write = (await post(f.experimentCommand('StartExperiment'))).json();
    const url = `/environments/${f.ENV}/features/${f.FEATURE}/history?minPosition=${write.position}`;

    const late = await app.inject(url);
    expect(late.statusCode).toBe(503);
    expect(late.headers['retry-after']).toBe('1');
    expect(late.json()).toMatchObject({ code: 'not_caught_up', status: 503 });

    const waiting = app.inject(url);
    setTimeout(() => rollout.releaseProjections(), 50);
    expect((await waiting).statusCode).toBe(200);
  });
});

describe('operations', () => {
  it('/health reports the store and projection lag', async () => {
    await post(f.registerEnvironment());
    await rollout.holdProjections();
    await post(f.registerFeature());
    const response = await app.inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', store: { reachable: true, head: '2', description: 'memory:' }, lag: 1 });
  });

  it('/health is 503 when the store does not answer', async () => {
    rollout.store.headPosition = async () => {
      throw new Error('disk gone');
    };
    const response = await app.inject('/health');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable', store: { reachable: false, error: 'disk gone' } });
  });

  it('/metrics counts commands by type and status, times them, and shows projection lag', async () => {
    await post(f.registerEnvironment());
    await post(f.registerEnvironment());
    await post({ nonsense: true });
    await rollout.holdProjections();
    await post(f.registerFeature());
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toContain('rollout_commands_total{type="RegisterEnvironment",status="accepted",code=""} 1');
    expect(text).toContain('rollout_commands_total{type="RegisterEnvironment",status="rejected",code="rule_violated"} 1');
    expect(text).toContain('rollout_commands_total{type="invalid",status="rejected",code="validation_failed"} 1');
    expect(text).toContain('rollout_command_duration_seconds_count{type="RegisterEnvironment"} 2');
    expect(text).toContain('rollout_projection_lag_events{projection="featureState"} 1');
  });
});
