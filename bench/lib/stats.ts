/** Small statistics helpers shared by every benchmark. */

export type Summary = { median: number; min: number; max: number; runs: number[] };

export const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  // Nearest-rank: the smallest sample with at least p% of the samples at or below it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
};

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const summarize = (runs: readonly number[]): Summary => ({
  median: median(runs),
  min: Math.min(...runs),
  max: Math.max(...runs),
  runs: [...runs],
});

export type Latencies = { p50: number; p95: number; p99: number; max: number };

export const latencies = (samplesMs: readonly number[]): Latencies => {
  const sorted = Float64Array.from(samplesMs).sort();
  const arr = Array.from(sorted);
  return { p50: percentile(arr, 50), p95: percentile(arr, 95), p99: percentile(arr, 99), max: arr[arr.length - 1] ?? Number.NaN };
};

/** One timed run of a command workload. */
export type RunResult = {
  commands: number;
  durationMs: number;
  commandsPerSecond: number;
  latency: Latencies;
  /** Commands that did not end as expected (should be 0; reported, never hidden). */
  failures: number;
  firstFailure?: string;
};

/** Runs `count` tasks with `concurrency` workers pulling from one queue; records each task's latency. */
export const runQueue = async (
  count: number,
  concurrency: number,
  task: (index: number, worker: number) => Promise<string | undefined>,
): Promise<RunResult> => {
  const samples = new Float64Array(count);
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const worker = async (workerId: number) => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const started = performance.now();
      let failure: string | undefined;
      try {
        failure = await task(index, workerId);
      } catch (error) {
        failure = (error as Error)?.message ?? String(error);
      }
      samples[index] = performance.now() - started;
      if (failure !== undefined) {
        failures++;
        firstFailure ??= failure;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, (_, w) => worker(w)));
  const durationMs = performance.now() - started;
  return {
    commands: count,
    durationMs,
    commandsPerSecond: (count / durationMs) * 1000,
    latency: latencies(Array.from(samples)),
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
};

/** Median of each figure over runs: throughput and each latency percentile independently. */
export type RunsSummary = {
  commands: number;
  commandsPerSecond: Summary;
  p50: Summary;
  p95: Summary;
  p99: Summary;
  failures: number;
  firstFailure?: string;
};

export const summarizeRuns = (runs: readonly RunResult[]): RunsSummary => {
  const failures = runs.reduce((n, r) => n + r.failures, 0);
  const firstFailure = runs.find((r) => r.firstFailure !== undefined)?.firstFailure;
  return {
    commands: runs[0]?.commands ?? 0,
    commandsPerSecond: summarize(runs.map((r) => r.commandsPerSecond)),
    p50: summarize(runs.map((r) => r.latency.p50)),
    p95: summarize(runs.map((r) => r.latency.p95)),
    p99: summarize(runs.map((r) => r.latency.p99)),
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
};

export const collectGarbage = () => {
  (globalThis as { gc?: () => void }).gc?.();
};

export const log = (message: string) => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};
