import { createHash, randomBytes } from 'node:crypto';

/** A new server key: `ser.` and 44 URL-safe random characters. Shown once, never stored. */
export const newServerKey = (): string => `ser.${randomBytes(33).toString('base64url')}`;

/** What the log records instead of the key (ServerKeyIssued.keyHash), and what authentication compares. */
export const hashServerKey = (key: string): string => createHash('sha256').update(key).digest('hex');
