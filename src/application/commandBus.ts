import { v5 as uuidv5 } from 'uuid';
import type { CommandEnvelope } from '../domain/commands.ts';
import type { EnvironmentState } from '../domain/environment/environmentState.ts';
import { eventSchemaVersions, type DomainEvent } from '../domain/events.ts';
import type { FeatureCommand } from '../domain/featureState/decide.ts';
import type { FeatureState } from '../domain/featureState/featureState.ts';
import type { Decision, Rejection } from '../domain/rejection.ts';
import { environmentStreamId, experimentStreamId } from '../domain/streams.ts';
import { NO_STREAM, type EventMetadata, type EventStore, type NewEvent, type RecordedEvent } from '../eventStore/eventStore.ts';
import { decideEnvironment, decideFeature, isEnvironmentCommand, streamIdOf } from './aggregates.ts';
import type { CommandResult } from './commandResult.ts';
import { ConcurrencyError, EventIdInUseError, RolloutError } from './errors.ts';
import { hashServerKey, newServerKey } from './serverKeys.ts';
import { createStreamCache, type StreamView } from './streamCache.ts';
import { createStreamLock } from './streamLock.ts';
import { commandIdOf, validateEnvelope } from './validateEnvelope.ts';

/** Namespace of our deterministic event ids: uuidv5(`${commandId}/${index}`, EVENT_ID_NAMESPACE). */
export const EVENT_ID_NAMESPACE = '6f1c3b8e-2a47-4d8e-9c1e-5b7a0f3d2e91';

export const eventIdFor = (commandId: string, index: number): string => uuidv5(`${commandId}/${index}`, EVENT_ID_NAMESPACE);

/** What every event of a command records about it (also under EventStoreDB's `$` names). */
export const eventMetadataFor = (command: CommandEnvelope, occurredAt: string): EventMetadata => {
  const correlationId = command.correlationId ?? command.commandId;
  return {
    occurredAt,
    actor: command.actor,
    commandId: command.commandId,
    correlationId,
    causationId: command.commandId,
    $correlationId: correlationId,
    $causationId: command.commandId,
  };
};

/**
 * Fresh ids (hashing seeds, segment ids, key ids) derive from the command id: unique per
 * command, and the same in two processes racing on one command id, so whichever append
 * wins, both saw identical events.
 */
const idFor = (commandId: string, purpose: string): string => uuidv5(`${commandId}/${purpose}`, EVENT_ID_NAMESPACE);

export type CommandBusOptions = {
  store: EventStore;
  /** Where time comes from; replaced in tests. */
  clock?: () => Date;
  /** Conflict retries before giving up (never used when the caller pinned expectedRevision). */
  maxAttempts?: number;
  /** Observes every result, e.g. for metrics. */
  onResult?: (result: CommandResult, commandType: string | undefined, durationMs: number) => void;
};

export type CommandBus = {
  /** Validates, routes, decides and appends one command. Never throws: failures are results. */
  send(input: unknown): Promise<CommandResult>;
  /** The folded state the handler decides on for a stream (what `decide` will see next). */
  currentState(streamId: string): Promise<{ revision: bigint; state: EnvironmentState | FeatureState }>;
};

const jitteredBackoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));

