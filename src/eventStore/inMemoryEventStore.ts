import { ConcurrencyError } from '../application/errors.ts';
import { type AppendResult, type EventStore, type NewEvent, type ReadAllOptions, type RecordedEvent } from './eventStore.ts';
import { classifyAppend, clashError } from './idempotentAppend.ts';

const DEFAULT_BATCH = 1000;

/** A process-local store for tests and benchmarks. Positions are 1, 2, 3... like SQLite's. */
export const createInMemoryEventStore = (): EventStore => {
  const all: RecordedEvent[] = [];
  const streams = new Map<string, RecordedEvent[]>();
  const byEventId = new Map<string, RecordedEvent>();
  const listeners = new Set<() => void>();

  const append = async (streamId: string, events: readonly NewEvent[], expectedRevision: bigint): Promise<AppendResult> => {
    const stream = streams.get(streamId) ?? [];
    const current = BigInt(stream.length) - 1n;
    const classified = classifyAppend(events, (id) => byEventId.get(id), streamId, expectedRevision);
    if (classified.kind === 'replay') return classified.result;
    if (classified.kind === 'clash') throw clashError(classified, streamId, expectedRevision, current);
    if (current !== expectedRevision) throw new ConcurrencyError(streamId, expectedRevision, current);
    if (events.length === 0) return { nextRevision: current, position: BigInt(all.length) };
    // A JSON round trip, as a real store does: same isolation, same data semantics
    // (undefined dropped, Dates as strings, a bigint refused), and every copy is made
    // before anything is stored, so a failure leaves nothing half-appended.
    const copies = events.map((event) => JSON.parse(JSON.stringify(event)) as NewEvent);
    for (const copy of copies) {
      const recorded: RecordedEvent = { ...copy, streamId, revision: BigInt(stream.length), position: BigInt(all.length + 1) };
      stream.push(recorded);
      all.push(recorded);
      byEventId.set(recorded.eventId, recorded);
    }
    streams.set(streamId, stream);
    for (const listener of listeners) listener();
    return { nextRevision: BigInt(stream.length) - 1n, position: BigInt(all.length) };
  };

  return {
    description: 'memory:',
    append,
    async readStream(streamId, options) {
      const from = Number(options?.fromRevision ?? 0n);
      return (streams.get(streamId) ?? []).slice(from);
    },
    async readAll(options?: ReadAllOptions) {
      const from = Number(options?.after ?? 0n);
      return all.slice(from, from + (options?.maxCount ?? DEFAULT_BATCH));
    },
    async countAfter(after) {
      // Positions are dense: 1, 2, 3...
      return Math.max(0, all.length - Number(after ?? 0n));
    },
    async headPosition() {
      return all.length === 0 ? undefined : BigInt(all.length);
    },
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
};
