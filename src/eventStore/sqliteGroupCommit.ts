import type Database from 'better-sqlite3';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
type Job<T> = { run: () => T; resolve: (value: T) => void; reject: (error: unknown) => void };

export type GroupCommit<T> = {
  /** Runs `run` in its own savepoint inside the next shared transaction; settles after COMMIT. */
  submit(run: () => T): Promise<T>;
  /** Commits whatever is queued now (used before closing the database). */
  flush(): void;
};

/**
 * Group commit: every append submitted during one turn of the event loop is committed
 * by one IMMEDIATE transaction, so N concurrent appends cost one fsync instead of N.
 * Each append runs in its own savepoint (better-sqlite3 turns a nested transaction
 * into one), so an append that fails its own expected-revision check is rolled back
 * alone and the others still commit. No promise settles before COMMIT has returned,
 * so an acknowledged append is exactly as durable as without grouping.
 */
export const createGroupCommit = <T>(db: Database.Database, onCommitted: (values: readonly T[]) => void): GroupCommit<T> => {
  let queue: Job<T>[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  // Built once: better-sqlite3 turns the nested call into a savepoint.
  const inSavepoint = db.transaction((job: Job<T>) => job.run());
  const commitBatch = db.transaction((batch: Job<T>[], outcomes: Outcome<T>[]) => {
    for (const job of batch) {
      try {
        outcomes.push({ ok: true, value: inSavepoint(job) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
  });

  const flush = () => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;

    const outcomes: Outcome<T>[] = [];
    try {
      commitBatch.immediate(batch, outcomes);
    } catch (error) {
      // BEGIN or COMMIT failed: nothing of this batch is stored.
      for (const job of batch) job.reject(error);
      return;
    }
    const committed: T[] = [];
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) {
        committed.push(outcome.value);
        job.resolve(outcome.value);
      } else job.reject(outcome.error);
    });
    onCommitted(committed);
  };

  return {
    submit(run) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run, resolve, reject });
        scheduled ??= setImmediate(flush);
      });
    },
    flush,
  };
};
