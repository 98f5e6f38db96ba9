import { describe, expect, it } from 'vitest';
import { createCommandBus, eventIdFor } from '../../src/application/commandBus.ts';
import type { CommandResult } from '../../src/application/commandResult.ts';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import type { EventStore } from '../../src/eventStore/eventStore.ts';
import { addToRollout, createExperiment, envelope, experimentCommand, registerEnvironment, registerFeature, ENV, FEATURE } from '../support/fixtures.ts';

const setUp = async (store: EventStore = createInMemoryEventStore()) => {
  const bus = createCommandBus({ store });
  for (const command of [registerEnvironment(), registerFeature(), createExperiment()]) expect((await bus.send(command)).status).toBe('accepted');
  return { store, bus };
};

const countTypes = async (store: EventStore) => {
  const counts: Record<string, number> = {};
  for (const event of await store.readAll({ maxCount: 100_000 })) counts[event.type] = (counts[event.type] ?? 0) + 1;
  return counts;
};

const split = [
  { optionId: 'A', percentage: 60 },
  { optionId: 'B', percentage: 40 },
];

describe('command bus', () => {
  it('appends a first add as one atomic pair, with metadata for the audit trail', async () => {
    const { store, bus } = await setUp();
    const command = { ...addToRollout({ rolloutPercentage: 42, allocations: split }), correlationId: 'a3bb189e-8bf9-4888-9912-ace4e6543002' };
    const result = await bus.send(command);
    expect(result).toMatchObject({
      commandId: command.commandId,
      status: 'accepted',
      streamId: `featureState-${ENV}/${FEATURE}`,
      revision: 3,
      events: [
        { type: 'RolloutSegmentCreated', revision: 2 },
        { type: 'DefaultAllocationsZeroed', revision: 3 },
      ],
    });
    const stored = await store.readStream(`featureState-${ENV}/${FEATURE}`, { fromRevision: 2n });
    expect(stored.map((e) => e.eventId)).toEqual([eventIdFor(command.commandId, 0), eventIdFor(command.commandId, 1)]);
    expect(stored[0]!.metadata).toEqual({
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor: { type: 'user', id: 'u-17' },
      commandId: command.commandId,
      correlationId: command.correlationId,
      causationId: command.commandId,
      $correlationId: command.correlationId,
      $causationId: command.commandId,
    });
    expect(result.position).toBe(stored[1]!.position.toString());
  });

  it('returns the original outcome for a re-sent command id and appends nothing', async () => {
    const { store, bus } = await setUp();
    const command = addToRollout({ rolloutPercentage: 42, allocations: split });
    const first = await bus.send(command);
    const before = await store.headPosition();
    const again = await bus.send(command);
    expect(again).toEqual({ ...first, status: 'duplicate' });
    expect(await store.headPosition()).toBe(before);
    // A fresh process (empty cache) recognises it too.
    const fresh = await createCommandBus({ store }).send(command);
    expect(fresh.status).toBe('duplicate');
    expect(fresh.events).toEqual(first.events);
  });

  it('a duplicate reports the revision the original command produced, even after later commands', async () => {
    const { bus } = await setUp();
    const command = addToRollout({ rolloutPercentage: 42, allocations: split });
    const first = await bus.send(command);
    await bus.send(addToRollout({ rolloutPercentage: 50, allocations: split }));
    const again = await bus.send(command);
    expect(again).toMatchObject({ status: 'duplicate', revision: first.revision, position: first.position, events: first.events });
  });

  it('one command id raced through two processes is stored once; the loser answers duplicate and stays consistent', async () => {
    for (let round = 0; round < 20; round++) {
      const { store } = await setUp();
      const [a, b] = [createCommandBus({ store }), createCommandBus({ store })];
      const command = addToRollout({ rolloutPercentage: 42, allocations: split });
      const results = await Promise.all([a.send(command), b.send(command)]);
      expect(results.map((r) => r.status).sort()).toEqual(['accepted', 'duplicate']);
      expect(results[0]!.events).toEqual(results[1]!.events);
      // Whichever bus lost, its next tuning must land on the segment that is really stored.
      const tuned = await b.send(addToRollout({ rolloutPercentage: 70, allocations: split }));
      expect(tuned.events.map((e) => e.type)).toEqual(['RolloutTuned']);
      const { state } = await createCommandBus({ store }).currentState(`featureState-${ENV}/${FEATURE}`);
      expect(state.registered && 'segmentOverrides' in state && state.segmentOverrides.map((o) => o.rolloutPercentage)).toEqual([70]);
    }
  });

  it('refuses a command id already used on another stream, naming that stream, without retrying', async () => {
    const { bus } = await setUp();
    const register = registerEnvironment('v1', 'staging');
    await bus.send(register);
    const started = performance.now();
    const reused = await bus.send({ ...experimentCommand('StartExperiment'), commandId: register.commandId });
    expect(reused).toMatchObject({ status: 'rejected', error: { code: 'rule_violated' } });
    expect(reused.error?.message).toContain(`commandId ${register.commandId} was already used for a command on stream environment-staging`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('keeps experiment ids unique across features, and lets the claiming feature use its id', async () => {
    const { store, bus } = await setUp();
    await bus.send(registerFeature('other-feature'));
    const taken = await bus.send(createExperiment('exp-1', 'other-feature'));
    expect(taken).toMatchObject({ status: 'rejected', events: [], error: { code: 'rule_violated', message: `experiment id exp-1 is already used by feature ${FEATURE} in environment ${ENV}` } });
    expect(await store.readStream(`featureState-${ENV}/other-feature`)).toHaveLength(1);
    const reservations = await store.readStream('experiment-exp-1');
    expect(reservations.map((e) => [e.type, e.data])).toEqual([['ExperimentIdReserved', { experimentId: 'exp-1', environmentId: ENV, featureId: FEATURE }]]);
    // Racing creates of one new id on two features: exactly one wins it.
    await bus.send(registerFeature('third-feature'));
    const race = await Promise.all([createCommandBus({ store }).send(createExperiment('exp-9', 'other-feature')), createCommandBus({ store }).send(createExperiment('exp-9', 'third-feature'))]);
    expect(race.map((r) => r.status).sort()).toEqual(['accepted', 'rejected']);
  });

  it('reports a later add that changes nothing as unchanged', async () => {
    const { bus } = await setUp();
    await bus.send(addToRollout({ rolloutPercentage: 42, allocations: split }));
    const result = await bus.send(addToRollout({ rolloutPercentage: 42, allocations: split }));
    expect(result).toMatchObject({ status: 'unchanged', revision: 3, events: [] });
  });

  it('fails at once with conflict when the caller pinned a stale expectedRevision', async () => {
    const { store, bus } = await setUp();
    const stale = await bus.send({ ...addToRollout({ rolloutPercentage: 42, allocations: split }), expectedRevision: 0 });
    expect(stale).toMatchObject({ status: 'rejected', revision: 1, error: { code: 'conflict' } });
    expect(stale.error?.message).toMatch(/expected 0/);
    expect(await countTypes(store)).not.toHaveProperty('RolloutSegmentCreated');
    const current = await bus.send({ ...addToRollout({ rolloutPercentage: 42, allocations: split }), expectedRevision: 1 });
    expect(current).toMatchObject({ status: 'accepted', revision: 3 });
  });

  it('50 racing first adds make exactly one segment and one zeroing; the rest tune or change nothing', async () => {
    const { store, bus } = await setUp();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => bus.send(addToRollout({ rolloutPercentage: 10 + (i % 5), allocations: split }))),
    );
    expect(results.every((r) => ['accepted', 'unchanged'].includes(r.status))).toBe(true);
    const counts = await countTypes(store);
    expect(counts.RolloutSegmentCreated).toBe(1);
    expect(counts.DefaultAllocationsZeroed).toBe(1);
    expect(results.filter((r) => r.events.some((e) => e.type === 'RolloutSegmentCreated'))).toHaveLength(1);
    const tunings = results.filter((r) => r.events.some((e) => e.type === 'RolloutTuned')).length;
    expect(counts.RolloutTuned ?? 0).toBe(tunings);
  });

  it('first adds racing from separate buses (as separate processes would) are retried into tunings', async () => {
    const { store } = await setUp();
    const buses = Array.from({ length: 5 }, () => createCommandBus({ store }));
    const results: CommandResult[] = await Promise.all(
      Array.from({ length: 50 }, (_, i) => buses[i % 5]!.send(addToRollout({ rolloutPercentage: 10 + (i % 7), allocations: split }))),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 'accepted' && s !== 'unchanged')).toEqual([]);
    const counts = await countTypes(store);
    expect([counts.RolloutSegmentCreated, counts.DefaultAllocationsZeroed]).toEqual([1, 1]);
    const revisions = (await store.readStream(`featureState-${ENV}/${FEATURE}`)).map((e) => Number(e.revision));
    expect(revisions).toEqual(revisions.map((_, i) => i));
  });

  it('returns domain rejections as results with their code', async () => {
    const { bus } = await setUp();
    await bus.send(experimentCommand('StartExperiment'));
    await bus.send(experimentCommand('CompleteExperiment'));
    const result = await bus.send(addToRollout({ rolloutPercentage: 42, allocations: split }));
    expect(result).toMatchObject({ status: 'rejected', revision: 3, events: [], error: { code: 'rule_violated' } });
    const missing = await bus.send(envelope('StartExperiment', { environmentId: ENV, featureId: 'nope', experimentId: 'x' }));
    expect(missing).toMatchObject({ status: 'rejected', revision: -1, error: { code: 'not_found' } });
  });

  it('returns a new server key once and stores only its hash', async () => {
    const { store, bus } = await setUp();
    const result = await bus.send(envelope('IssueServerKey', { environmentId: ENV, name: 'backend' }));
    expect(result.serverKey?.key).toMatch(/^ser\.[A-Za-z0-9_-]{32,}$/);
    const log = JSON.stringify((await store.readAll()).map((e) => ({ data: e.data, metadata: e.metadata })));
    expect(log).not.toContain(result.serverKey!.key);
    expect(log).not.toContain(result.serverKey!.key.slice(4));
    const again = await bus.send(envelope('IssueServerKey', { environmentId: ENV, name: 'backend' }, { commandId: result.commandId }));
    expect(again.status).toBe('duplicate');
    expect(again.serverKey).toBeUndefined();
  });
});
