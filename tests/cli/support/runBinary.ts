import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/rollout.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export type BinaryRun = { code: number | null; stdout: string; stderr: string };

/** Runs the real `bin/rollout.js` as a user would, with the store setting in ROLLOUT_STORE. */
export const runBinary = (args: string[], options: { store?: string; stdin?: string; env?: Record<string, string> } = {}): Promise<BinaryRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, ...(options.store ? { ROLLOUT_STORE: options.store } : {}), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });

export const jsonLines = (text: string): any[] =>
  text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
