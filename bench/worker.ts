/**
 * One benchmark task in a fresh process (run with --expose-gc), started by bench/run.ts:
 *   node --expose-gc --import tsx bench/worker.ts <task> '<options json>' <result file>
 * Progress goes to stderr; the result is written as JSON to the result file.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { runCommandsBench, seedSqlite, type CommandsOptions } from './lib/commandsBench.ts';
import { runEsdbBench, type EsdbOptions } from './lib/esdbBench.ts';
import { runHistoryBench, type HistoryOptions } from './lib/historyBench.ts';
import { generateRebuildStore, oursRebuild, rawScan, type GenerateOptions } from './lib/rebuildBench.ts';

// Emmett's SQLite connection console.logs every failed transaction; keep stdout quiet.
console.log = () => {};

const [task, optionsJson = '{}', resultFile] = process.argv.slice(2);
const options = JSON.parse(optionsJson) as unknown;

const tasks: Record<string, (options: never) => Promise<unknown>> = {
  commandsMemory: (o: Omit<CommandsOptions, 'store'>) => runCommandsBench({ ...o, store: 'memory' }),
  /** Both durability settings on the same seeded files. */
  commandsSqlite: async (o: Omit<CommandsOptions, 'store' | 'durability'> & { durabilities: ('full' | 'normal')[] }) => {
    const seeds = await seedSqlite(o.workload);
    try {
      const results = [];
      for (const durability of o.durabilities) results.push(await runCommandsBench({ ...o, store: 'sqlite', durability }, seeds));
      return results;
    } finally {
      rmSync(seeds.dir, { recursive: true, force: true });
    }
  },
  history: (o: HistoryOptions) => runHistoryBench(o),
  commandsEsdb: (o: EsdbOptions) => runEsdbBench(o),
  rebuildGenerate: (o: GenerateOptions) => generateRebuildStore(o),
  rebuildRaw: (o: { path: string }) => rawScan(o.path),
  rebuildOurs: (o: { path: string }) => oursRebuild(o.path),
};

const run = tasks[task ?? ''];
if (!run || !resultFile) {
  process.stderr.write(`usage: worker.ts <${Object.keys(tasks).join('|')}> '<options json>' <result file>\n`);
  process.exit(2);
}
const result = await run(options as never);
writeFileSync(resultFile, JSON.stringify(result, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
process.exit(0);
