import { describe, it } from 'vitest';
import { createEventStoreDbEventStore } from '../../src/eventStore/eventStoreDbEventStore.ts';
import { describeEventStoreConformance } from './eventStoreConformance.ts';

const connectionString = process.env.ESDB_CONNECTION_STRING;

if (connectionString === undefined || connectionString === '') {
  const reason = 'ESDB_CONNECTION_STRING is not set';
  console.warn(`EventStoreDB conformance suite skipped: ${reason} (e.g. esdb://localhost:2113?tls=false, see docker-compose.yml)`);
  describe('event store conformance: EventStoreDB', () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
} else {
  describeEventStoreConformance('EventStoreDB', {
    open: async () => createEventStoreDbEventStore({ connectionString }),
    startsEmpty: false,
    indexesEventIds: false,
    slowTestTimeoutMs: 120_000,
  });
}
