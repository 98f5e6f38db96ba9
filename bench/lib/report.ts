/** Renders BENCHMARKS.md from the raw results (bench/results/latest.json). */
import type { CommandsResult } from './commandsBench.ts';
import type { HistoryPoint, HistoryResult } from './historyBench.ts';
import type { Machine } from './machine.ts';
import type { RunsSummary, Summary } from './stats.ts';

type PassSummary = { events: number; eventsPerSecond: Summary; seconds: Summary; peakRssMb: Summary; rssBeforeMb: Summary };

export type BenchResults = {
  generatedAt: string;
  quick: boolean;
  machine: Machine;
  peers: Record<string, string>;
  config: unknown;
  memory?: CommandsResult;
  sqlite?: CommandsResult[];
  history?: HistoryResult;
  rebuild?: { generated: { events: number; fileBytes: number; ms: number; features: number; eventsPerFeature: number }; raw: PassSummary; ours: PassSummary; runs: number };
  esdb?: { skipped: string } | { workload: { description: string }; runs: number; ours: Record<string, RunsSummary> };
  totalSeconds?: number;
};

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const rate = (s: Summary | undefined) => (s ? `**${int(s.median)}** (${int(s.min)}–${int(s.max)})` : 'n/a');
const msRange = (s: Summary | undefined) => (s ? `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})` : 'n/a');
const lat = (r: RunsSummary | undefined) => (r ? `${ms(r.p50.median)} / ${ms(r.p95.median)} / ${ms(r.p99.median)}` : 'n/a');
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !Number.isFinite(a / b) ? 'n/a' : `${(a / b).toFixed(2)}×`);
const mark = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? '**met**' : '**missed**');

const failures = (r: RunsSummary | undefined) => (r && r.failures > 0 ? ` — ${r.failures} of ${r.commands * (r.commandsPerSecond.runs.length || 1)} commands failed (${r.firstFailure})` : '');

/** Why a target is missed, from the analysis of the runs (profiles in the final report of issue #6). */
const REASONS = {
  memory:
    'our bus does more work per command than Emmett\'s handler, on purpose, and on the in-memory store that work is the whole cost: the in-memory store copies every event through JSON, as a real store does, so stored data has the same semantics on every store (~6 µs); every event id is a deterministic v5 UUID (a SHA-1, ~4 µs) so that EventStoreDB drops a retried command; commands are queued per stream inside the process and the stream cache keeps an idempotency index of command ids. Both sides run the same zod envelope validation (~6-8 µs) and the same decide/evolve; Emmett re-reads the whole stream per command, which costs it little on these short in-memory streams, and stores plain objects with random ids. We keep these guarantees rather than drop them to meet a ratio.',
  sqliteSequential:
    'sequential commands cannot be grouped, so at full durability ours is capped by one fsync per command: the raw one-transaction-per-command limit (section 2). 10× Emmett needs ours at RAW_SHARE of that limit on this disk and ours reaches OURS_SHARE; the rest is the per-command work of the bus and store around the fsync (envelope validation, reading the stream tail, the event-id lookups of the idempotency check, JSON) on a 2-core machine whose disk and CPUs other test runs were using. Emmett is far below the limit because its SQLite store opens and closes a node-sqlite3 connection for every read and every append.',
  groupCommit:
    'with 32 commands in flight our store commits the appends of one event-loop turn in one transaction (src/eventStore/sqliteGroupCommit.ts); when it does not beat one transaction per command here, the per-command CPU work of the bus (validation, decide, the savepoint per append, JSON) on a 2-core machine shared with other test runs is the limit, not the fsync.',
  history:
    'the bus reads only the events since its cached revision, so the work per command does not grow with history (the in-memory series shows it); on SQLite at full durability the p99 of a few hundred commands is dominated by fsync outliers on a disk shared with other test runs, so a miss here reflects that noise (compare p50 and the min–max of p99), not the history. The first command after opening does fold the whole stream ("cold" column).',
  rebuildRate:
    'the rebuild does much more than the raw scan per event: it zod-validates every event (upcast), folds it with the domain evolve, maintains the feature-state records and their cache, writes the read-model rows and the checkpoint; a CPU profile taken during this work (of a rebuild then at ~36,000 events/s) showed ~25% of the time in garbage collection and ~12% in zod parsing. Needed in projections/ (not bench): skip re-validating events the store already validated on append (or validate only the fields the projection reads), and reuse objects per batch to cut GC.',
  rebuildMemory:
    'the peak is the whole process (Node, tsx, better-sqlite3 and the projection), measured as maxRSS; the raw scan in the same kind of process peaks far lower, so most of it is the projection\'s batches of parsed events and its record cache growing with 10,000 features, plus garbage not yet collected.',
};

