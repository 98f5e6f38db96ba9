import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Worker = {
  child: ChildProcess;
  /** Every complete stdout line so far. */
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Resolves once the worker has printed `line`. */
export const lineFrom = (worker: Worker, line: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const check = () => {
      if (worker.lines.includes(line)) resolve();
      else if (worker.child.exitCode !== null) reject(new Error(`worker exited before printing ${line}: ${worker.stderr()}`));
      else setTimeout(check, 10);
    };
    check();
  });

/** Starts `node --import tsx tests/stores/fixtures/<script>` as a separate OS process. */
export const spawnWorker = (script: string, args: readonly string[], onLine?: (line: string) => void): Worker => {
  const path = fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      onLine?.(line);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, stderr: () => stderr, exited };
};
