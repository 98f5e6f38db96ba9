import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConcurrencyError } from '../../src/application/errors.ts';
import { NO_STREAM, type EventStore, type NewEvent, type RecordedEvent } from '../../src/eventStore/eventStore.ts';

export type ConformanceTarget = {
  /** Opens a store for one test; the suite closes it. */
  open: () => Promise<EventStore>;
  /** False for a shared server (EventStoreDB), where other events may already exist. */
  startsEmpty: boolean;
  /**
   * SQLite and in-memory index every event id, so re-appending a stored id anywhere but
   * its own place is a conflict. EventStoreDB compares ids only right after the
   * expected revision (its own idempotence rule), so it cannot.
   */
  indexesEventIds: boolean;
  /** Time limit for the slow tests (10,000 events) on this store. */
  slowTestTimeoutMs?: number;
};

const metadataFor = (commandId: string): NewEvent['metadata'] => ({
  occurredAt: '2024-05-01T12:00:00.000Z',
  actor: { type: 'user', id: 'alice@example.com' },
  commandId,
  correlationId: commandId,
  causationId: commandId,
  $correlationId: commandId,
  $causationId: commandId,
});

export const newEvent = (type: string, data: unknown, schemaVersion = 1): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion,
  data,
  metadata: metadataFor(randomUUID()),
});

const numbered = (count: number, type = 'Counted'): NewEvent[] => Array.from({ length: count }, (_, n) => newEvent(type, { n }));

/** What a user compares: everything they wrote, plus where it landed. */
const written = (event: RecordedEvent) => ({
  eventId: event.eventId,
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: event.metadata,
});
const asWritten = (event: NewEvent) => ({ ...event });

const expectConflict = async (promise: Promise<unknown>, expected: bigint, actual: bigint) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConcurrencyError);
  expect(error).toMatchObject({ code: 'conflict', expectedRevision: expected, actualRevision: actual });
};

/** Every event after `from` that belongs to one of `streams`, paging with maxCount. */
const readAllOf = async (store: EventStore, streams: readonly string[], from: bigint | undefined, maxCount = 1000) => {
  const events: RecordedEvent[] = [];
  let after = from;
  for (;;) {
    const batch = await store.readAll(after === undefined ? { maxCount } : { after, maxCount });
    if (batch.length === 0) return events;
    events.push(...batch.filter((e) => streams.includes(e.streamId)));
    after = batch[batch.length - 1]!.position;
  }
};

const isStrictlyIncreasing = (values: readonly bigint[]) => values.every((v, i) => i === 0 || v > values[i - 1]!);

