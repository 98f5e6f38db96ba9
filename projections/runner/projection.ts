import type { RecordedEvent } from '../../src/eventStore/eventStore.ts';
import type { DocumentWrite } from './readModelStorage.ts';

/** Reads one stored document of the generation a session works on. */
export type LoadDocument = (kind: string, key: string) => string | undefined;

/** Thrown by a projection for an event it cannot apply (unknown type, invalid data). */
export class EventNotApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventNotApplicableError';
  }
}

/** A working set over one generation: applies events, then hands over what changed. */
export type ProjectionSession = {
  /** Applies one event, or throws EventNotApplicableError having changed nothing. */
  apply(event: RecordedEvent): void;
  /**
   * The documents changed since the last drain, built as they are iterated (iterate it
   * to the end, once, e.g. inside the commit); the session stays usable.
   */
  drain(): Iterable<DocumentWrite>;
  /** How many changed documents it holds (the runner commits early when there are many). */
  pending(): number;
};

export type Projection = {
  readonly name: string;
  open(load: LoadDocument): ProjectionSession;
};
