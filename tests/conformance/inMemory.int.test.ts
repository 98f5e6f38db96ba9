import { createInMemoryEventStore } from '../../src/eventStore/inMemoryEventStore.ts';
import { describeEventStoreConformance } from './eventStoreConformance.ts';

describeEventStoreConformance('in-memory', {
  open: async () => createInMemoryEventStore(),
  startsEmpty: true,
  indexesEventIds: true,
});
