import { execSync } from 'node:child_process';
import os from 'node:os';
import { betterSqliteVersion } from './sqliteFiles.ts';

export type Machine = {
  cpus: number;
  cpuModel: string;
  totalMemoryGb: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  sqlite: { betterSqlite3: string };
  tmpdir: string;
  tmpdirFilesystem?: string;
  gitCommit?: string;
};

const quiet = (command: string): string | undefined => {
  try {
    return execSync(command, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
};

export const describeMachine = (): Machine => {
  const fs = quiet(`findmnt -n -o FSTYPE,SOURCE -T ${JSON.stringify(os.tmpdir())}`);
  const commit = quiet('git rev-parse --short HEAD');
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    sqlite: { betterSqlite3: betterSqliteVersion() },
    tmpdir: os.tmpdir(),
    ...(fs ? { tmpdirFilesystem: fs } : {}),
    ...(commit ? { gitCommit: commit } : {}),
  };
};
