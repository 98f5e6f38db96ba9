import { describe, expect, it } from 'vitest';
import { createCommandBus } from '../../src/application/commandBus.ts';
import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import { addToRollout, createExperiment, registerEnvironment, registerFeature } from '../support/fixtures.ts';

const valid = () => addToRollout({ rolloutPercentage: 42, allocations: [{ optionId: 'A', percentage: 60 }] });
const withData = (change: Record<string, unknown>) => {
  const command = valid();
  return { ...command, data: { ...command.data, ...change } };
};
const without = (field: string) => {
  const command = valid() as Record<string, unknown>;
  delete command[field];
  return command;
};

const cases: [string, unknown, string][] = [
  ['JSON that is not an object', 'AddFeatureToExperimentRollout', '(root)'],
  ['null', null, '(root)'],
  ['an array', [valid()], '(root)'],
  ['an unknown command type', { ...valid(), type: 'DeleteEverything' }, 'type'],
  ['a missing command id', without('commandId'), 'commandId'],
  ['a command id that is not a UUID', { ...valid(), commandId: '42' }, 'commandId'],
  ['a missing actor', without('actor'), 'actor'],
  ['an actor of an unknown kind', { ...valid(), actor: { type: 'robot', id: 'r2' } }, 'actor.type'],
  ['a missing data field', withData({ experimentId: undefined }), 'data.experimentId'],
  ['a wrong type', withData({ enabled: 'yes' }), 'data.enabled'],
  ['an id with bad characters', withData({ featureId: 'a/b' }), 'data.featureId'],
  ['an id of 129 characters', withData({ environmentId: 'e'.repeat(129) }), 'data.environmentId'],
  ['a percentage of -1', withData({ rolloutPercentage: -1 }), 'data.rolloutPercentage'],
  ['a percentage of 101', withData({ rolloutPercentage: 101 }), 'data.rolloutPercentage'],
  ['a percentage of NaN', withData({ rolloutPercentage: Number.NaN }), 'data.rolloutPercentage'],
  ['a percentage given as a string', withData({ rolloutPercentage: '42' }), 'data.rolloutPercentage'],
  ['an allocation of 101', withData({ allocations: [{ optionId: 'A', percentage: 101 }] }), 'data.allocations[0].percentage'],
  ['duplicate option ids', withData({ allocations: [{ optionId: 'A', percentage: 10 }, { optionId: 'A', percentage: 10 }] }), 'data.allocations[1].optionId'],
  ['allocations summing past 100', withData({ allocations: [{ optionId: 'A', percentage: 60 }, { optionId: 'B', percentage: 60 }] }), 'data.allocations'],
  ['an integer value that is not an integer', withData({ controlValue: { type: 'integer', value: '4.2' } }), 'data.controlValue.value'],
  ['a boolean value in capitals', withData({ controlValue: { type: 'boolean', value: 'TRUE' } }), 'data.controlValue.value'],
  ['an unknown field', withData({ surprise: 1 }), 'data'],
  ['an expectedRevision of -2', { ...valid(), expectedRevision: -2 }, 'expectedRevision'],
];

describe('malformed commands', () => {
  it.each(cases)('%s gets validation_failed naming the path, and the store is unchanged', async (_name, input, path) => {
    const store = createInMemoryEventStore();
    const bus = createCommandBus({ store });
    for (const command of [registerEnvironment(), registerFeature(), createExperiment()]) await bus.send(command);
    const head = await store.headPosition();

    const result = await bus.send(input);

    expect(result.status).toBe('rejected');
    expect(result.error?.code).toBe('validation_failed');
    expect(result.error?.issues?.map((i) => i.path)).toContain(path);
    expect(result.error?.message).toContain(path);
    expect(result.events).toEqual([]);
    expect(await store.headPosition()).toBe(head);
  });

  it('lists every issue, not only the first', async () => {
    const bus = createCommandBus({ store: createInMemoryEventStore() });
    const result = await bus.send(withData({ rolloutPercentage: 101, featureId: '', enabled: 1 }));
    expect([...new Set(result.error?.issues?.map((i) => i.path))].sort()).toEqual(['data.enabled', 'data.featureId', 'data.rolloutPercentage']);
  });
});