export const describeEventStoreConformance = (name: string, target: ConformanceTarget) => {
  describe(`event store conformance: ${name}`, () => {
    let store: EventStore;
    let before: bigint | undefined;
    const stream = (label: string) => `conformance${label}-${randomUUID()}`;

    beforeEach(async () => {
      store = await target.open();
      before = await store.headPosition();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('append and read', () => {
      it('reads back what was appended, field for field, with revisions from 0', async () => {
        const streamId = stream('RoundTrip');
        const events = [newEvent('Registered', { name: 'F', options: ['A', 'B'] }, 2), newEvent('Tuned', { percentage: 42.5, enabled: false })];

        const result = await store.append(streamId, events, NO_STREAM);
        const read = await store.readStream(streamId);

        expect(result.nextRevision).toBe(1n);
        expect(read.map(written)).toEqual(events.map(asWritten));
        expect(read.map((e) => e.streamId)).toEqual([streamId, streamId]);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(read[1]!.position).toBe(result.position);
        expect(isStrictlyIncreasing(read.map((e) => e.position))).toBe(true);
        expect(typeof read[0]!.position).toBe('bigint');
      });

      it('gives the same positions through readStream and readAll', async () => {
        const streamId = stream('Positions');
        await store.append(streamId, numbered(3), NO_STREAM);

        const fromStream = await store.readStream(streamId);
        const fromAll = await readAllOf(store, [streamId], before);

        expect(fromAll.map((e) => [e.eventId, e.revision, e.position])).toEqual(fromStream.map((e) => [e.eventId, e.revision, e.position]));
        expect(fromAll.map(written)).toEqual(fromStream.map(written));
      });

      it('reads a stream from a revision and an unknown stream as empty', async () => {
        const streamId = stream('FromRevision');
        await store.append(streamId, numbered(5), NO_STREAM);

        const tail = await store.readStream(streamId, { fromRevision: 3n });

        expect(tail.map((e) => [e.revision, e.data])).toEqual([
          [3n, { n: 3 }],
          [4n, { n: 4 }],
        ]);
        expect(await store.readStream(stream('Unknown'))).toEqual([]);
      });

      it('keeps large events and unicode exactly', async () => {
        const streamId = stream('Unicode');
        const text = 'Grüße, 你好, привет, مرحبا, 🚀🏳️‍🌈, e\u0301, "quotes" \\ \n\t\u0000 \u2028';
        const large = 'x'.repeat(300_000) + text;
        const events = [
          newEvent('Unicode', { text, nested: { [text]: [text, 1.5, null, true] } }),
          newEvent('Large', { large, list: Array.from({ length: 2000 }, (_, i) => ({ i, label: `option-${i}-✓` })) }),
        ];
        events[0]!.metadata.actor.id = 'ユーザー@例え.jp';

        await store.append(streamId, events, NO_STREAM);
        const read = await store.readStream(streamId);

        expect(read.map(written)).toEqual(events.map(asWritten));
        expect((read[1]!.data as { large: string }).large).toHaveLength(large.length);
      });
    });

    describe('expected revision', () => {
      it('requires -1 (NO_STREAM) for a stream that does not exist yet', async () => {
        const streamId = stream('New');

        await expectConflict(store.append(streamId, numbered(1), 0n), 0n, NO_STREAM);
        expect(await store.readStream(streamId)).toEqual([]);
        await expect(store.append(streamId, numbered(1), NO_STREAM)).resolves.toMatchObject({ nextRevision: 0n });
      });

      it('rejects -1 on an existing stream and a stale or future revision', async () => {
        const streamId = stream('Existing');
        await store.append(streamId, numbered(2), NO_STREAM);

        await expectConflict(store.append(streamId, numbered(1), NO_STREAM), NO_STREAM, 1n);
        await expectConflict(store.append(streamId, numbered(1), 0n), 0n, 1n);
        await expectConflict(store.append(streamId, numbered(1), 5n), 5n, 1n);
        await expect(store.append(streamId, numbered(1), 1n)).resolves.toMatchObject({ nextRevision: 2n });
      });

      it('writes nothing of a conflicting multi-event append', async () => {
        const streamId = stream('NoPartial');
        const other = stream('NoPartialOther');
        await store.append(streamId, numbered(1), NO_STREAM);
        const head = await store.headPosition();

        await expectConflict(store.append(streamId, numbered(3), NO_STREAM), NO_STREAM, 0n);

        expect(await store.readStream(streamId)).toHaveLength(1);
        expect(await readAllOf(store, [streamId, other], head)).toEqual([]);
        if (target.startsEmpty) expect(await store.headPosition()).toBe(head);
      });

      it('lets exactly one of several concurrent writers with the same expected revision win', async () => {
        const streamId = stream('Race');
        const attempts = Array.from({ length: 8 }, (_, i) => store.append(streamId, [newEvent('Raced', { writer: i }), newEvent('Raced', { writer: i })], NO_STREAM));

        const outcomes = await Promise.allSettled(attempts);

        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers.every((o) => o.reason instanceof ConcurrencyError)).toBe(true);
        const stored = await store.readStream(streamId);
        expect(stored.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(new Set(stored.map((e) => (e.data as { writer: number }).writer)).size).toBe(1);
      });
    });

    describe('global order', () => {
      it('orders events of all streams by append, with strictly increasing positions', async () => {
        const a = stream('OrderA');
        const b = stream('OrderB');
        const c = stream('OrderC');
        const script: Array<[string, NewEvent[]]> = [
          [a, numbered(2, 'A')],
          [b, numbered(1, 'B')],
          [a, numbered(1, 'A')],
          [c, numbered(3, 'C')],
          [b, numbered(2, 'B')],
        ];
        const revisions = new Map<string, bigint>();
        let lastPosition = 0n;
        for (const [streamId, events] of script) {
          const result = await store.append(streamId, events, revisions.get(streamId) ?? NO_STREAM);
          revisions.set(streamId, result.nextRevision);
          lastPosition = result.position;
        }

        const all = await readAllOf(store, [a, b, c], before);

        expect(all.map((e) => e.eventId)).toEqual(script.flatMap(([, events]) => events.map((e) => e.eventId)));
        expect(isStrictlyIncreasing(all.map((e) => e.position))).toBe(true);
        expect(all[all.length - 1]!.position).toBe(lastPosition);
        if (target.startsEmpty) expect(await store.headPosition()).toBe(lastPosition);
      });

      it('reads from a position (exclusive) and in batches of maxCount without loss or repetition', async () => {
        const a = stream('FromA');
        const b = stream('FromB');
        await store.append(a, numbered(4, 'A'), NO_STREAM);
        await store.append(b, numbered(3, 'B'), NO_STREAM);
        await store.append(a, numbered(3, 'A'), 3n);
        const everything = await readAllOf(store, [a, b], before);
        const third = everything[2]!;

        const afterThird = await readAllOf(store, [a, b], third.position);
        const inPairs = await readAllOf(store, [a, b], before, 2);
        const oneAtATime = await readAllOf(store, [a, b], before, 1);

        expect(everything).toHaveLength(10);
        expect(afterThird.map((e) => e.eventId)).toEqual(everything.slice(3).map((e) => e.eventId));
        expect(inPairs.map((e) => e.eventId)).toEqual(everything.map((e) => e.eventId));
        expect(oneAtATime.map((e) => e.eventId)).toEqual(everything.map((e) => e.eventId));
      });

      it.runIf(target.startsEmpty)('reports an empty store and reads nothing after the head', async () => {
        expect(await store.headPosition()).toBeUndefined();
        expect(await store.readAll()).toEqual([]);
        const { position } = await store.append(stream('Head'), numbered(2), NO_STREAM);
        expect(await store.headPosition()).toBe(position);
        expect(await store.readAll({ after: position })).toEqual([]);
        expect(await store.readAll({ maxCount: 1 })).toHaveLength(1);
      });
    });

    describe('counting', () => {
      it('counts the events after a position, and all of them without one', async () => {
        const streamId = stream('Count');
        const all = await store.countAfter();
        const { position } = await store.append(streamId, numbered(3), NO_STREAM);
        const [first, second] = await store.readStream(streamId);
        expect(await store.countAfter()).toBe(all + 3);
        expect(await store.countAfter(first!.position)).toBe(2);
        expect(await store.countAfter(second!.position)).toBe(1);
        expect(await store.countAfter(position)).toBe(0);
      });
    });

    describe('idempotent appends', () => {
      it('treats a re-append of the same event ids at the same revision as a no-op with the original result', async () => {
        const streamId = stream('Replay');
        const events = numbered(2);
        const first = await store.append(streamId, events, NO_STREAM);
        const head = await store.headPosition();

        const again = await store.append(streamId, events, NO_STREAM);

        expect(again).toEqual(target.indexesEventIds ? { ...first, replayed: true } : first);
        expect(await store.readStream(streamId)).toHaveLength(2);
        expect(await readAllOf(store, [streamId], head)).toEqual([]);
      });

      it('still recognises the replay after the stream has moved on', async () => {
        const streamId = stream('LateReplay');
        const events = numbered(2);
        const first = await store.append(streamId, events, NO_STREAM);
        await store.append(streamId, numbered(1), 1n);

        const again = await store.append(streamId, events, NO_STREAM);

        expect(again).toEqual(target.indexesEventIds ? { ...first, replayed: true } : first);
        expect(await store.readStream(streamId)).toHaveLength(3);
      });

      it.runIf(target.indexesEventIds)('refuses event ids that another stream already holds, naming that stream', async () => {
        const [holder, borrower, events] = [stream('Holder'), stream('Borrower'), numbered(1)];
        await store.append(holder, events, NO_STREAM);
        await expect(store.append(borrower, events, NO_STREAM)).rejects.toMatchObject({ code: 'rule_violated', holderStreamId: holder });
        expect(await store.readStream(borrower)).toEqual([]);
      });

      it.runIf(target.indexesEventIds)('reports a conflict when stored event ids are re-appended at another revision', async () => {
        const streamId = stream('Clash');
        const events = numbered(1);
        await store.append(streamId, events, NO_STREAM);

        await expectConflict(store.append(streamId, events, 0n), 0n, 0n);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });
    });

    it(
      'holds 10,000 events in one stream, in order, with no gap',
      async () => {
        const streamId = stream('Big');
        let revision = NO_STREAM;
        for (let batch = 0; batch < 20; batch++) {
          const events = Array.from({ length: 500 }, (_, i) => newEvent('Counted', { n: batch * 500 + i }));
          revision = (await store.append(streamId, events, revision)).nextRevision;
        }

        const read = await store.readStream(streamId);
        const tail = await store.readStream(streamId, { fromRevision: 9_990n });
        const viaAll = await readAllOf(store, [streamId], before, 1000);

        expect(revision).toBe(9_999n);
        expect(read).toHaveLength(10_000);
        expect(read.every((e, i) => e.revision === BigInt(i) && (e.data as { n: number }).n === i)).toBe(true);
        expect(isStrictlyIncreasing(read.map((e) => e.position))).toBe(true);
        expect(tail.map((e) => e.revision)).toEqual(Array.from({ length: 10 }, (_, i) => 9_990n + BigInt(i)));
        expect(viaAll.map((e) => e.eventId)).toEqual(read.map((e) => e.eventId));
      },
      target.slowTestTimeoutMs ?? 30_000,
    );

    describe('watch', () => {
      it('notifies after an append and stops after unsubscribing', async () => {
        const listener = vi.fn();
        const stop = store.watch(listener);
        // EventStoreDB subscribes asynchronously; give the subscription a moment to start.
        if (!target.startsEmpty) await new Promise((resolve) => setTimeout(resolve, 500));

        await store.append(stream('Watched'), numbered(1), NO_STREAM);
        await vi.waitFor(() => expect(listener).toHaveBeenCalled(), { timeout: 5000 });
        stop();
        listener.mockClear();
        await store.append(stream('Unwatched'), numbered(1), NO_STREAM);
        await new Promise((resolve) => setTimeout(resolve, 200));

        expect(listener).not.toHaveBeenCalled();
      });
    });
  });
};
