import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('the README library example runs and makes the first add', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/library.ts'], { cwd: process.cwd() });
  expect(stdout.trim()).toBe('accepted RolloutSegmentCreated + DefaultAllocationsZeroed');
});
