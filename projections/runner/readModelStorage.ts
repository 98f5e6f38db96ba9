/**
 * The read-model port. A projection's documents live in a "generation" (a fresh copy
 * per rebuild); `live` is the generation readers use, `rebuild` the one being built.
 * Every method is synchronous so a commit is one transaction with its checkpoint.
 */
export type Target = 'live' | 'rebuild';

export type Pointer = {
  generation: number;
  /** Last applied global position, null before the first event. */
  checkpoint: bigint | null;
  /** Set when the projection stopped on an event it cannot apply. */
  error: string | null;
};

/** One document write: kind (e.g. "feature"), key, canonical JSON. */
export type DocumentWrite = readonly [kind: string, key: string, doc: string];

export type Commit = {
  projection: string;
  target: Target;
  /** Optimistic check: the pointer this batch was computed against. */
  expected: { generation: number; checkpoint: bigint | null };
  /** Iterated once, inside the transaction (documents may be built as they are written). */
  writes: Iterable<DocumentWrite>;
  checkpoint: bigint | null;
  error: string | null;
};

export interface ReadModelStorage {
  readonly kind: 'memory' | 'sqlite';
  /** The live pointer, or the rebuild in progress (undefined when none). */
  pointer(projection: string, target: Target): Pointer | undefined;
  /** The rebuild in progress, or a new empty generation for one. */
  beginRebuild(projection: string): Pointer;
  get(projection: string, generation: number, kind: string, key: string): string | undefined;
  /** Documents of one kind whose key starts with prefix, in key order. */
  range(projection: string, generation: number, kind: string, prefix: string): string[];
  /** Writes documents and moves the checkpoint together; false when the pointer moved meanwhile. */
  commit(commit: Commit): boolean;
  /** Makes a finished rebuild live (only when it is not behind the live checkpoint) and drops the old copy. */
  switchToRebuild(projection: string): 'switched' | 'behind' | 'none';
  /** Runs reads against one consistent snapshot. */
  snapshot<T>(read: () => T): T;
  /** Every document of the live generation, in (kind, key) order; for comparisons. */
  dump(projection: string): DocumentWrite[];
  close(): void;
}

/** Upper bound for a prefix range: the prefix with its last character incremented. */
export const prefixEnd = (prefix: string): string =>
  prefix.length === 0 ? '\uffff' : prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
