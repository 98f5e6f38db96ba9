import type { DomainEvent } from '../../src/domain/events.ts';
import { eventSchemaVersions, isEventType } from '../../src/domain/events.ts';
import { upcast } from '../../src/domain/upcast.ts';
import { fastDecode } from './fastEventCheck.ts';

/**
 * A stored event as the current DomainEvent, or an error saying why it cannot be read.
 * Valid current-version events take the precompiled check; anything else goes to the
 * domain's upcast (zod), which rejects with its own message or strips extra fields.
 */
export const decodeEvent = (type: string, schemaVersion: number, data: unknown): DomainEvent =>
  (isEventType(type) && schemaVersion === eventSchemaVersions[type] ? fastDecode(type, schemaVersion, data) : undefined) ?? upcast(type, schemaVersion, data);
