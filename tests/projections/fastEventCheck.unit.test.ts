import { describe, expect, it } from 'vitest';
import { createCommandBus } from '../../src/application/commandBus.ts';
import { eventSchemas, type EventType } from '../../src/domain/events.ts';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import { fastDecode } from '../../projections/featureState/fastEventCheck.ts';
import { generateRandomHistory, seededRandom } from './support/randomHistory.ts';

const zodAccepts = (type: string, data: unknown) => eventSchemas[type as EventType].safeParse(data).success;

/** Every way to break one field: wrong types, out-of-range numbers, bad ids, extra and missing keys. */
const mutations = (data: unknown, random: () => number): unknown[] => {
  const out: unknown[] = [];
  const walk = (node: unknown, replace: (v: unknown) => unknown) => {
    for (const bad of [null, 'x', '', 'a/b', 'é', -1, 101, 1.5, true, [], {}, 'string', 'integer', 'boolean', '12', 'true', 'z'.repeat(129)]) out.push(replace(bad));
    if (Array.isArray(node)) {
      out.push(replace([...node, random() < 0.5 ? {} : node[0]]));
      node.forEach((item, i) => walk(item, (v) => replace(node.map((x, j) => (j === i ? v : x)))));
    } else if (typeof node === 'object' && node !== null) {
      out.push(replace({ ...node, extra: 1 }));
      for (const key of Object.keys(node)) {
        const { [key]: _, ...without } = node as Record<string, unknown>;
        out.push(replace(without));
        walk((node as Record<string, unknown>)[key], (v) => replace({ ...node, [key]: v }));
      }
    }
  };
  walk(data, (v) => v);
  return out;
};

describe('the precompiled event check', () => {
  it('accepts only what zod accepts, and accepts the events the decider writes', async () => {
    const store = createInMemoryEventStore();
    await generateRandomHistory(createCommandBus({ store }), { targetEvents: 3000, seed: 11, environments: 2 });
    const keys = [
      { type: 'ServerKeyIssued', data: { environmentId: 'env-0', keyId: 'k-1', name: 'ci', keyHash: 'a'.repeat(64) } },
      { type: 'ServerKeyRevoked', data: { environmentId: 'env-0', keyId: 'k-1' } },
    ];
    const events = [...keys, ...(await store.readAll({ maxCount: 10_000 }))];
    const random = seededRandom(3);
    const mutatedPerType = new Map<string, number>();
    let checked = 0;
    for (const event of events) {
      expect(fastDecode(event.type, 1, event.data)).toEqual({ type: event.type, data: event.data });
      // Mutate every field of three events of each type, not of all 3,000.
      const count = mutatedPerType.get(event.type) ?? 0;
      if (count === 3) continue;
      mutatedPerType.set(event.type, count + 1);
      for (const mutated of mutations(event.data, random)) {
        if (fastDecode(event.type, 1, mutated) !== undefined) expect(zodAccepts(event.type, mutated), `${event.type} ${JSON.stringify(mutated)}`).toBe(true);
        checked++;
      }
    }
    expect([...mutatedPerType.keys()].sort()).toEqual(Object.keys(eventSchemas).sort());
    expect(checked).toBeGreaterThan(5_000);
    expect(fastDecode('FlagDeleted', 1, {})).toBeUndefined();
    expect(fastDecode('ExperimentPaused', 2, { environmentId: 'e', featureId: 'f', experimentId: 'x' })).toBeUndefined();
  });
});
