import type { CommandBus, CommandBusOptions } from '../application/commandBus.ts';
import type { EventStore } from '../eventStore/eventStore.ts';
import type { ReadSide } from '../queries/readSide.ts';

export type ProjectionStatus = {
  name: string;
  /** Last applied global position (decimal string), null before the first event. */
  checkpoint: string | null;
  head: string | null;
  /** Events in the store not yet applied. */
  lag: number;
  /** Set when the projection stopped on an event it cannot apply. */
  error?: string;
};

export type RebuildProgress = { done: number; total: number };

export interface Projections {
  /** Applies everything up to the store's current head, then returns. */
  catchUp(): Promise<void>;
  /** Catches up, then keeps following new events until close(). */
  follow(): Promise<void>;
  /** Resolves true once every projection has applied `position`, false after timeoutMs. */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean>;
  status(): Promise<ProjectionStatus[]>;
  /** Rebuilds from position 0 into a fresh copy and switches readers atomically; resumable. */
  rebuild(options?: { projection?: string; onProgress?: (progress: RebuildProgress) => void }): Promise<void>;
  readonly names: readonly string[];
}

/** Everything a process needs, wired from one store setting. */
export type Rollout = {
  store: EventStore;
  bus: CommandBus;
  readSide: ReadSide;
  projections: Projections;
  close(): Promise<void>;
};

export type OpenRolloutOptions = {
  /** Store setting (see openEventStore); defaults to ROLLOUT_STORE, else sqlite:./data/rollout.db. */
  store?: string;
  bus?: Omit<CommandBusOptions, 'store'>;
};