export const renderMarkdown = (r: BenchResults): string => {
  const out: string[] = [];
  const m = r.machine;
  const sqliteFull = r.sqlite?.find((s) => s.durability === 'full');
  const sqliteNormal = r.sqlite?.find((s) => s.durability === 'normal');

  out.push('# Benchmarks', '');
  out.push(
    `Measured by \`npm run bench\` (bench/run.ts) on ${r.generatedAt.slice(0, 10)}${m.gitCommit ? ` at commit ${m.gitCommit}` : ''}, in ${r.totalSeconds ? `${Math.round(r.totalSeconds)} s` : 'one run'}. Raw figures: [bench/results/latest.json](bench/results/latest.json).`,
    '',
    `**Machine:** ${m.cpus} cores (${m.cpuModel}), ${m.totalMemoryGb} GB RAM, Node ${m.node}, ${m.platform}; SQLite ${m.sqlite.betterSqlite3} (better-sqlite3, ours and the raw baselines) and ${r.peers.sqlite3 ? `node-sqlite3 ${r.peers.sqlite3}` : 'node-sqlite3'} (Emmett); files in ${m.tmpdir}${m.tmpdirFilesystem ? ` (${m.tmpdirFilesystem})` : ''}. Load average at start: ${m.loadAverageAtStart.join(', ')}.`,
    '',
    '> **A small, shared development machine.** Absolute numbers on 2 cores vary from run to run (see the load average at start; the min–max ranges show the spread); both sides of every comparison ran in the same process, interleaved run by run, so the ratios are the meaningful part.',
    '',
    `**Method.** Every figure is the median of at least 5 runs after a warm-up (${r.memory?.runs ?? 5} in memory, where a run is short), with min–max in brackets; latencies are p50 / p95 / p99 in ms (medians over the runs). Each task runs in a fresh Node process (\`--expose-gc\`, a GC before each timed run). Ours and Emmett alternate run by run inside the same process. Reference: Emmett ${r.peers['@event-driven-io/emmett'] ?? '?'} with @event-driven-io/emmett-sqlite ${r.peers['@event-driven-io/emmett-sqlite'] ?? '?'}, installed apart in bench/peers.`,
    '',
  );

  // ---- targets ----
  const memSeqRatio = r.memory ? r.memory.ours.sequential!.commandsPerSecond.median / r.memory.emmett.sequential!.commandsPerSecond.median : undefined;
  const mem32Ratio = r.memory ? r.memory.ours.inFlight32!.commandsPerSecond.median / r.memory.emmett.inFlight32!.commandsPerSecond.median : undefined;
  const sqlSeqRatio = sqliteFull ? sqliteFull.ours.sequential!.commandsPerSecond.median / sqliteFull.emmett.sequential!.commandsPerSecond.median : undefined;
  const rawOne = sqliteFull?.raw?.oneTransactionPerCommand?.commandsPerSecond.median;
  const ours32Full = sqliteFull?.ours.inFlight32?.commandsPerSecond.median;
  const historyRatio = (series: string) => {
    const points = r.history?.series[series];
    const first = points?.[0];
    const last = points?.[points.length - 1];
    return first && last ? { ratio: last.p99.median / first.p99.median, first, last } : undefined;
  };
  const histSqlite = historyRatio('ours/sqlite');
  const histMemory = historyRatio('ours/memory');
  const rebuildRatio = r.rebuild ? r.rebuild.ours.eventsPerSecond.median / r.rebuild.raw.eventsPerSecond.median : undefined;
  const rebuildPeak = r.rebuild?.ours.peakRssMb.median;

  const rawShare = (target: number | undefined) => (target === undefined || rawOne === undefined ? 'n/a' : `${((target / rawOne) * 100).toFixed(0)}%`);
  const emmettSeqFull = sqliteFull?.emmett.sequential?.commandsPerSecond.median;
  REASONS.sqliteSequential = REASONS.sqliteSequential
    .replace('RAW_SHARE', rawShare(emmettSeqFull === undefined ? undefined : emmettSeqFull * 10))
    .replace('OURS_SHARE', rawShare(sqliteFull?.ours.sequential?.commandsPerSecond.median));
  const memMet = memSeqRatio === undefined || mem32Ratio === undefined ? undefined : memSeqRatio >= 2 && mem32Ratio >= 2;
  const targets: [string, string, boolean | undefined, string][] = [
    ['In-memory: ≥ 2× Emmett in-memory throughput, full validation on', `${ratio(memSeqRatio, 1)} sequential, ${ratio(mem32Ratio, 1)} with 32 in flight`, memMet, REASONS.memory],
    ['SQLite full durability, sequential: ≥ 10× Emmett SQLite', ratio(sqlSeqRatio, 1), sqlSeqRatio === undefined ? undefined : sqlSeqRatio >= 10, REASONS.sqliteSequential],
    [
      'SQLite full durability, 32 in flight: beat raw one-transaction-per-command (group commit, same durability and checks)',
      ours32Full === undefined || rawOne === undefined ? 'n/a' : `${int(ours32Full)} vs ${int(rawOne)} commands/s (${ratio(ours32Full, rawOne)})`,
      ours32Full === undefined || rawOne === undefined ? undefined : ours32Full > rawOne,
      REASONS.groupCommit,
    ],
    [
      'p99 at 10,000 events of history ≤ 2× p99 at 10 events',
      histSqlite ? `SQLite: ${ms(histSqlite.last.p99.median)} vs ${ms(histSqlite.first.p99.median)} ms (${ratio(histSqlite.ratio, 1)}); in memory: ${histMemory ? `${ms(histMemory.last.p99.median)} vs ${ms(histMemory.first.p99.median)} ms (${ratio(histMemory.ratio, 1)})` : 'n/a'}` : 'n/a',
      histSqlite === undefined ? undefined : histSqlite.ratio <= 2 && (histMemory === undefined || histMemory.ratio <= 2),
      REASONS.history,
    ],
    ['Rebuild: ≥ 60% of raw scan+parse', rebuildRatio === undefined ? 'n/a' : `${(rebuildRatio * 100).toFixed(0)}%`, rebuildRatio === undefined ? undefined : rebuildRatio >= 0.6, REASONS.rebuildRate],
    ['Rebuild: peak memory < 256 MB for 1,000,000 events', rebuildPeak === undefined ? 'n/a' : `${int(rebuildPeak)} MB peak RSS`, rebuildPeak === undefined ? undefined : rebuildPeak < 256, REASONS.rebuildMemory],
  ];
  out.push('## Targets', '', '| Target | Measured | Result |', '| --- | --- | --- |');
  for (const [target, measured, met] of targets) out.push(`| ${target} | ${measured} | ${mark(met)} |`);
  out.push('');
  const missed = targets.filter(([, , met]) => met === false);
  if (missed.length > 0) {
    out.push('**Why the missed targets are missed:**', '');
    for (const [target, , , reason] of missed) out.push(`- *${target}*: ${reason}`);
    out.push('');
  }

  // ---- 1. command handling ----
  out.push('## 1. Command handling: our bus vs Emmett', '');
  if (r.memory) out.push(`In-memory workload: ${r.memory.workload.description}.`);
  if (sqliteFull) out.push(`SQLite workload: ${sqliteFull.workload.description} (smaller, so that Emmett's SQLite runs fit the time budget).`);
  out.push(
    '',
    '| Store | Mode | Ours commands/s | Emmett commands/s | Ours / Emmett | Ours p50 / p95 / p99 ms | Emmett p50 / p95 / p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  const commandRows = (label: string, c: CommandsResult | undefined) => {
    if (!c) return;
    for (const [key, mode] of [
      ['sequential', 'sequential'],
      ['inFlight32', '32 in flight'],
    ] as const) {
      const ours = c.ours[key];
      const emmett = c.emmett[key];
      const single = emmett?.singleAttempt ? ' (one attempt)' : '';
      const emmettFailed = emmett !== undefined && emmett.failures > 0;
      out.push(
        `| ${label} | ${mode} | ${rate(ours?.commandsPerSecond)}${failures(ours)} | ${rate(emmett?.commandsPerSecond)}${single}${failures(emmett)} | ${emmettFailed ? 'n/a: Emmett fails' : ratio(ours?.commandsPerSecond.median, emmett?.commandsPerSecond.median)} | ${lat(ours)} | ${lat(emmett)} |`,
      );
    }
  };
  commandRows('in-memory', r.memory);
  commandRows('SQLite, full durability (synchronous=FULL)', sqliteFull);
  commandRows('SQLite, faster setting (synchronous=NORMAL)', sqliteNormal);
  out.push(
    '',
    '**What each side does per command.** *Ours* (`createCommandBus`): zod-validates the envelope, routes it to its stream, takes the per-stream in-process lock, loads the state from its stream cache (reading only events after the cached revision, each zod-validated on the way in), checks the command id for idempotency, runs the pure `decide`, appends with the expected revision (deterministic v5 event ids, full metadata), retries on conflict, and folds the appended events into the cache. *Emmett* (`CommandHandler` from @event-driven-io/emmett): the same zod envelope validation (our `validateEnvelope`, same schema), then Emmett reads and folds the **whole** stream with our `evolve`, runs our same pure `decide` (so the rules are identical: first add → RolloutSegmentCreated + DefaultAllocationsZeroed, later → RolloutTuned, unchanged → nothing), and appends with the expected stream version, retrying on version conflicts; every event carries the same metadata as ours. Emmett does not validate events on read, does not detect duplicate commands and assigns random event ids.',
    '',
    "**Emmett's SQLite store** (`getSQLiteEventStore`) opens a node-sqlite3 connection for every read and append and sets only `journal_mode = WAL`, so it runs at SQLite's default `synchronous = FULL`. For the faster setting the benchmark adds `PRAGMA synchronous = NORMAL` to that same statement (nothing else is changed). With commands in flight, one Emmett SQLite store object fails: concurrent operations share one connection that each closes after use (`SQLITE_MISUSE: Database is closed`), and separate store objects get `SQLITE_BUSY`; so its in-flight figure is a single attempt with its failure count, not a median.",
    '',
  );

  // ---- 2. storage limit ----
  out.push('## 2. The storage limit: raw better-sqlite3', '');
  out.push(
    'The same rows our handler wrote (captured from its warm-up run: same table, indexes and JSON), written by better-sqlite3 with nothing else (no reads, checks or decisions), with the same journal mode and synchronous setting. "One transaction per command" is the one-fsync-per-command limit; "32 commands per transaction" is what grouping can reach at best.',
    '',
    '| Durability | Raw, 1 transaction per command | Raw, 32 commands per transaction | Ours sequential | Ours / raw (1 per txn) | Ours 32 in flight | Ours 32 in flight / raw (1 per txn) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const c of [sqliteFull, sqliteNormal]) {
    if (!c?.raw) continue;
    const one = c.raw.oneTransactionPerCommand;
    const grouped = c.raw.commandsPerTransaction32;
    out.push(
      `| ${c.durability} | ${rate(one?.commandsPerSecond)} | ${rate(grouped?.commandsPerSecond)} | ${rate(c.ours.sequential?.commandsPerSecond)} | ${ratio(c.ours.sequential?.commandsPerSecond.median, one?.commandsPerSecond.median)} | ${rate(c.ours.inFlight32?.commandsPerSecond)} | ${ratio(c.ours.inFlight32?.commandsPerSecond.median, one?.commandsPerSecond.median)} |`,
    );
  }
  out.push('', 'Our SQLite store commits the appends that arrive in the same event-loop turn in one IMMEDIATE transaction, each in its own savepoint (so one failing expected-revision check rolls back alone), and resolves no append before COMMIT returns: durability and the concurrency checks are the same as one transaction per append.', '');

  // ---- 3. history ----
  out.push('## 3. Cost as history grows', '');
  if (r.history) {
    out.push(
      `One feature whose stream already holds N events (registration, experiment, first add, then tunings, all made by our decider), then timed tunings of that feature, one at a time. "Cold" is the first command after opening (a fresh bus or handler: nothing cached); p50 / p99 cover the following commands. SQLite at ${r.history.durability} durability. Median of ${r.history.runs} runs after a warm-up.`,
      '',
      '| System | Events in stream | Commands timed | Cold first command ms | p50 ms | p95 ms | p99 ms | p99 / p99 at 10 |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    const names: Record<string, string> = { 'ours/memory': 'ours, in-memory', 'ours/sqlite': 'ours, SQLite', 'emmett/memory': 'Emmett, in-memory', 'emmett/sqlite': 'Emmett, SQLite' };
    for (const [series, points] of Object.entries(r.history.series)) {
      const base = points[0]!.p99.median;
      for (const p of points as HistoryPoint[]) {
        out.push(`| ${names[series] ?? series} | ${int(p.historyEvents)} | ${p.commands} | ${msRange(p.cold)} | ${ms(p.p50.median)} | ${ms(p.p95.median)} | ${msRange(p.p99)} | ${ratio(p.p99.median, base)} |`);
      }
    }
    out.push(
      '',
      'Our bus keeps each stream folded in memory and reads only the events after its cached revision (the append\'s expected-revision check catches anything another process wrote), so the steady-state latency does not grow with history; Emmett reads and folds the whole stream for every command. Emmett SQLite at 10,000 events takes about half a second per command, so it is timed over fewer commands (its p99 is then close to its max).',
      '',
    );
  } else out.push('Not run.', '');

  // ---- 4. rebuild ----
  out.push('## 4. Rebuild of the feature-state projection', '');
  if (r.rebuild) {
    const g = r.rebuild.generated;
    out.push(
      `A SQLite store of ${int(g.events)} events (${int(g.fileBytes / 1e6)} MB: ${int(g.features)} features × ${int(g.eventsPerFeature)} events, plus the environment — registration, experiment, first add, tunings — as our decider writes them, feature-interleaved), generated by direct inserts in ${(g.ms / 1000).toFixed(0)} s. *Raw limit*: one better-sqlite3 scan of every row in position order with its data and metadata JSON parsed. *Ours*: \`openRollout({ store: 'sqlite:…' }).projections.rebuild()\`, exactly what \`rollout rebuild\` runs. Each pass runs in its own process; peak memory is that process's maxRSS (Node and all modules included). A raw scan first warms the page cache; then raw and rebuild alternate, ${r.rebuild.runs} runs each.`,
      '',
      'The issue\'s reference machine scanned about 400,000 rows/s; rows here are about 1.1 KB each (a RolloutTuned with its previous snapshot and full metadata) and the CPUs were shared, so the raw rate is lower; the ratio is what counts.',
      '',
      '| Pass | Events/s | Seconds | Peak RSS MB | RSS before the pass MB | vs raw |',
      '| --- | --- | --- | --- | --- | --- |',
      `| raw scan + JSON.parse | ${rate(r.rebuild.raw.eventsPerSecond)} | ${msRange(r.rebuild.raw.seconds)} | ${msRange(r.rebuild.raw.peakRssMb)} | ${ms(r.rebuild.raw.rssBeforeMb.median)} | 100% |`,
      `| ours: projections.rebuild() | ${rate(r.rebuild.ours.eventsPerSecond)} | ${msRange(r.rebuild.ours.seconds)} | ${msRange(r.rebuild.ours.peakRssMb)} | ${ms(r.rebuild.ours.rssBeforeMb.median)} | ${rebuildRatio === undefined ? 'n/a' : `${(rebuildRatio * 100).toFixed(0)}%`} |`,
      '',
    );
  } else out.push('Not run.', '');

  // ---- 5. EventStoreDB ----
  out.push('## 5. EventStoreDB', '');
  if (!r.esdb) out.push('Not run.', '');
  else if ('skipped' in r.esdb) out.push(`Not measured in this run: ${r.esdb.skipped}. Set \`ESDB_CONNECTION_STRING\` (e.g. \`esdb://localhost:2113?tls=false\`) and run \`npm run bench\` to add it: the SQLite workload through our bus on EventStoreDB, sequential and 32 in flight (Emmett's EventStoreDB package is not installed in bench/peers, so ours only).`, '');
  else {
    out.push(`Workload: ${r.esdb.workload.description}; median of ${r.esdb.runs} runs.`, '', '| Mode | Ours commands/s | p50 / p95 / p99 ms |', '| --- | --- | --- |');
    for (const [key, s] of Object.entries(r.esdb.ours)) out.push(`| ${key} | ${rate(s.commandsPerSecond)}${failures(s)} | ${lat(s)} |`);
    out.push('');
  }

  out.push(
    '## How to run',
    '',
    '```sh',
    'npm run bench                       # everything; about 10 minutes on 2 cores',
    'npm run bench -- --only=memory,sqlite   # a subset: memory, sqlite, history, rebuild, esdb',
    'npm run bench -- --quick            # smoke test with tiny sizes; prints the table, leaves BENCHMARKS.md alone',
    'ESDB_CONNECTION_STRING=esdb://localhost:2113?tls=false npm run bench   # adds EventStoreDB',
    '```',
    '',
    'On first use the run installs Emmett into bench/peers (`npm ci --legacy-peer-deps`; sqlite3 may compile). Scratch SQLite files go to the OS temp directory and are deleted afterwards. The benchmark is not part of `npm test`.',
    '',
  );
  return out.join('\n');
};
