/**
 * Cost as history grows: one feature whose stream already holds N events (N = 10, 1,000,
 * 10,000: registration, experiment, first add, then tunings), then timed tunings of that
 * feature. The first command after opening (fresh bus or handler: nothing cached) is
 * reported apart as "cold"; the rest show the steady state.
 */
import { join } from 'node:path';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/eventStore/eventStore.ts';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { featureStreamId } from '../../src/domain/streams.ts';
import { createEmmettSide } from './emmett.ts';
import { oursBus, sendExpectingAccepted } from './ours.ts';
import { checkpoint, copyDb, removeDb, scratchDir } from './sqliteFiles.ts';
import { collectGarbage, latencies, log, summarize, type Summary } from './stats.ts';
import { BENCH_ENV, featureIdOf, firstAdd, setupEnvironment, setupFeature, tuning } from './workload.ts';

export type HistoryOptions = {
  sizes: number[];
  runs: number;
  /** Timed tunings per run, by system and store, e.g. { 'ours/memory': 200, 'emmett/sqlite': 50 }. */
  commands: Record<string, number>;
  durability: 'full' | 'normal';
};

export type HistoryPoint = {
  historyEvents: number;
  commands: number;
  cold: Summary;
  p50: Summary;
  p95: Summary;
  p99: Summary;
};

export type HistoryResult = { durability: string; runs: number; series: Record<string, HistoryPoint[]> };

const STREAM = featureStreamId(BENCH_ENV, featureIdOf(0));

/** Builds the stream's events with our own bus (in memory), so they are exactly what the decider emits. */
const templateEvents = async (size: number): Promise<{ environment: RecordedEvent[]; feature: RecordedEvent[]; tunings: number }> => {
  const store = createInMemoryEventStore();
  const bus = oursBus(store);
  for (const command of [setupEnvironment(), ...setupFeature(0), firstAdd(0)]) {
    const failure = await sendExpectingAccepted(bus, command);
    if (failure) throw new Error(`history fill failed: ${failure}`);
  }
  const tunings = size - 4;
  for (let k = 1; k <= tunings; k++) {
    const failure = await sendExpectingAccepted(bus, tuning(0, k));
    if (failure) throw new Error(`history fill failed: ${failure}`);
  }
  const feature = await store.readStream(STREAM);
  if (feature.length !== size) throw new Error(`history fill made ${feature.length} events, wanted ${size}`);
  return { environment: await store.readStream(`environment-${BENCH_ENV}`), feature, tunings };
};

const toNew = (e: RecordedEvent): NewEvent => ({ eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata });

const fillOurs = async (store: EventStore, environment: RecordedEvent[], feature: RecordedEvent[]) => {
  await store.append(`environment-${BENCH_ENV}`, environment.map(toNew), -1n);
  for (let i = 0; i < feature.length; i += 1000) await store.append(STREAM, feature.slice(i, i + 1000).map(toNew), BigInt(i) - 1n);
};

type Timed = { cold: number; samples: number[] };

const timeTunings = async (send: (k: number) => Promise<string | undefined>, firstK: number, count: number): Promise<Timed> => {
  const samples: number[] = [];
  let cold = 0;
  for (let j = 0; j <= count; j++) {
    const started = performance.now();
    const failure = await send(firstK + j);
    const ms = performance.now() - started;
    if (failure) throw new Error(`history command failed: ${failure}`);
    if (j === 0) cold = ms;
    else samples.push(ms);
  }
  return { cold, samples };
};

export const runHistoryBench = async (options: HistoryOptions): Promise<HistoryResult> => {
  const { sizes, runs, durability } = options;
  const dir = scratchDir('history');
  const series: Record<string, HistoryPoint[]> = {};
  try {
    for (const size of sizes) {
      const { environment, feature, tunings } = await templateEvents(size);
      const firstK = tunings + 1;
      const emmettEvents = (events: RecordedEvent[]) => events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }));

      // Template files, copied for every run.
      const oursFile = join(dir, `ours-${size}.db`);
      const oursTemplate = createSqliteEventStore({ path: oursFile, durability: 'normal' });
      await fillOurs(oursTemplate, environment, feature);
      await oursTemplate.close();
      checkpoint(oursFile);
      const emmettFile = join(dir, `emmett-${size}.db`);
      const emmettTemplate = await createEmmettSide({ kind: 'sqlite', path: emmettFile, durability: 'normal' });
      await emmettTemplate.fill(`environment-${BENCH_ENV}`, emmettEvents(environment));
      await emmettTemplate.fill(STREAM, emmettEvents(feature));
      await new Promise((resolve) => setTimeout(resolve, 50));
      checkpoint(emmettFile);

      const variants: Record<string, () => Promise<Timed>> = {
        'ours/memory': async () => {
          const store = createInMemoryEventStore();
          await fillOurs(store, environment, feature);
          const bus = oursBus(store);
          collectGarbage();
          return timeTunings((k) => sendExpectingAccepted(bus, tuning(0, k)), firstK, options.commands['ours/memory'] ?? 200);
        },
        'ours/sqlite': async () => {
          const path = join(dir, `ours-run.db`);
          copyDb(oursFile, path);
          const store = createSqliteEventStore({ path, durability });
          const bus = oursBus(store);
          collectGarbage();
          const timed = await timeTunings((k) => sendExpectingAccepted(bus, tuning(0, k)), firstK, options.commands['ours/sqlite'] ?? 200);
          await store.close();
          removeDb(path);
          return timed;
        },
        'emmett/memory': async () => {
          const side = await createEmmettSide({ kind: 'memory' });
          await side.fill(`environment-${BENCH_ENV}`, emmettEvents(environment));
          await side.fill(STREAM, emmettEvents(feature));
          collectGarbage();
          return timeTunings((k) => side.send(tuning(0, k)), firstK, options.commands['emmett/memory'] ?? 200);
        },
        'emmett/sqlite': async () => {
          const path = join(dir, `emmett-run.db`);
          copyDb(emmettFile, path);
          const side = await createEmmettSide({ kind: 'sqlite', path, durability });
          collectGarbage();
          const timed = await timeTunings((k) => side.send(tuning(0, k)), firstK, options.commands['emmett/sqlite'] ?? 50);
          await new Promise((resolve) => setTimeout(resolve, 50));
          removeDb(path);
          return timed;
        },
      };

      for (const [name, run] of Object.entries(variants)) {
        await run(); // warm-up
        const results: Timed[] = [];
        for (let r = 0; r < runs; r++) results.push(await run());
        const lat = results.map((t) => latencies(t.samples));
        const point: HistoryPoint = {
          historyEvents: size,
          commands: results[0]!.samples.length,
          cold: summarize(results.map((t) => t.cold)),
          p50: summarize(lat.map((l) => l.p50)),
          p95: summarize(lat.map((l) => l.p95)),
          p99: summarize(lat.map((l) => l.p99)),
        };
        (series[name] ??= []).push(point);
        log(`history ${size} events, ${name}: cold ${point.cold.median.toFixed(2)} ms, p50 ${point.p50.median.toFixed(2)} ms, p99 ${point.p99.median.toFixed(2)} ms`);
      }
      removeDb(oursFile);
      removeDb(emmettFile);
    }
    return { durability, runs, series };
  } finally {
    const { rmSync } = await import('node:fs');
    rmSync(dir, { recursive: true, force: true });
  }
};