export const createCommandBus = (options: CommandBusOptions): CommandBus => {
  const { store, clock = () => new Date(), maxAttempts = 30, onResult } = options;
  const streams = createStreamCache(store);
  const withStreamLock = createStreamLock();
  /** Streams are folded under their own lock, so one revision is never folded twice at once. */
  const loadLocked = (streamId: string) => withStreamLock(streamId, () => streams.load(streamId));

  const toNewEvents = (command: CommandEnvelope, events: readonly DomainEvent[], occurredAt: string): NewEvent[] => {
    const metadata = eventMetadataFor(command, occurredAt);
    return events.map((event, index) => ({
      eventId: eventIdFor(command.commandId, index),
      type: event.type,
      schemaVersion: eventSchemaVersions[event.type],
      data: event.data,
      metadata,
    }));
  };

  const decideOnce = async (command: CommandEnvelope, view: StreamView, serverKey: { keyId: string; key: string } | undefined) => {
    if (isEnvironmentCommand(command)) {
      const context = serverKey ? { newKeyId: serverKey.keyId, newKeyHash: hashServerKey(serverKey.key) } : { newKeyId: '', newKeyHash: '' };
      return decideEnvironment(command, view.state as EnvironmentState, context) as Decision<DomainEvent>;
    }
    const environment =
      command.type === 'RegisterFeature' ? ((await loadLocked(environmentStreamId(command.data.environmentId))).state as EnvironmentState) : { registered: false as const };
    // Getters: most commands need no fresh id, and a v5 UUID costs a SHA-1.
    return decideFeature(command as FeatureCommand, view.state as FeatureState, {
      environment,
      get newHashingSeed() {
        return idFor(command.commandId, 'hashingSeed');
      },
      get newSegmentId() {
        return idFor(command.commandId, 'segmentId');
      },
    }) as Decision<DomainEvent>;
  };

  /**
   * Experiment ids are unique store-wide: the first CreateExperiment for an id claims it in
   * experiment-{id} (expected: no stream). A claim left by a command that then lost its
   * race stays with that feature, which may still create the experiment later.
   */
  const reserveExperimentId = async (
    command: CommandEnvelope & { type: 'CreateExperiment' },
    occurredAt: string,
  ): Promise<{ rejection: Rejection } | { reserved: CommandResult['events'] }> => {
    const { experimentId, environmentId, featureId } = command.data;
    const streamId = experimentStreamId(experimentId);
    for (;;) {
      const [claim] = await store.readStream(streamId);
      if (claim) {
        const owner = claim.data as { environmentId: string; featureId: string };
        if (owner.environmentId !== environmentId || owner.featureId !== featureId) {
          return { rejection: { code: 'rule_violated', message: `experiment id ${experimentId} is already used by feature ${owner.featureId} in environment ${owner.environmentId}` } };
        }
        return { reserved: claim.metadata.commandId === command.commandId ? [{ type: claim.type, revision: 0, streamId }] : [] };
      }
      const [reservation] = toNewEvents(command, [{ type: 'ExperimentIdReserved', data: { experimentId, environmentId, featureId } }], occurredAt);
      try {
        await store.append(streamId, [{ ...reservation!, eventId: idFor(command.commandId, 'reservation') }], NO_STREAM);
        return { reserved: [{ type: 'ExperimentIdReserved', revision: 0, streamId }] };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
  };

  /** A duplicate CreateExperiment reports its id reservation too, when it made it. */
  const reservationOf = async (command: CommandEnvelope): Promise<CommandResult['events']> => {
    if (command.type !== 'CreateExperiment') return [];
    const streamId = experimentStreamId(command.data.experimentId);
    const [claim] = await store.readStream(streamId);
    return claim?.metadata.commandId === command.commandId ? [{ type: claim.type, revision: 0, streamId }] : [];
  };

  const handle = async (command: CommandEnvelope): Promise<CommandResult> => {
    const streamId = streamIdOf(command);
    const pinned = command.expectedRevision === undefined ? undefined : BigInt(command.expectedRevision);
    // Made once per command, so a retry after a conflict proposes the same key.
    const serverKey = command.type === 'IssueServerKey' ? { keyId: idFor(command.commandId, 'keyId'), key: newServerKey() } : undefined;

    for (let attempt = 1; ; attempt++) {
      const outcome = await withStreamLock(streamId, async (): Promise<CommandResult | 'conflict' | 'replayed'> => {
        const view = await streams.load(streamId);
        const handled = view.commands.get(command.commandId);
        if (handled) {
          return {
            commandId: command.commandId,
            status: 'duplicate',
            streamId,
            revision: Number(handled.revision),
            position: handled.position.toString(),
            events: [...(await reservationOf(command)), ...handled.events.map((e) => ({ type: e.type, revision: Number(e.revision) }))],
          };
        }
        if (pinned !== undefined && pinned !== view.revision) throw new ConcurrencyError(streamId, pinned, view.revision);

        const decision = await decideOnce(command, view, serverKey);
        if (!decision.ok) return { commandId: command.commandId, status: 'rejected', streamId, revision: Number(view.revision), events: [], error: decision.rejection };
        if (decision.events.length === 0) return { commandId: command.commandId, status: 'unchanged', streamId, revision: Number(view.revision), events: [] };

        const occurredAt = clock().toISOString();
        let reserved: CommandResult['events'] = [];
        if (command.type === 'CreateExperiment') {
          const claim = await reserveExperimentId(command, occurredAt);
          if ('rejection' in claim) return { commandId: command.commandId, status: 'rejected', streamId, revision: Number(view.revision), events: [], error: claim.rejection };
          reserved = claim.reserved;
        }
        const newEvents = toNewEvents(command, decision.events, occurredAt);
        let appended;
        try {
          appended = await store.append(streamId, newEvents, view.revision);
        } catch (error) {
          if (error instanceof ConcurrencyError && pinned === undefined) return 'conflict';
          if (error instanceof EventIdInUseError) {
            throw new RolloutError('rule_violated', `commandId ${command.commandId} was already used for a command on stream ${error.holderStreamId}; every command needs its own id`);
          }
          throw error;
        }
        // Another process appended this very command first: answer from what is stored.
        if (appended.replayed) return 'replayed';
        const firstPosition = appended.position - BigInt(newEvents.length - 1);
        const recorded: RecordedEvent[] = newEvents.map((event, i) => ({
          ...event,
          streamId,
          revision: view.revision + 1n + BigInt(i),
          // Positions of a multi-event append are contiguous in our stores; for
          // EventStoreDB only the last one is exact, which is the one we report.
          position: firstPosition + BigInt(i),
        }));
        streams.applyAppended(streamId, view, recorded, decision.events);
        return {
          commandId: command.commandId,
          status: 'accepted',
          streamId,
          revision: Number(appended.nextRevision),
          position: appended.position.toString(),
          events: [...reserved, ...recorded.map((e) => ({ type: e.type, revision: Number(e.revision) }))],
          ...(serverKey ? { serverKey } : {}),
        };
      });
      if (outcome === 'replayed') {
        streams.forget(streamId);
        continue;
      }
      if (outcome !== 'conflict') return outcome;
      if (attempt >= maxAttempts) throw new RolloutError('conflict', `gave up on ${streamId} after ${attempt} concurrent-write conflicts`);
      await jitteredBackoff(attempt);
    }
  };

  return {
    async currentState(streamId) {
      const { revision, state } = await loadLocked(streamId);
      return { revision, state };
    },
    async send(input) {
      const started = performance.now();
      let type: string | undefined;
      let streamId: string | null = null;
      let result: CommandResult;
      try {
        const command = validateEnvelope(input);
        type = command.type;
        streamId = streamIdOf(command);
        result = await handle(command);
      } catch (error) {
        const known = error instanceof RolloutError ? error : new RolloutError('internal', `internal error: ${(error as Error)?.message ?? String(error)}`);
        const revision = known instanceof ConcurrencyError ? Number(known.actualRevision) : -1;
        result = { commandId: commandIdOf(input), status: 'rejected', streamId, revision, events: [], error: known.toJSON() };
      }
      onResult?.(result, type, performance.now() - started);
      return result;
    },
  };
};
