import { createHash } from 'node:crypto';
import type { FlagsmithEnvironmentDocument } from './environmentDocument.ts';

export type DocumentBody = { json: string; etag: string };

/** The exact bytes served and exported, and a strong ETag over them. */
export const documentBody = (document: FlagsmithEnvironmentDocument): DocumentBody => {
  const json = JSON.stringify(document);
  return { json, etag: `"${createHash('sha256').update(json).digest('base64url')}"` };
};

/** RFC 9110 If-None-Match: a list of tags (weak ones compared weakly), or "*". */
export const matchesIfNoneMatch = (header: string | undefined, etag: string): boolean => {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
};
