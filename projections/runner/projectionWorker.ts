import type { EventStore, RecordedEvent } from '../../src/eventStore/eventStore.ts';
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

/**
 * Follows the store's global order from the stored checkpoint of one target (live or
 * rebuild). Each batch is committed with its checkpoint in one storage transaction,
 * guarded by the pointer it started from, so two writers (two processes, or a
 * rebuild switching generations) never apply an event twice or skip one.
 */
export const createProjectionWorker = (options: {
  store: EventStore;
  storage: ReadModelStorage;
  projection: Projection;
  target: Target;
  batchSize?: number;
}): ProjectionWorker => {
  const { store, storage, projection, target, batchSize = 2000 } = options;
  let session: ProjectionSession | undefined;
  let known: { generation: number; checkpoint: bigint | null } | undefined;

  const openSession = (pointer: Pointer) => projection.open((kind, key) => storage.get(projection.name, pointer.generation, kind, key));

  return {
    async runToHead(onBatch) {
      let total = 0;
      for (;;) {
        const pointer = storage.pointer(projection.name, target);
        if (!pointer) return { applied: total, checkpoint: null, error: null };
        if (!session || !known || known.generation !== pointer.generation || known.checkpoint !== pointer.checkpoint) session = openSession(pointer);
        const read = await store.readAll({ ...(pointer.checkpoint === null ? {} : { after: pointer.checkpoint }), maxCount: batchSize });
        if (read.length === 0) return { applied: total, checkpoint: pointer.checkpoint, error: pointer.error };
        const batch = wholeCommands(read, batchSize);

        let applied = 0;
        let error: string | null = null;
        try {
          for (const event of batch) {
            session.apply(event);
            applied++;
          }
        } catch (failure) {
          if (!(failure instanceof EventNotApplicableError)) {
            session = undefined;
            const now = storage.pointer(projection.name, target);
            if (now && (now.generation !== pointer.generation || now.checkpoint !== pointer.checkpoint)) continue;
            throw failure;
          }
          error = describeStop(projection.name, batch[applied]!, failure);
          // Never commit the part of the poisoned event's command that came before it.
          const start = commandStart(batch, applied);
          if (start < applied) {
            session = openSession(pointer);
            for (const event of batch.slice(0, start)) session.apply(event);
            applied = start;
          }
        }

        const checkpoint = applied > 0 ? batch[applied - 1]!.position : pointer.checkpoint;
        const committed = storage.commit({
          projection: projection.name,
          target,
          expected: { generation: pointer.generation, checkpoint: pointer.checkpoint },
          writes: session.drain(),
          checkpoint,
          error,
        });
        if (!committed) {
          session = undefined;
          continue;
        }
        known = { generation: pointer.generation, checkpoint };
        total += applied;
        onBatch?.(applied, checkpoint);
        if (error !== null) return { applied: total, checkpoint, error };
      }
    },
  };
};
