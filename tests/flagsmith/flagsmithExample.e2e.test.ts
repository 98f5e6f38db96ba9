import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('the README Flagsmith example runs: the SDK agrees with us before and after a rollout change', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/flagsmith/localEvaluation.ts'], { cwd: process.cwd(), timeout: 30_000 });
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^server key \S+ issued/);
  const counts = lines.slice(1).map((line) => /: (\d+) of 200 users see a variant; the SDK agrees with \/evaluate for 200\/200$/.exec(line)?.[1]);
  expect(counts).toHaveLength(2);
  expect(counts.every((c) => c !== undefined)).toBe(true);
  // 40% then 90% of users in the rollout, every one of them given a variant.
  expect(Number(counts[1])).toBeGreaterThan(Number(counts[0]));
});
