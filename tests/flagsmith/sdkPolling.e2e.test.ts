import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flagsmith } from 'flagsmith-nodejs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../http/support/serverProcess.ts';
import type { EvaluationView } from '../../src/queries/readSide.ts';
import { envelope } from '../support/fixtures.ts';
import { typedValue } from './support/typedValue.ts';
import { SCENARIO_ENV, SCENARIO_FEATURES, scenarioIdentities, scenarioSteps } from './support/rolloutScenario.ts';

const steps = scenarioSteps('v1');
const stepNamed = (name: string) => steps.find((s) => s.name === name)!;
const identities = scenarioIdentities(150);

let dir: string;
let server: ServerProcess;
let client: Flagsmith | undefined;
let serverKey: string;
let environmentFetches = 0;

const post = async (command: Record<string, unknown>) => {
  const response = await fetch(`${server.url}/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command) });
  const body = (await response.json()) as { status: string; position: string; serverKey?: { keyId: string; key: string } };
  if (response.status !== 200 || body.status !== 'accepted') throw new Error(`${String(command.type)}: ${response.status} ${JSON.stringify(body)}`);
  return body;
};

/** Ours, as any HTTP client sees it: the evaluate route, once the read model has the position. */
const ourFlags = async (identity: string, minPosition: string) => {
  const flags: Record<string, { enabled: boolean; value: unknown }> = {};
  for (const feature of SCENARIO_FEATURES) {
    const query = new URLSearchParams({ identity, minPosition });
    const response = await fetch(`${server.url}/environments/${SCENARIO_ENV}/features/${feature}/evaluate?${query}`);
    const evaluation = (await response.json()) as EvaluationView;
    flags[feature] = { enabled: evaluation.enabled, value: typedValue(evaluation.value) };
  }
  return flags;
};

const sdkFlags = async (identity: string) => {
  const flags = await client!.getIdentityFlags(identity);
  return Object.fromEntries(SCENARIO_FEATURES.map((f) => [f, { enabled: flags.isFeatureEnabled(f), value: flags.getFeatureValue(f) }]));
};

const compareAll = async (minPosition: string) => {
  const sdk: Record<string, unknown> = {};
  const ours: Record<string, unknown> = {};
  for (const identity of identities) {
    sdk[identity] = await sdkFlags(identity);
    ours[identity] = await ourFlags(identity, minPosition);
  }
  return { sdk, ours };
};

const until = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flagsmith-e2e-'));
  server = await startServerProcess(`sqlite:${join(dir, 'rollout.db')}`);
  for (const command of [...stepNamed('registered').commands(), ...stepNamed('first add').commands()]) await post(command);
  serverKey = (await post(envelope('IssueServerKey', { environmentId: SCENARIO_ENV, name: 'checkout-service' }))).serverKey!.key;
}, 30_000);
afterAll(async () => {
  await client?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('a flagsmith-nodejs client in local evaluation mode polls us and, after a rollout change, agrees with us again', async () => {
  client = new Flagsmith({
    environmentKey: serverKey,
    apiUrl: `${server.url}/api/v1/`,
    enableLocalEvaluation: true,
    environmentRefreshIntervalSeconds: 0.3,
    onEnvironmentChange: (error) => {
      if (!error) environmentFetches++;
    },
  });

  const head = (await post(envelope('UpdateEnvironmentDefault', { environmentId: SCENARIO_ENV, featureId: 'banner-text', value: { type: 'string', value: 'Hello' } }))).position;
  const before = await compareAll(head);
  expect(before.sdk).toEqual(before.ours);

  // A rollout change: tuning moves identities into the rollout and adds a variant.
  let position = head;
  for (const command of stepNamed('tuning').commands()) position = (await post(command)).position;
  const polled = environmentFetches;
  // Two completed polls after the change: the second surely started after it.
  await until(() => environmentFetches >= polled + 2, 10_000);
  const after = await compareAll(position);
  expect(after.sdk).toEqual(after.ours);
  // The change was visible to the SDK, not an unchanged document compared twice.
  expect(identities.filter((i) => JSON.stringify(after.sdk[i]) !== JSON.stringify(before.sdk[i])).length).toBeGreaterThan(10);
  expect(server.output().stdout + server.output().stderr).not.toContain(serverKey);
});
