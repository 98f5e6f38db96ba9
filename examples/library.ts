// The README's library example: run it with `npx tsx examples/library.ts`.
import { randomUUID } from 'node:crypto';
import { createCommandBus, createInMemoryEventStore } from 'experiment-rollout';

const bus = createCommandBus({ store: createInMemoryEventStore() });
const actor = { type: 'user', id: 'u-17' } as const;
const send = (type: string, data: object) => bus.send({ type, commandId: randomUUID(), actor, data });
const text = (value: string) => ({ type: 'string', value });

await send('RegisterEnvironment', { environmentId: 'production', apiKey: 'ENVKEY', versioning: 'v2' });
await send('RegisterFeature', {
  environmentId: 'production',
  featureId: 'checkout-button',
  name: 'Checkout button colour',
  enabled: true,
  value: text('grey'),
  options: [
    { optionId: 'red', key: 'red', value: text('red'), defaultAllocation: 30 },
    { optionId: 'green', key: 'green', value: text('green'), defaultAllocation: 30 },
    { optionId: 'blue', key: 'blue', value: text('blue'), defaultAllocation: 40 },
  ],
});
await send('CreateExperiment', { environmentId: 'production', featureId: 'checkout-button', experimentId: 'exp-1', name: 'Red vs green' });

const result = await send('AddFeatureToExperimentRollout', {
  environmentId: 'production',
  featureId: 'checkout-button',
  experimentId: 'exp-1',
  enabled: true,
  rolloutPercentage: 42,
  controlValue: text('grey'),
  allocations: [
    { optionId: 'red', percentage: 60 },
    { optionId: 'green', percentage: 40 },
  ],
});
console.log(result.status, result.events.map((e) => e.type).join(' + '));
// -> accepted RolloutSegmentCreated + DefaultAllocationsZeroed
