/**
 * The same command benchmark on EventStoreDB (only when ESDB_CONNECTION_STRING is set).
 * EventStoreDB keeps everything, so every run uses its own environment id and fresh
 * command ids. Emmett's EventStoreDB package is not installed in bench/peers, so this
 * part measures our bus alone.
 */
import { v4 as uuidv4 } from 'uuid';
import { createEventStoreDbEventStore } from '../../src/eventStore/eventStoreDbEventStore.ts';
import { oursBus, sendExpectingAccepted } from './ours.ts';
import { collectGarbage, log, runQueue, summarizeRuns, type RunResult, type RunsSummary } from './stats.ts';
import { describeWorkload, setupEnvironment, setupFeature, timedCommands, type Envelope, type WorkloadShape } from './workload.ts';

export type EsdbOptions = { connectionString: string; workload: WorkloadShape; runs: number; warmups: number; concurrencies: number[] };

const rekey = (command: Envelope, environmentId: string): Envelope => ({
  ...command,
  commandId: uuidv4(),
  data: { ...command.data, environmentId },
});

export const runEsdbBench = async (options: EsdbOptions) => {
  const { workload, runs, warmups, concurrencies } = options;
  const store = createEventStoreDbEventStore({ connectionString: options.connectionString });
  const measured: Record<string, RunResult[]> = {};
  try {
    for (let round = 0; round < warmups + runs; round++) {
      for (const concurrency of concurrencies) {
        const environmentId = `bench-${uuidv4().slice(0, 8)}`;
        const bus = oursBus(store);
        const setup = [setupEnvironment(), ...Array.from({ length: workload.seededFeatures }, (_, i) => setupFeature(i)).flat()].map((c) => rekey(c, environmentId));
        const setupRun = await runQueue(1, 1, () => sendExpectingAccepted(bus, setup[0]!));
        if (setupRun.failures) throw new Error(`EventStoreDB setup failed: ${setupRun.firstFailure}`);
        const perFeature = await runQueue(workload.seededFeatures, 32, async (i) => {
          for (const c of setup.slice(1 + 2 * i, 3 + 2 * i)) {
            const failure = await sendExpectingAccepted(bus, c);
            if (failure) return failure;
          }
          return undefined;
        });
        if (perFeature.failures) throw new Error(`EventStoreDB setup failed: ${perFeature.firstFailure}`);
        const commands = timedCommands(workload.features, workload.tunings).map((c) => rekey(c, environmentId));
        collectGarbage();
        const run = await runQueue(commands.length, concurrency, (i) => sendExpectingAccepted(bus, commands[i]!));
        log(`esdb ${round < warmups ? 'warm-up' : `run ${round - warmups + 1}/${runs}`} x${concurrency}: ${run.commandsPerSecond.toFixed(0)}/s p99 ${run.latency.p99.toFixed(2)} ms`);
        if (round >= warmups) (measured[concurrency === 1 ? 'sequential' : `inFlight${concurrency}`] ??= []).push(run);
      }
    }
  } finally {
    await store.close();
  }
  const ours: Record<string, RunsSummary> = Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, summarizeRuns(v)]));
  return { workload: { ...workload, description: describeWorkload(workload) }, runs, warmups, ours };
};
