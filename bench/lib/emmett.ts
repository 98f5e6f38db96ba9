/**
 * The reference: Emmett's CommandHandler (npm @event-driven-io/emmett 0.38.5) with its
 * in-memory store and its SQLite store (@event-driven-io/emmett-sqlite 0.38.5, node
 * sqlite3), running the same decider as our bus. Emmett lives in bench/peers (its own
 * package, so its peer dependencies never touch ours) and is loaded by file path; the
 * few types used here are declared locally so the project type-checks without it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { v4 as uuidv4 } from 'uuid';
import { evolveAny, initialStateOf, isEnvironmentCommand, streamIdOf } from '../../src/application/aggregates.ts';
import { validateEnvelope } from '../../src/application/validateEnvelope.ts';
import { eventMetadataFor } from '../../src/application/commandBus.ts';
import type { CommandEnvelope } from '../../src/domain/commands.ts';
import { decideEnvironment, evolveEnvironment, type EnvironmentCommand } from '../../src/domain/environment/environmentDecider.ts';
import { initialEnvironmentState, type EnvironmentState } from '../../src/domain/environment/environmentState.ts';
import type { DomainEvent } from '../../src/domain/events.ts';
import { decide, type FeatureCommand, type FeatureState } from '../../src/domain/featureState/featureDecider.ts';
import { environmentStreamId } from '../../src/domain/streams.ts';
import type { Envelope } from './workload.ts';

export const PEERS_DIR = fileURLToPath(new URL('../peers/', import.meta.url));
const peerFile = (relative: string) => join(PEERS_DIR, 'node_modules', relative);

export const peersInstalled = (): boolean => existsSync(peerFile('@event-driven-io/emmett-sqlite/package.json'));

export const peerVersions = (): Record<string, string> => {
  const version = (name: string) => (JSON.parse(readFileSync(peerFile(`${name}/package.json`), 'utf8')) as { version: string }).version;
  return {
    '@event-driven-io/emmett': version('@event-driven-io/emmett'),
    '@event-driven-io/emmett-sqlite': version('@event-driven-io/emmett-sqlite'),
    sqlite3: version('sqlite3'),
  };
};

// ---- the slice of Emmett's API we use (see its dist/index.d.ts) ----
type EmmettEvent = { type: string; data: Record<string, unknown>; metadata?: Record<string, unknown> };
type EmmettStore = {
  appendToStream(streamName: string, events: EmmettEvent[]): Promise<unknown>;
  aggregateStream<S>(streamName: string, options: { evolve: (state: S, event: EmmettEvent) => S; initialState: () => S }): Promise<{ state: S }>;
};
type EmmettCommandHandler<S> = (store: EmmettStore, id: string, handle: (state: S) => EmmettEvent[]) => Promise<{ newEvents: EmmettEvent[] }>;
type EmmettModule = {
  CommandHandler: <S>(options: {
    evolve: (state: S, event: EmmettEvent) => S;
    initialState: () => S;
    retry?: { onVersionConflict: true | number };
  }) => EmmettCommandHandler<S>;
  getInMemoryEventStore: () => EmmettStore;
};
type EmmettSqliteModule = { getSQLiteEventStore: (options: { fileName: string }) => EmmettStore };
type Sqlite3Database = {
  run(sql: string, ...rest: unknown[]): unknown;
  exec(sql: string, callback?: (error: Error | null) => void): unknown;
  configure(option: 'busyTimeout', value: number): void;
};
type Sqlite3Module = { Database: { prototype: Sqlite3Database } };

let loaded: { emmett: EmmettModule; sqlite: EmmettSqliteModule } | undefined;

/**
 * Emmett's SQLite store opens a node-sqlite3 connection per operation and only sets
 * journal_mode = WAL, so it runs at SQLite's compiled default, synchronous = FULL.
 * For the "faster setting" we add `PRAGMA synchronous = NORMAL` to that same statement
 * (the only change); for full durability we state FULL explicitly (same as the default).
 */
let emmettSynchronous: 'FULL' | 'NORMAL' = 'FULL';
/** When set, also give each connection a busy timeout (ms), so concurrent writers wait instead of failing. */
let emmettBusyTimeoutMs: number | undefined;

