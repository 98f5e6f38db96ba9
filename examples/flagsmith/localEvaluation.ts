// Point the official Flagsmith Node SDK at experiment-rollout, in local evaluation mode.
// Run it with `npx tsx examples/flagsmith/localEvaluation.ts`: it starts `rollout serve`
// on a throwaway store, sets up a rollout, issues a server key, and lets the SDK poll us.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Flagsmith } from 'flagsmith-nodejs';

// 1. The server (in production: `ROLLOUT_STORE=sqlite:/var/lib/rollout/rollout.db rollout serve`).
const bin = fileURLToPath(new URL('../../bin/rollout.js', import.meta.url));
const server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--store', 'memory:'], { stdio: ['ignore', 'pipe', 'ignore'] });
const url = await new Promise<string>((resolve) => {
  server.stdout.setEncoding('utf8').on('data', (line: string) => {
    const match = /listening on (\S+)/.exec(line);
    if (match) resolve(match[1]!);
  });
});

const send = async (type: string, data: object) => {
  const response = await fetch(`${url}/commands`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, commandId: randomUUID(), actor: { type: 'user', id: 'ana@example.com' }, data }),
  });
  const result = (await response.json()) as { status: string; serverKey?: { keyId: string; key: string } };
  if (response.status !== 200) throw new Error(`${type}: ${JSON.stringify(result)}`);
  return result;
};
const text = (value: string) => ({ type: 'string', value });
const where = { environmentId: 'production', featureId: 'checkout-cta' };

// 2. An environment, a multivariate feature and an experiment rolled out to 40%.
await send('RegisterEnvironment', { environmentId: 'production', apiKey: 'prod-8fKq2xN4', versioning: 'v2' });
await send('RegisterFeature', {
  ...where,
  name: 'Checkout call-to-action copy',
  enabled: true,
  value: text('Buy now'),
  options: [
    { optionId: 'opt-complete', key: 'complete-order', value: text('Complete order'), defaultAllocation: 50 },
    { optionId: 'opt-pay', key: 'pay-securely', value: text('Pay securely'), defaultAllocation: 50 },
  ],
});
await send('CreateExperiment', { ...where, experimentId: 'cta-copy', name: 'Checkout CTA copy' });
const rollout = (rolloutPercentage: number) => ({
  ...where,
  experimentId: 'cta-copy',
  enabled: true,
  rolloutPercentage,
  controlValue: text('Buy now'),
  allocations: [
    { optionId: 'opt-complete', percentage: 50 },
    { optionId: 'opt-pay', percentage: 50 },
  ],
});
await send('AddFeatureToExperimentRollout', rollout(40));

// 3. A server key for the SDK. The result shows it this once; the log keeps only its hash.
const serverKey = (await send('IssueServerKey', { environmentId: 'production', name: 'checkout-service' })).serverKey!;
console.log(`server key ${serverKey.keyId} issued (the key starts with "ser.", as local evaluation requires)`);

// 4. The SDK, exactly as against Flagsmith: only apiUrl points at us.
let polls = 0;
const flagsmith = new Flagsmith({
  environmentKey: serverKey.key,
  apiUrl: `${url}/api/v1/`,
  enableLocalEvaluation: true,
  environmentRefreshIntervalSeconds: 1,
  onEnvironmentChange: (error) => void (error ? console.error(error) : polls++),
});

const users = Array.from({ length: 200 }, (_, i) => `user-${i}`);
const report = async (label: string) => {
  let inExperiment = 0;
  let agree = 0;
  for (const user of users) {
    const flags = await flagsmith.getIdentityFlags(user);
    const sdkValue = flags.getFeatureValue('checkout-cta');
    const response = await fetch(`${url}/environments/production/features/checkout-cta/evaluate?identity=${user}`);
    const ours = (await response.json()) as { enabled: boolean; value: { value: string } };
    if (sdkValue !== 'Buy now') inExperiment++;
    if (sdkValue === ours.value.value && flags.isFeatureEnabled('checkout-cta') === ours.enabled) agree++;
  }
  console.log(`${label}: ${inExperiment} of ${users.length} users see a variant; the SDK agrees with /evaluate for ${agree}/${users.length}`);
};

await report('rollout at 40%');
await send('AddFeatureToExperimentRollout', rollout(90));
const seen = polls;
while (polls < seen + 2) await new Promise((resolve) => setTimeout(resolve, 100));
await report('rollout at 90%, after the next poll');

await flagsmith.close();
server.kill('SIGTERM');
