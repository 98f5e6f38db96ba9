import { z } from 'zod';
import { eventSchemaVersions, eventSchemas, isEventType, type DomainEvent } from './events.ts';

export class UnreadableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableEventError';
  }
}

/**
 * Turns a stored (type, schemaVersion, data) into the current DomainEvent shape.
 * All events are at version 1 today; a version bump adds its step here.
 */
export const upcast = (type: string, schemaVersion: number, data: unknown): DomainEvent => {
  if (!isEventType(type)) throw new UnreadableEventError(`unknown event type "${type}"`);
  if (schemaVersion !== eventSchemaVersions[type]) {
    throw new UnreadableEventError(`${type} schema version ${schemaVersion} is not supported (current: ${eventSchemaVersions[type]})`);
  }
  const parsed = (eventSchemas[type] as z.ZodType).safeParse(data);
  if (!parsed.success) {
    throw new UnreadableEventError(`${type} data is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return { type, data: parsed.data } as DomainEvent;
};
