import { createHash } from 'node:crypto';

/** The same SHA-256 (hex) the command bus records in ServerKeyIssued. */
export const hashServerKey = (key: string): string => createHash('sha256').update(key).digest('hex');
