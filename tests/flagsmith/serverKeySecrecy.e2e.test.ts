import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openRollout } from '../../src/app/openRollout.ts';
import { environmentStreamId } from '../../src/domain/streams.ts';
import { documentBody } from '../../src/flagsmith/documentBody.ts';
import { exportEnvironmentDocument } from '../../src/flagsmith/exportEnvironmentDocument.ts';
import { toHistoryEntries } from '../../projections/history/historyEntries.ts';
import { runInProcess } from '../cli/support/runInProcess.ts';
import { REPO } from '../cli/support/runBinary.ts';
import { envelope } from '../support/fixtures.ts';
import { SCENARIO_ENV, scenarioSteps } from './support/rolloutScenario.ts';

const steps = scenarioSteps('v2');

let dir: string;
let storeSetting: string;
let child: ChildProcess;
let url: string;
let logs = '';
const seen: string[] = [];

const request = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  seen.push(text);
  return { status: response.status, text };
};
const post = (command: unknown) => request('/commands', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flagsmith-secrecy-'));
  storeSetting = `sqlite:${join(dir, 'rollout.db')}`;
  child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'tests/flagsmith/support/loggingServer.ts'), storeSetting], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (logs += d));
  url = await new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      logs += d;
      const match = /listening on (http:\/\/\S+)/.exec(logs);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${logs}`)));
  });
}, 30_000);
afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

it('a server key appears once, in the command result, and nowhere else: log, history, exports, metrics, server logs, the store file', async () => {
  for (const command of [...steps[0]!.commands(), ...steps[1]!.commands()]) expect((await post(command)).status).toBe(200);
  const issue = envelope('IssueServerKey', { environmentId: SCENARIO_ENV, name: 'checkout-service' });
  const issued = await post(issue);
  const { keyId, key } = JSON.parse(issued.text).serverKey as { keyId: string; key: string };
  expect(key).toMatch(/^ser\.[A-Za-z0-9_-]{32,}$/);

  // A retry of the same command is answered from the log, which cannot know the key.
  const retried = await post(issue);
  expect(JSON.parse(retried.text)).toMatchObject({ status: 'duplicate' });
  expect(retried.text).not.toContain(key);

  // Use it, misuse it, revoke it, and read everything a user can read.
  expect((await request('/api/v1/environment-document/', { headers: { 'x-environment-key': key } })).status).toBe(200);
  expect((await request('/api/v1/environment-document/', { headers: { 'x-environment-key': `${key}x` } })).status).toBe(401);
  expect((await request(`/api/v1/environment-document/?key=${key}`)).status).toBe(401);
  expect((await post(envelope('RevokeServerKey', { environmentId: SCENARIO_ENV, keyId }))).status).toBe(200);
  expect((await request('/api/v1/environment-document/', { headers: { 'x-environment-key': key } })).status).toBe(401);
  expect((await request('/metrics')).status).toBe(200);
  expect((await request(`/environments/${SCENARIO_ENV}/features/checkout-button/history`)).status).toBe(200);
  expect((await request('/experiments/exp-colour/history')).status).toBe(200);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));

  // The capture does see what the server logs (the one URL we put the key in ourselves),
  // and nothing else the server logged holds the key.
  expect(logs).toContain('incoming request');
  expect(logs).toContain(`?key=${key}`);
  expect(logs.replaceAll(`?key=${key}`, '?key=<REDACTED-BY-TEST>')).not.toContain(key);
  // Only the issuing response ever carried it.
  expect(seen.filter((text) => text.includes(key))).toEqual([issued.text]);

  const rollout = await openRollout({ store: storeSetting });
  try {
    await rollout.projections.catchUp();
    const log = JSON.stringify(await rollout.store.readAll({ maxCount: 100_000 }), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    expect(log).not.toContain(key);
    // What the log keeps instead: the id, the name and the SHA-256.
    expect(log).toContain(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(toHistoryEntries(await rollout.store.readStream(environmentStreamId(SCENARIO_ENV))))).not.toContain(key);
    expect(JSON.stringify(await rollout.readSide.environment(SCENARIO_ENV))).not.toContain(key);
    expect(documentBody((await exportEnvironmentDocument(rollout.readSide, SCENARIO_ENV))!).json).not.toContain(key);
    const cli = await runInProcess(['export', '--environment', SCENARIO_ENV], rollout);
    expect(cli.code).toBe(0);
    expect(cli.stdout + cli.stderr).not.toContain(key);
  } finally {
    await rollout.close();
  }
  for (const file of ['rollout.db', 'rollout.db-wal']) {
    const path = join(dir, file);
    if (existsSync(path)) expect(readFileSync(path).includes(key), file).toBe(false);
  }
});
