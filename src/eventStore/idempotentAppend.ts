import { ConcurrencyError, EventIdInUseError } from '../application/errors.ts';
import type { AppendResult, NewEvent, RecordedEvent } from './eventStore.ts';

/**
 * EventStoreDB's idempotence rule, shared by our adapters: when every event id of an
 * append is already stored in that stream, in order, right after expectedRevision,
 * the append is a replay and succeeds without writing. When only some ids are stored,
 * or elsewhere, the writer works from a stale view: the adapter reports a conflict.
 */
export type AppendClassification =
  | { kind: 'replay'; result: AppendResult }
  | { kind: 'clash'; elsewhere?: { eventId: string; streamId: string } }
  | { kind: 'new' };

export const classifyAppend = (
  events: readonly NewEvent[],
  lookup: (eventId: string) => RecordedEvent | undefined,
  streamId: string,
  expectedRevision: bigint,
): AppendClassification => {
  const stored = events.map((e) => lookup(e.eventId));
  if (stored.every((s) => s === undefined)) return { kind: 'new' };
  const isReplay = stored.every((s, i) => s !== undefined && s.streamId === streamId && s.revision === expectedRevision + 1n + BigInt(i));
  if (!isReplay) {
    const other = stored.find((s) => s !== undefined && s.streamId !== streamId);
    return other ? { kind: 'clash', elsewhere: { eventId: other.eventId, streamId: other.streamId } } : { kind: 'clash' };
  }
  const last = stored[stored.length - 1]!;
  return { kind: 'replay', result: { nextRevision: last.revision, position: last.position, replayed: true } };
};

/** What an adapter throws for a clash: a stale view of this stream, or an id taken by another stream. */
export const clashError = (classified: Extract<AppendClassification, { kind: 'clash' }>, streamId: string, expected: bigint, current: bigint): Error =>
  classified.elsewhere
    ? new EventIdInUseError(classified.elsewhere.eventId, classified.elsewhere.streamId, streamId)
    : new ConcurrencyError(streamId, expected, current);
