/**
 * npm run bench: every benchmark of issue #6 in one reproducible run.
 *   node --import tsx bench/run.ts [--quick] [--only=memory,sqlite,history,rebuild,esdb] [--report-only]
 * Installs Emmett into bench/peers on first use, runs each task in a fresh child process
 * (bench/worker.ts), then writes bench/results/latest.json and BENCHMARKS.md.
 * --quick is a smoke test with tiny sizes: it writes bench/results/quick.json and prints
 * the table instead of touching BENCHMARKS.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PEERS_DIR, peerVersions, peersInstalled } from './lib/emmett.ts';
import { describeMachine } from './lib/machine.ts';
import { renderMarkdown, type BenchResults } from './lib/report.ts';
import { scratchDir } from './lib/sqliteFiles.ts';
import { log, summarize } from './lib/stats.ts';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const rootDir = join(benchDir, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wants = (part: string) => !only || only.includes(part);

const config = quick
  ? {
      memory: { workload: { seededFeatures: 200, features: 200, tunings: 1 }, runs: 2, warmups: 1, concurrencies: [1, 32], rawGroup: 32 },
      sqlite: { workload: { seededFeatures: 100, features: 50, tunings: 1 }, runs: 2, warmups: 1, concurrencies: [1, 32], rawGroup: 32, emmettSqliteConcurrentAttempt: 32, durabilities: ['full', 'normal'] },
      history: { sizes: [10, 100, 1000], runs: 2, commands: { 'ours/memory': 50, 'ours/sqlite': 50, 'emmett/memory': 20, 'emmett/sqlite': 10 }, durability: 'full' },
      rebuild: { features: 1000, eventsPerFeature: 100, runs: 1 },
    }
  : {
      memory: { workload: { seededFeatures: 1000, features: 1000, tunings: 4 }, runs: 7, warmups: 1, concurrencies: [1, 32], rawGroup: 32 },
      sqlite: { workload: { seededFeatures: 1000, features: 300, tunings: 1 }, runs: 5, warmups: 1, concurrencies: [1, 32], rawGroup: 32, emmettSqliteConcurrentAttempt: 64, durabilities: ['full', 'normal'] },
      history: { sizes: [10, 1000, 10000], runs: 5, commands: { 'ours/memory': 200, 'ours/sqlite': 200, 'emmett/memory': 100, 'emmett/sqlite': 20 }, durability: 'full' },
      rebuild: { features: 10000, eventsPerFeature: 100, runs: 5 },
    };

const ensurePeers = () => {
  if (peersInstalled()) return;
  log(`installing Emmett into ${PEERS_DIR} (npm ci --legacy-peer-deps)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: PEERS_DIR, stdio: 'inherit' });
  if (result.status !== 0 || !peersInstalled()) throw new Error('could not install bench/peers; see the npm output above');
};

const resultsDir = join(benchDir, 'results');
const scratch = scratchDir('run');

/** Runs one worker task in a fresh process and returns its JSON result. */
const runTask = async <T>(task: string, options: unknown): Promise<T> => {
  const resultFile = join(scratch, `${task}-${Date.now()}.json`);
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(benchDir, 'worker.ts'), task, JSON.stringify(options), resultFile], {
    cwd: rootDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  child.stderr.pipe(process.stderr);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`benchmark task ${task} failed (exit ${code})`);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as T;
};

if (args.includes('--report-only')) {
  // Re-renders BENCHMARKS.md from the last full run without measuring again.
  const last = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as BenchResults;
  writeFileSync(join(rootDir, 'BENCHMARKS.md'), renderMarkdown(last));
  rmSync(scratch, { recursive: true, force: true });
  log('re-rendered BENCHMARKS.md from bench/results/latest.json');
  process.exit(0);
}

const started = performance.now();
ensurePeers();
const results: BenchResults = {
  generatedAt: new Date().toISOString(),
  quick,
  machine: describeMachine(),
  peers: peerVersions(),
  config,
};
log(`machine: ${results.machine.cpus} cores (${results.machine.cpuModel}), ${results.machine.totalMemoryGb} GB, Node ${results.machine.node}, load ${results.machine.loadAverageAtStart.join(' ')}`);

try {
  if (wants('memory')) results.memory = await runTask('commandsMemory', config.memory);
  if (wants('sqlite')) results.sqlite = await runTask('commandsSqlite', config.sqlite);
  if (wants('history')) results.history = await runTask('history', config.history);
  if (wants('rebuild')) {
    const path = join(scratch, 'rebuild.db');
    const generated = await runTask<{ events: number; fileBytes: number; ms: number; features: number; eventsPerFeature: number }>('rebuildGenerate', { path, ...config.rebuild });
    type Pass = { events: number; ms: number; eventsPerSecond: number; peakRssMb: number; rssBeforeMb: number };
    const raw: Pass[] = [];
    const ours: Pass[] = [];
    await runTask('rebuildRaw', { path }); // warm-up: brings the file into the page cache
    for (let r = 0; r < config.rebuild.runs; r++) {
      raw.push(await runTask<Pass>('rebuildRaw', { path }));
      ours.push(await runTask<Pass>('rebuildOurs', { path }));
      log(`rebuild run ${r + 1}/${config.rebuild.runs}: raw ${raw.at(-1)!.eventsPerSecond.toFixed(0)} events/s, ours ${ours.at(-1)!.eventsPerSecond.toFixed(0)} events/s, peak RSS ${ours.at(-1)!.peakRssMb.toFixed(0)} MB`);
    }
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    const pick = (passes: Pass[]) => ({
      events: passes[0]!.events,
      eventsPerSecond: summarize(passes.map((p) => p.eventsPerSecond)),
      seconds: summarize(passes.map((p) => p.ms / 1000)),
      peakRssMb: summarize(passes.map((p) => p.peakRssMb)),
      rssBeforeMb: summarize(passes.map((p) => p.rssBeforeMb)),
    });
    results.rebuild = { generated, raw: pick(raw), ours: pick(ours), runs: config.rebuild.runs };
  }
  if (wants('esdb')) {
    const connectionString = process.env.ESDB_CONNECTION_STRING;
    results.esdb = connectionString
      ? await runTask('commandsEsdb', { ...config.sqlite, connectionString })
      : { skipped: 'ESDB_CONNECTION_STRING is not set' };
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

results.totalSeconds = (performance.now() - started) / 1000;
mkdirSync(resultsDir, { recursive: true });
const markdown = renderMarkdown(results);
if (quick) {
  writeFileSync(join(resultsDir, 'quick.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(markdown);
} else {
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(rootDir, 'BENCHMARKS.md'), markdown);
  log('wrote bench/results/latest.json and BENCHMARKS.md');
}
log(`done in ${results.totalSeconds.toFixed(0)} s`);
