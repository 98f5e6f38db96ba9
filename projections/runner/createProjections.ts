import { RolloutError } from '../../src/application/errors.ts';
import type { ProjectionStatus, Projections, RebuildProgress } from '../../src/app/rollout.ts';
import type { EventStore } from '../../src/eventStore/eventStore.ts';
import { createEventReader } from './eventReader.ts';
import { createProgressBar } from './progressBar.ts';
import type { Projection } from './projection.ts';
import { createProjectionWorker, type ProjectionWorker } from './projectionWorker.ts';
import type { ReadModelStorage } from './readModelStorage.ts';

export type ProjectionsOptions = {
  store: EventStore;
  storage: ReadModelStorage;
  projections: readonly Projection[];
  batchSize?: number;
  /**
   * Events per rebuild transaction (default 100,000): a rebuild writes each touched
   * document once per transaction, and nobody waits on its freshness. A transaction
   * also ends early once 50,000 changed documents are pending, so memory stays bounded.
   */
  rebuildBatchSize?: number;
  /** Followers also poll: another process may append to a SQLite file without notifying us. */
  pollIntervalMs?: number;
};

export type ManagedProjections = Projections & { close(): Promise<void> };

/** An event a projection cannot apply stopped it; the message names the event's position and type. */
export class ProjectionStoppedError extends RolloutError {
  constructor(readonly errors: readonly string[]) {
    super('internal', errors.join('; '));
  }
}


export const createProjections = (options: ProjectionsOptions): ManagedProjections => {
  const { store, storage, projections, batchSize = 2000, rebuildBatchSize = Math.max(batchSize, 100_000), pollIntervalMs = 500 } = options;
  const read = createEventReader(store);
  const live = new Map<string, ProjectionWorker>(
    projections.map((projection) => [projection.name, createProjectionWorker({ read, storage, projection, target: 'live', batchSize })]),
  );
  const changed = new Set<() => void>();
  const notifyChanged = () => {
    for (const wake of [...changed]) wake();
  };

  // One live catch-up at a time per process; callers queue behind it.
  let running: Promise<string[]> = Promise.resolve([]);
  const runLive = (): Promise<string[]> => {
    const next = running.then(
      async () => {
        const errors: string[] = [];
        for (const worker of live.values()) {
          const result = await worker.runToHead(notifyChanged);
          if (result.error !== null) errors.push(result.error);
        }
        return errors;
      },
      async () => [] as string[],
    );
    running = next.catch(() => []);
    return next;
  };

  const catchUp = async () => {
    const errors = await runLive();
    if (errors.length > 0) throw new ProjectionStoppedError(errors);
  };

  let following = false;
  let unwatch: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let followError: unknown;
  let pending = false;
  const trigger = () => {
    if (!following || pending) return;
    pending = true;
    void runLive()
      .then(
        () => {
          followError = undefined;
        },
        (error: unknown) => {
          followError = error;
        },
      )
      .finally(() => {
        pending = false;
      });
  };

  const checkpoints = () =>
    projections.map((p) => {
      const pointer = storage.pointer(p.name, 'live')!;
      return { name: p.name, ...pointer };
    });

  const rebuildOne = async (projection: Projection, onProgress?: (progress: RebuildProgress) => void) => {
    const worker = createProjectionWorker({ read, storage, projection, target: 'rebuild', batchSize: rebuildBatchSize, maxPending: 50_000 });
    const bar = createProgressBar(`rebuild ${projection.name}`);
    try {
      for (;;) {
        const start = storage.beginRebuild(projection.name);
        const remaining = await store.countAfter(start.checkpoint ?? undefined);
        let done = start.checkpoint === null ? 0 : (await store.countAfter()) - remaining;
        let total = done + remaining;
        const report = () => {
          const progress = { done, total: Math.max(total, done) };
          bar.update(progress);
          onProgress?.(progress);
        };
        report();
        const result = await worker.runToHead((applied) => {
          done += applied;
          report();
        });
        if (result.error !== null) throw new ProjectionStoppedError([result.error]);
        total = done;
        const outcome = storage.switchToRebuild(projection.name);
        if (outcome !== 'behind') return;
        // The live projection applied newer events meanwhile: catch up and switch again.
      }
    } finally {
      bar.stop();
      notifyChanged();
    }
  };

  return {
    names: projections.map((p) => p.name),
    catchUp,

    async follow() {
      if (following) return;
      await runLive();
      following = true;
      unwatch = store.watch(trigger);
      timer = setInterval(trigger, pollIntervalMs);
      timer.unref();
    },

    async waitForPosition(position, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const all = checkpoints();
        if (all.every((c) => c.checkpoint !== null && c.checkpoint >= position)) return true;
        // A stopped projection will not get there by waiting.
        if (all.some((c) => c.error !== null && (c.checkpoint ?? -1n) < position)) return false;
        if (performance.now() >= deadline) return false;
        await runLive();
        const again = checkpoints();
        if (again.every((c) => c.checkpoint !== null && c.checkpoint >= position)) return true;
        const remaining = deadline - performance.now();
        if (remaining <= 0) return false;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timeout);
            unwatchOnce();
            changed.delete(done);
            resolve();
          };
          const timeout = setTimeout(done, Math.min(remaining, 50));
          const unwatchOnce = store.watch(done);
          changed.add(done);
        });
      }
    },

    async status(): Promise<ProjectionStatus[]> {
      const head = await store.headPosition();
      return Promise.all(
        checkpoints().map(async (c) => ({
          name: c.name,
          checkpoint: c.checkpoint === null ? null : c.checkpoint.toString(),
          head: head === undefined ? null : head.toString(),
          lag: await store.countAfter(c.checkpoint ?? undefined, 100_000),
          ...(c.error === null ? (followError instanceof Error && !(followError instanceof ProjectionStoppedError) ? { error: followError.message } : {}) : { error: c.error }),
        })),
      );
    },

    async rebuild(rebuildOptions) {
      const selected = rebuildOptions?.projection === undefined ? projections : projections.filter((p) => p.name === rebuildOptions.projection);
      if (selected.length === 0) {
        throw new RolloutError('not_found', `unknown projection ${rebuildOptions?.projection}; known: ${projections.map((p) => p.name).join(', ')}`);
      }
      for (const projection of selected) await rebuildOne(projection, rebuildOptions?.onProgress);
    },

    async close() {
      following = false;
      unwatch?.();
      clearInterval(timer);
      await running;
    },
  };
};

