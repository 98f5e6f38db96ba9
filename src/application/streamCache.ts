import type { EnvironmentState } from '../domain/environment/environmentState.ts';
import type { FeatureState } from '../domain/featureState/featureState.ts';
import type { DomainEvent } from '../domain/events.ts';
import { upcast } from '../domain/upcast.ts';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore.ts';
import { NO_STREAM } from '../eventStore/eventStore.ts';
import { evolveAny, initialStateOf } from './aggregates.ts';
import { RolloutError } from './errors.ts';

/** A command already in the stream: its events, and the revision and position of its last event. */
export type HandledCommand = { events: { type: string; revision: bigint }[]; revision: bigint; position: bigint };

/** A stream folded up to `revision`, with the commands it already holds (for idempotency). */
export type StreamView = {
  state: EnvironmentState | FeatureState;
  revision: bigint;
  commands: Map<string, HandledCommand>;
};

/** `decided`: the same events as typed domain events, when this process just decided them (no re-validation). */
const foldInto = (view: StreamView, events: readonly RecordedEvent[], decided?: readonly DomainEvent[]): StreamView => {
  let { state } = view;
  // Mutated in place: copying it per command would make load cost grow with history.
  // Only durable events are ever folded, and a revision is recorded once.
  const { commands } = view;
  events.forEach((recorded, index) => {
    let event = decided?.[index];
    try {
      event ??= upcast(recorded.type, recorded.schemaVersion, recorded.data);
    } catch (error) {
      throw new RolloutError('internal', `cannot read ${recorded.streamId}@${recorded.revision}: ${(error as Error).message}`);
    }
    state = evolveAny(state, event);
    const handled = commands.get(recorded.metadata.commandId);
    if (!handled) {
      commands.set(recorded.metadata.commandId, { events: [{ type: recorded.type, revision: recorded.revision }], revision: recorded.revision, position: recorded.position });
    } else if (!handled.events.some((e) => e.revision === recorded.revision)) {
      handled.events.push({ type: recorded.type, revision: recorded.revision });
      handled.revision = recorded.revision;
      handled.position = recorded.position;
    }
  });
  return { state, revision: events.length > 0 ? events[events.length - 1]!.revision : view.revision, commands };
};

/**
 * Keeps folded streams in memory so a command reads only the events appended since it
 * last looked: load cost stays flat as a stream's history grows. Always reads the tail
 * from the store, so writes by other processes are never missed.
 */
export const createStreamCache = (store: EventStore, maxStreams = 10_000) => {
  const views = new Map<string, StreamView>();

  const remember = (streamId: string, view: StreamView) => {
    views.delete(streamId);
    views.set(streamId, view);
    if (views.size > maxStreams) views.delete(views.keys().next().value!);
  };

  return {
    async load(streamId: string): Promise<StreamView> {
      const cached = views.get(streamId) ?? { state: initialStateOf(streamId), revision: NO_STREAM, commands: new Map() };
      const newer = await store.readStream(streamId, { fromRevision: cached.revision + 1n });
      const view = foldInto(cached, newer);
      remember(streamId, view);
      return view;
    },
    /** Records events this process just appended, without re-reading them. */
    applyAppended(streamId: string, before: StreamView, appended: readonly RecordedEvent[], decided: readonly DomainEvent[]): void {
      remember(streamId, foldInto(before, appended, decided));
    },
    forget(streamId: string): void {
      views.delete(streamId);
    },
  };
};
