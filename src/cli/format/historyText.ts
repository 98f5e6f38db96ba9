import type { HistoryEntry } from '../../queries/readSide.ts';

export const historyText = (entries: HistoryEntry[]): string =>
  entries.map((e) => `${e.position.padStart(6)}  ${e.occurredAt}  ${e.actor.type}:${e.actor.id}  ${e.type}: ${e.summary}\n`).join('');
