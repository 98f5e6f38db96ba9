/**
 * Command handling, side by side in one process: our bus and Emmett's CommandHandler on
 * the same workload, same store kind and durability, sequential and 32 in flight, plus
 * (SQLite) the raw better-sqlite3 limit writing the very rows our handler wrote.
 */
import { join } from 'node:path';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { createEmmettSide, setupEmmett } from './emmett.ts';
import { oursBus, sendExpectingAccepted, setupOurs } from './ours.ts';
import { captureRowsByCommand, headOf, rawAppend, type RawRow } from './raw.ts';
import { checkpoint, copyDb, removeDb, scratchDir } from './sqliteFiles.ts';
import { collectGarbage, log, runQueue, summarizeRuns, type RunResult, type RunsSummary } from './stats.ts';
import { describeWorkload, timedCommands, type Envelope, type WorkloadShape } from './workload.ts';

export type CommandsOptions = {
  store: 'memory' | 'sqlite';
  durability?: 'full' | 'normal';
  /**
   * Emmett's SQLite store cannot run concurrent commands through one store object (they
   * fail: it closes the shared connection after each operation, and concurrent writers get
   * SQLITE_BUSY). Its in-flight figure is therefore one attempt with this many commands,
   * reported with its failure count, instead of warm-up plus repeated runs.
   */
  emmettSqliteConcurrentAttempt?: number;
  workload: WorkloadShape;
  runs: number;
  warmups: number;
  concurrencies: number[];
  /** Raw transactions per group-committed batch in the raw "grouped" baseline. */
  rawGroup: number;
};

export type CommandsResult = {
  label: string;
  store: string;
  durability?: string;
  workload: WorkloadShape & { description: string; commands: number };
  runs: number;
  warmups: number;
  ours: Record<string, RunsSummary>;
  /** singleAttempt: one attempt, not a median (Emmett SQLite with commands in flight). */
  emmett: Record<string, RunsSummary & { singleAttempt?: boolean }>;
  raw?: Record<string, RunsSummary>;
  setupMs: Record<string, number>;
};

const concurrencyKey = (c: number) => (c === 1 ? 'sequential' : `inFlight${c}`);

/** Seeded SQLite files shared by the durability settings (the files do not depend on it). */
export type SqliteSeeds = { dir: string; oursSeed: string; emmettSeed: string; oursSeedHead: bigint; setupMs: Record<string, number> };

