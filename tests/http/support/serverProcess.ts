import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, REPO } from '../../cli/support/runBinary.ts';

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Sends the signal and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
};

/** Starts `rollout serve --port 0` (the real binary) and resolves once it prints its URL. */
export const startServerProcess = (store: string, args: string[] = [], env: Record<string, string> = {}): Promise<ServerProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd: REPO, env: { ...process.env, ROLLOUT_STORE: store, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!match) return;
      resolve({
        url: match[1]!,
        child,
        output: () => ({ stdout, stderr }),
        async stop(signal = 'SIGTERM') {
          const started = Date.now();
          if (child.exitCode === null) child.kill(signal);
          const code = await exited;
          return { code, ms: Date.now() - started };
        },
      });
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${stderr}`)));
  });
