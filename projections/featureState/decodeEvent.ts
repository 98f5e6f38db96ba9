import type { DomainEvent } from '../../src/domain/events.ts';
import { upcast } from '../../src/domain/upcast.ts';

/** A stored event as the current DomainEvent, or an error saying why it cannot be read. */
export const decodeEvent = (type: string, schemaVersion: number, data: unknown): DomainEvent => upcast(type, schemaVersion, data);