export const seedSqlite = async (workload: WorkloadShape): Promise<SqliteSeeds> => {
  const dir = scratchDir('commands');
  const oursSeed = join(dir, 'ours-seed.db');
  const emmettSeed = join(dir, 'emmett-seed.db');
  const setupMs: Record<string, number> = {};
  let started = performance.now();
  const seedStore = createSqliteEventStore({ path: oursSeed, durability: 'normal' });
  await setupOurs(oursBus(seedStore), workload.seededFeatures, 32);
  await seedStore.close();
  checkpoint(oursSeed);
  const oursSeedHead = headOf(oursSeed);
  setupMs.oursSeed = performance.now() - started;
  started = performance.now();
  const emmettSeedSide = await createEmmettSide({ kind: 'sqlite', path: emmettSeed, durability: 'normal' });
  await setupEmmett(emmettSeedSide, workload.seededFeatures, 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  checkpoint(emmettSeed);
  setupMs.emmettSeed = performance.now() - started;
  log(`sqlite: seeded ${workload.seededFeatures} features (ours ${setupMs.oursSeed.toFixed(0)} ms, Emmett ${setupMs.emmettSeed.toFixed(0)} ms)`);
  return { dir, oursSeed, emmettSeed, oursSeedHead, setupMs };
};

export const runCommandsBench = async (options: CommandsOptions, seeds?: SqliteSeeds): Promise<CommandsResult> => {
  const { store, durability = 'full', workload, runs, warmups, concurrencies } = options;
  const label = store === 'memory' ? 'in-memory' : `sqlite-${durability}`;
  const commands: Envelope[] = timedCommands(workload.features, workload.tunings);
  const setupMs: Record<string, number> = { ...seeds?.setupMs };
  if (store === 'sqlite' && !seeds) throw new Error('the SQLite benchmark needs seeded files');
  const dir = seeds?.dir ?? '';
  const oursSeed = seeds?.oursSeed ?? '';
  const emmettSeed = seeds?.emmettSeed ?? '';
  const oursSeedHead = seeds?.oursSeedHead ?? 0n;
  let runCounter = 0;
  let rawGroups: RawRow[][] | undefined;
  const attempts: Record<string, RunResult> = {};

  {
    const runOurs = async (concurrency: number, captureRows: boolean): Promise<RunResult> => {
      if (store === 'memory') {
        const bus = oursBus(createInMemoryEventStore());
        await setupOurs(bus, workload.seededFeatures, 32);
        collectGarbage();
        return runQueue(commands.length, concurrency, (i) => sendExpectingAccepted(bus, commands[i]!));
      }
      const path = join(dir, `ours-run-${runCounter++}.db`);
      copyDb(oursSeed, path);
      const sqlite = createSqliteEventStore({ path, durability });
      const bus = oursBus(sqlite);
      collectGarbage();
      const result = await runQueue(commands.length, concurrency, (i) => sendExpectingAccepted(bus, commands[i]!));
      await sqlite.close();
      if (captureRows && result.failures === 0) rawGroups = captureRowsByCommand(path, oursSeedHead);
      removeDb(path);
      return result;
    };

    const runEmmett = async (concurrency: number, count = commands.length): Promise<RunResult> => {
      if (store === 'memory') {
        const side = await createEmmettSide({ kind: 'memory' });
        await setupEmmett(side, workload.seededFeatures, 32);
        collectGarbage();
        return runQueue(commands.length, concurrency, (i) => side.send(commands[i]!));
      }
      const path = join(dir, `emmett-run-${runCounter++}.db`);
      copyDb(emmettSeed, path);
      const side = await createEmmettSide({ kind: 'sqlite', path, durability });
      collectGarbage();
      const result = await runQueue(count, concurrency, (i) => side.send(commands[i]!));
      // Emmett closes its connection after every operation; let the last close settle.
      await new Promise((resolve) => setTimeout(resolve, 50));
      removeDb(path);
      return result;
    };

    const runRaw = async (perTransaction: number): Promise<RunResult> => {
      if (!rawGroups) throw new Error('no rows captured from our handler for the raw baseline');
      const path = join(dir, `raw-run-${runCounter++}.db`);
      copyDb(oursSeed, path);
      collectGarbage();
      const result = await rawAppend(path, durability, rawGroups, perTransaction);
      removeDb(path);
      return result;
    };

    const measured: Record<string, RunResult[]> = {};
    const record = (key: string, result: RunResult) => (measured[key] ??= []).push(result);
    const rawKeys = store === 'sqlite' ? [1, options.rawGroup] : [];

    const attemptOnly = (concurrency: number) => store === 'sqlite' && concurrency > 1 && options.emmettSqliteConcurrentAttempt !== undefined;
    for (let round = 0; round < warmups + runs; round++) {
      const warm = round < warmups;
      for (const concurrency of concurrencies) {
        const ours = await runOurs(concurrency, warm && concurrency === 1);
        if (!warm) record(`ours.${concurrencyKey(concurrency)}`, ours);
        let emmett: RunResult;
        if (attemptOnly(concurrency)) {
          if (round !== warmups) continue;
          emmett = await runEmmett(concurrency, options.emmettSqliteConcurrentAttempt);
          attempts[concurrencyKey(concurrency)] = emmett;
        } else {
          emmett = await runEmmett(concurrency);
          if (!warm) record(`emmett.${concurrencyKey(concurrency)}`, emmett);
        }
        log(
          `${label} ${warm ? 'warm-up' : `run ${round - warmups + 1}/${runs}`} x${concurrency}: ours ${ours.commandsPerSecond.toFixed(0)}/s (p99 ${ours.latency.p99.toFixed(2)} ms${ours.failures ? `, ${ours.failures} failed: ${ours.firstFailure}` : ''}), Emmett ${emmett.commandsPerSecond.toFixed(0)}/s (p99 ${emmett.latency.p99.toFixed(2)} ms${emmett.failures ? `, ${emmett.failures} failed: ${emmett.firstFailure}` : ''})`,
        );
      }
      for (const perTransaction of rawKeys) {
        const raw = await runRaw(perTransaction);
        if (!warm) record(`raw.${perTransaction === 1 ? 'oneTransactionPerCommand' : `commandsPerTransaction${perTransaction}`}`, raw);
        log(`${label} raw ${perTransaction}/txn: ${raw.commandsPerSecond.toFixed(0)} commands/s`);
      }
    }

    const group = (prefix: string) =>
      Object.fromEntries(
        Object.entries(measured)
          .filter(([key]) => key.startsWith(`${prefix}.`))
          .map(([key, results]) => [key.slice(prefix.length + 1), summarizeRuns(results)]),
      );
    return {
      label,
      store,
      ...(store === 'sqlite' ? { durability } : {}),
      workload: { ...workload, description: describeWorkload(workload), commands: commands.length },
      runs,
      warmups,
      ours: group('ours'),
      emmett: { ...group('emmett'), ...Object.fromEntries(Object.entries(attempts).map(([key, run]) => [key, { ...summarizeRuns([run]), singleAttempt: true }])) },
      ...(store === 'sqlite' ? { raw: group('raw') } : {}),
      setupMs,
    };
  }
};