const loadEmmett = async () => {
  if (loaded) return loaded;
  if (!peersInstalled()) throw new Error(`Emmett is not installed: run npm ci --legacy-peer-deps --prefix ${PEERS_DIR}`);
  const require = createRequire(join(PEERS_DIR, 'package.json'));
  const sqlite3 = require('sqlite3') as Sqlite3Module;
  const originalRun = sqlite3.Database.prototype.run;
  sqlite3.Database.prototype.run = function (this: Sqlite3Database, sql: string, ...rest: unknown[]) {
    if (sql === 'PRAGMA journal_mode = WAL;' && rest.length === 0) {
      if (emmettBusyTimeoutMs !== undefined) this.configure('busyTimeout', emmettBusyTimeoutMs);
      this.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${emmettSynchronous};`, (error) => {
        if (error) process.stderr.write(`emmett sqlite pragma failed: ${error.message}\n`);
      });
      return this;
    }
    return originalRun.call(this, sql, ...rest);
  };
  const emmett = (await import(pathToFileURL(peerFile('@event-driven-io/emmett/dist/index.js')).href)) as EmmettModule;
  const sqlite = (await import(pathToFileURL(peerFile('@event-driven-io/emmett-sqlite/dist/index.js')).href)) as EmmettSqliteModule;
  loaded = { emmett, sqlite };
  return loaded;
};

/**
 * `instances`: how many Emmett SQLite store objects to open on the file. One store object
 * shares one connection between concurrent operations and closes it after each one, so
 * concurrent commands on one object fail (SQLITE_MISUSE: Database is closed); with one
 * object per in-flight worker each operation has its own connection, as Emmett expects.
 */
export type EmmettStoreKind =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string; durability: 'full' | 'normal'; instances?: number; busyTimeoutMs?: number };

export type EmmettSide = {
  /** Validates, decides and appends one command; undefined when it appended events, else why not. */
  send(command: Envelope, worker?: number): Promise<string | undefined>;
  /** Appends already-decided events straight to a stream (history fill; no handler). */
  fill(streamId: string, events: readonly { type: string; data: unknown; metadata: unknown }[]): Promise<void>;
};

class Rejected extends Error {}

const toDomainEvent = (event: EmmettEvent) => ({ type: event.type, data: event.data }) as DomainEvent;

/**
 * The equivalent handler: the same zod envelope validation as our bus (validateEnvelope),
 * then Emmett's CommandHandler (read the whole stream, fold with our evolve, run our pure
 * decide, append with the expected stream version, retry on version conflicts), with the
 * same event metadata (time, actor, command, correlation and causation ids) on every event.
 * Not done here and done by our bus: event schema validation on read (upcast), duplicate
 * command detection (idempotency) and deterministic event ids.
 */
export const createEmmettSide = async (storeKind: EmmettStoreKind): Promise<EmmettSide> => {
  const { emmett, sqlite } = await loadEmmett();
  let stores: EmmettStore[];
  if (storeKind.kind === 'memory') stores = [emmett.getInMemoryEventStore()];
  else {
    emmettSynchronous = storeKind.durability === 'full' ? 'FULL' : 'NORMAL';
    emmettBusyTimeoutMs = storeKind.busyTimeoutMs;
    const path = storeKind.path;
    stores = Array.from({ length: storeKind.instances ?? 1 }, () => sqlite.getSQLiteEventStore({ fileName: path }));
  }

  const retry = { onVersionConflict: true } as const;
  const featureHandler = emmett.CommandHandler<FeatureState>({
    evolve: (state, event) => evolveAny(state, toDomainEvent(event)) as FeatureState,
    initialState: () => initialStateOf('featureState-') as FeatureState,
    retry,
  });
  const environmentHandler = emmett.CommandHandler<EnvironmentState>({
    evolve: (state, event) => evolveAny(state, toDomainEvent(event)) as EnvironmentState,
    initialState: initialEnvironmentState,
    retry,
  });

  const send = async (input: Envelope, worker = 0): Promise<string | undefined> => {
    const store = stores[worker % stores.length]!;
    let command: CommandEnvelope;
    try {
      command = validateEnvelope(input);
    } catch (error) {
      return `rejected: ${(error as Error).message}`;
    }
    const streamId = streamIdOf(command);
    const metadata = eventMetadataFor(command, new Date().toISOString());
    const toEmmett = (events: readonly DomainEvent[]): EmmettEvent[] => events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata }));
    try {
      let appended: EmmettEvent[];
      if (isEnvironmentCommand(command)) {
        const key = `ser.${uuidv4()}`;
        const context = { newKeyId: uuidv4(), newKeyHash: createHash('sha256').update(key).digest('hex') };
        ({ newEvents: appended } = await environmentHandler(store, streamId, (state) => {
          const decision = decideEnvironment(command as CommandEnvelope & EnvironmentCommand, state, context);
          if (!decision.ok) throw new Rejected(decision.rejection.message);
          return toEmmett(decision.events);
        }));
      } else {
        const environment =
          command.type === 'RegisterFeature'
            ? (await store.aggregateStream(environmentStreamId(command.data.environmentId), { evolve: (s: EnvironmentState, e) => evolveEnvironment(s, toDomainEvent(e) as never), initialState: initialEnvironmentState })).state
            : ({ registered: false } as EnvironmentState);
        const context = { environment, newHashingSeed: uuidv4(), newSegmentId: uuidv4() };
        ({ newEvents: appended } = await featureHandler(store, streamId, (state) => {
          const decision = decide(command as FeatureCommand, state, context);
          if (!decision.ok) throw new Rejected(decision.rejection.message);
          return toEmmett(decision.events);
        }));
      }
      return appended.length > 0 ? undefined : 'unchanged: no event appended';
    } catch (error) {
      return `${error instanceof Rejected ? 'rejected' : 'error'}: ${(error as Error)?.message ?? String(error)}`;
    }
  };

  const fill = async (streamId: string, events: readonly { type: string; data: unknown; metadata: unknown }[]) => {
    for (let i = 0; i < events.length; i += 1000) {
      await stores[0]!.appendToStream(
        streamId,
        events.slice(i, i + 1000).map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata as Record<string, unknown> })),
      );
    }
  };

  return { send, fill };
};

/** The untimed setup through Emmett's handler. */
export const setupEmmett = async (side: EmmettSide, features: number, concurrency = 1): Promise<void> => {
  const { runQueue } = await import('./stats.ts');
  const { setupEnvironment, setupFeature } = await import('./workload.ts');
  const env = await side.send(setupEnvironment());
  if (env) throw new Error(`Emmett setup failed: ${env}`);
  const run = await runQueue(features, concurrency, async (i) => {
    for (const command of setupFeature(i)) {
      const failure = await side.send(command);
      if (failure) return failure;
    }
    return undefined;
  });
  if (run.failures > 0) throw new Error(`Emmett setup failed: ${run.firstFailure}`);
};
