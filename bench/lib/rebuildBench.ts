/**
 * Rebuild: a 1,000,000-event SQLite store (generated with direct inserts, the event JSON
 * being what our decider emits), the feature-state projection rebuilt through
 * openRollout().projections.rebuild(), next to the raw limit: scan every row and parse
 * its JSON. Each measurement runs in its own process so its peak RSS is its own.
 */
import Database from 'better-sqlite3';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.ts';
import { featureStreamId } from '../../src/domain/streams.ts';
import { oursBus, sendExpectingAccepted } from './ours.ts';
import { checkpoint } from './sqliteFiles.ts';
import { log } from './stats.ts';
import { BENCH_ENV, featureIdOf, firstAdd, setupEnvironment, setupFeature, tuning } from './workload.ts';

export type GenerateOptions = { path: string; features: number; eventsPerFeature: number };
export type GenerateResult = { path: string; events: number; features: number; eventsPerFeature: number; fileBytes: number; ms: number };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * One feature's history (registration, experiment, first add, tunings) made by our bus,
 * then copied for every feature with its ids (feature, experiment, UUIDs) rewritten, and
 * written feature-interleaved (event j of every feature, then event j + 1) in big
 * transactions with synchronous = OFF: generation is not what is measured.
 */
export const generateRebuildStore = async (options: GenerateOptions): Promise<GenerateResult> => {
  const started = performance.now();
  const { path, features, eventsPerFeature } = options;
  const memory = createInMemoryEventStore();
  const bus = oursBus(memory);
  const template = [setupEnvironment(), ...setupFeature(0), firstAdd(0)];
  for (let k = 1; k <= eventsPerFeature - 4; k++) template.push(tuning(0, k));
  for (const command of template) {
    const failure = await sendExpectingAccepted(bus, command);
    if (failure) throw new Error(`template failed: ${failure}`);
  }
  const environmentEvents = await memory.readStream(`environment-${BENCH_ENV}`);
  const featureEvents = await memory.readStream(featureStreamId(BENCH_ENV, featureIdOf(0)));
  if (featureEvents.length !== eventsPerFeature) throw new Error(`template has ${featureEvents.length} events`);
  const rows = featureEvents.map((e) => ({ type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata), eventId: e.eventId }));

  const schema = createSqliteEventStore({ path, durability: 'normal' });
  await schema.close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata) VALUES (?, ?, ?, ?, 1, ?, ?)');
  for (const e of environmentEvents) insert.run(e.streamId, e.revision, e.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));

  const template0 = featureIdOf(0);
  const rewrite = (text: string, i: number, suffix: string) =>
    text.replaceAll(template0, featureIdOf(i)).replace(UUID, (uuid) => `${uuid.slice(0, 24)}${suffix}`);
  const perTransaction = 50_000;
  let written = environmentEvents.length;
  const writeBatch = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const j = Math.floor(n / features);
      const i = n % features;
      const row = rows[j]!;
      const suffix = i.toString(16).padStart(12, '0');
      insert.run(featureStreamId(BENCH_ENV, featureIdOf(i)), j, rewrite(row.eventId, i, suffix), row.type, rewrite(row.data, i, suffix), rewrite(row.metadata, i, suffix));
    }
  });
  const total = features * eventsPerFeature;
  for (let n = 0; n < total; n += perTransaction) {
    writeBatch(n, Math.min(total, n + perTransaction));
    written += Math.min(total, n + perTransaction) - n;
    if (n % 250_000 === 0) log(`rebuild store: ${written} events written`);
  }
  db.close();
  checkpoint(path);
  const { statSync } = await import('node:fs');
  const result = { path, events: written, features, eventsPerFeature, fileBytes: statSync(path).size, ms: performance.now() - started };
  log(`rebuild store: ${written} events, ${(result.fileBytes / 1e6).toFixed(0)} MB, generated in ${(result.ms / 1000).toFixed(1)} s`);
  return result;
};

export type MeasuredPass = { events: number; ms: number; eventsPerSecond: number; peakRssMb: number; rssBeforeMb: number };

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** The raw limit: every row, in position order, with its data and metadata JSON parsed. */
export const rawScan = async (path: string): Promise<MeasuredPass> => {
  const db = new Database(path, { readonly: true });
  const rssBeforeMb = rssMb();
  const started = performance.now();
  let events = 0;
  let checksum = 0;
  for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate() as Iterable<{ data: string; metadata: string }>) {
    const data = JSON.parse(row.data) as object;
    const metadata = JSON.parse(row.metadata) as object;
    if (data && metadata) checksum++;
    events++;
  }
  const ms = performance.now() - started;
  db.close();
  if (checksum !== events) throw new Error('scan parsed fewer rows than it read');
  return { events, ms, eventsPerSecond: (events / ms) * 1000, peakRssMb: peakRssMb(), rssBeforeMb };
};

/** Our rebuild of the feature-state projection, exactly as `rollout rebuild` runs it. */
export const oursRebuild = async (path: string): Promise<MeasuredPass> => {
  const { openRollout } = await import('../../src/app/openRollout.ts');
  const rollout = await openRollout({ store: `sqlite:${path}` });
  try {
    const db = new Database(path, { readonly: true });
    const { n } = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    db.close();
    const rssBeforeMb = rssMb();
    const started = performance.now();
    await rollout.projections.rebuild();
    const ms = performance.now() - started;
    const status = await rollout.projections.status();
    const failed = status.find((s) => s.error !== undefined || s.lag !== 0);
    if (failed) throw new Error(`rebuild did not finish cleanly: ${JSON.stringify(failed)}`);
    return { events: n, ms, eventsPerSecond: (n / ms) * 1000, peakRssMb: peakRssMb(), rssBeforeMb };
  } finally {
    await rollout.close();
  }
};
