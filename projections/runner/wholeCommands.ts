import type { RecordedEvent } from '../../src/eventStore/eventStore.ts';

/**
 * A full batch may end inside a command; hold its trailing command back for the next
 * batch, so a commit (and in v2 a published version) never holds half a command.
 * A short batch reached the head: appends are atomic, so its last command is whole.
 */
export const wholeCommands = (events: readonly RecordedEvent[], requested: number): readonly RecordedEvent[] => {
  if (events.length < requested || events.length === 0) return events;
  const start = commandStart(events, events.length - 1);
  return start === 0 ? events : events.slice(0, start);
};

/** Index of the first event of the command that events[index] belongs to. */
export const commandStart = (events: readonly RecordedEvent[], index: number): number => {
  const command = events[index]!.metadata.commandId;
  let start = index;
  while (start > 0 && events[start - 1]!.metadata.commandId === command) start--;
  return start;
};
