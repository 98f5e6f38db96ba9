import type { RecordedEvent } from '../../src/eventStore/eventStore.ts';
import type { ReadEvents } from './eventReader.ts';
import { EventNotApplicableError, type Projection, type ProjectionSession } from './projection.ts';
import type { Pointer, ReadModelStorage, Target } from './readModelStorage.ts';
import { commandStart, wholeCommands } from './wholeCommands.ts';

export type RunResult = { applied: number; checkpoint: bigint | null; error: string | null };

export type ProjectionWorker = {
  /** Applies batches until the store's head or an event it cannot apply. */
  runToHead(onBatch?: (applied: number, checkpoint: bigint | null) => void): Promise<RunResult>;
};

const describeStop = (projection: string, event: RecordedEvent, error: Error) =>
  `projection ${projection} stopped at position ${event.position} (type ${event.type}, stream ${event.streamId} revision ${event.revision}): ${error.message}`;

/** A poisoned command found in a batch: the batch is redone up to (not including) its first event. */
type Stop = { before: bigint; error: string };

/**
 * Follows the store's global order from the stored checkpoint of one target (live or
 * rebuild). Each batch is committed with its checkpoint in one storage transaction,
 * guarded by the pointer it started from, so two writers (two processes, or a
 * rebuild switching generations) never apply an event twice or skip one.
 *
 * A batch (batchSize events, fewer when the session holds maxPending changed
 * documents) is read in chunks of readSize, so a rebuild can commit rarely without
 * holding its events in memory; every chunk, and so every batch, ends on a command
 * boundary.
 */
export const createProjectionWorker = (options: {
  read: ReadEvents;
  storage: ReadModelStorage;
  projection: Projection;
  target: Target;
  batchSize?: number;
  readSize?: number;
  maxPending?: number;
}): ProjectionWorker => {
  const { read, storage, projection, target, batchSize = 2000, maxPending = 20_000 } = options;
  const readSize = Math.min(options.readSize ?? 1000, batchSize);
  let session: ProjectionSession | undefined;
  let known: { generation: number; checkpoint: bigint | null } | undefined;

  const openSession = (pointer: Pointer) => projection.open((kind, key) => storage.get(projection.name, pointer.generation, kind, key));

  /** Applies whole commands after the pointer until the batch is full, the head, a poisoned event or `stop`. */
  const fillBatch = async (current: ProjectionSession, pointer: Pointer, stop: Stop | undefined) => {
    let cursor = pointer.checkpoint;
    let applied = 0;
    for (;;) {
      const want = Math.min(readSize, batchSize - applied);
      const chunk = await read(cursor, want);
      let events = wholeCommands(chunk, want);
      let stopped = false;
      if (stop) {
        const end = events.findIndex((e) => e.position >= stop.before);
        if (end >= 0) [events, stopped] = [events.slice(0, end), true];
      }
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        try {
          current.apply(event);
        } catch (failure) {
          if (!(failure instanceof EventNotApplicableError)) throw failure;
          const error = describeStop(projection.name, event, failure);
          const start = commandStart(events, i);
          // Never commit the part of the poisoned event's command that came before it.
          if (start < i) return { redo: { before: events[start]!.position, error } };
          return { applied: applied + i, checkpoint: i > 0 ? events[i - 1]!.position : cursor, error, reachedHead: false };
        }
      }
      applied += events.length;
      if (events.length > 0) cursor = events[events.length - 1]!.position;
      if (stopped) return { applied, checkpoint: cursor, error: stop!.error, reachedHead: false };
      const reachedHead = chunk.length < want;
      if (reachedHead || applied >= batchSize || current.pending() >= maxPending) return { applied, checkpoint: cursor, error: null, reachedHead };
    }
  };

  return {
    async runToHead(onBatch) {
      let total = 0;
      let stop: Stop | undefined;
      for (;;) {
        const pointer = storage.pointer(projection.name, target);
        if (!pointer) return { applied: total, checkpoint: null, error: null };
        if (!session || !known || known.generation !== pointer.generation || known.checkpoint !== pointer.checkpoint) session = openSession(pointer);
        const current = session;
        let outcome;
        try {
          outcome = await fillBatch(current, pointer, stop);
        } catch (failure) {
          session = undefined;
          const now = storage.pointer(projection.name, target);
          if (now && (now.generation !== pointer.generation || now.checkpoint !== pointer.checkpoint)) continue;
          throw failure;
        }
        if ('redo' in outcome) {
          session = undefined;
          stop = outcome.redo;
          continue;
        }
        stop = undefined;
        const { applied, checkpoint, error } = outcome;
        if (applied === 0 && error === null) return { applied: total, checkpoint: pointer.checkpoint, error: pointer.error };
        let committed;
        try {
          committed = storage.commit({
            projection: projection.name,
            target,
            expected: { generation: pointer.generation, checkpoint: pointer.checkpoint },
            writes: current.drain(),
            checkpoint,
            error,
          });
        } catch (failure) {
          // The session holds events the storage does not: never reuse it.
          session = undefined;
          throw failure;
        }
        if (!committed) {
          session = undefined;
          continue;
        }
        known = { generation: pointer.generation, checkpoint };
        total += applied;
        onBatch?.(applied, checkpoint);
        if (error !== null) return { applied: total, checkpoint, error };
        if (outcome.reachedHead) return { applied: total, checkpoint, error: null };
      }
    },
  };
};
