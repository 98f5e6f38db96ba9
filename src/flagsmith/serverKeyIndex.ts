import { timingSafeEqual } from 'node:crypto';
import type { EventData } from '../domain/events.ts';
import type { EventStore } from '../eventStore/eventStore.ts';
import { hashServerKey } from '../application/serverKeys.ts';

export type ServerKeyOwner = { environmentId: string; keyId: string };

export type ServerKeyIndex = {
  /** The environment a presented key belongs to, or undefined if it is unknown or revoked. */
  resolve(presentedKey: string): Promise<ServerKeyOwner | undefined>;
};

type IndexedKey = ServerKeyOwner & { keyHash: string; revoked: boolean };

/**
 * A request names no environment, only its key, so keys are indexed by hash. The
 * index follows the event store itself rather than a projection: it catches up
 * before every lookup, so a revocation is refused from the very next request.
 */
export const createServerKeyIndex = (store: EventStore): ServerKeyIndex => {
  const byHash = new Map<string, IndexedKey>();
  const byId = new Map<string, IndexedKey>();
  let after = 0n;

  const apply = (type: string, data: unknown) => {
    if (type === 'ServerKeyIssued') {
      const issued = data as EventData<'ServerKeyIssued'>;
      const key = { environmentId: issued.environmentId, keyId: issued.keyId, keyHash: issued.keyHash, revoked: false };
      byHash.set(key.keyHash, key);
      byId.set(`${key.environmentId}/${key.keyId}`, key);
    } else if (type === 'ServerKeyRevoked') {
      const revoked = data as EventData<'ServerKeyRevoked'>;
      const key = byId.get(`${revoked.environmentId}/${revoked.keyId}`);
      if (key) key.revoked = true;
    }
  };

  const catchUp = async () => {
    for (;;) {
      const batch = await store.readAll({ after });
      if (batch.length === 0) return;
      for (const event of batch) apply(event.type, event.data);
      after = batch[batch.length - 1]!.position;
    }
  };

  // One catch-up at a time. A lookup must see every event appended before it
  // arrived, so it never joins a catch-up already under way: it waits for the next.
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    running = catchUp().finally(() => {
      running = undefined;
    });
    return running;
  };
  const caughtUp = (): Promise<void> => {
    if (!running) return start();
    next ??= running.then(
      () => {
        next = undefined;
        return start();
      },
      () => {
        next = undefined;
        return start();
      },
    );
    return next;
  };

  return {
    async resolve(presentedKey) {
      await caughtUp();
      const presentedHash = hashServerKey(presentedKey);
      // Looking up by hash leaks nothing useful (an attacker cannot choose hash
      // prefixes); the final check is constant-time all the same.
      const key = byHash.get(presentedHash);
      if (!key || key.revoked) return undefined;
      if (!timingSafeEqual(Buffer.from(key.keyHash, 'hex'), Buffer.from(presentedHash, 'hex'))) return undefined;
      return { environmentId: key.environmentId, keyId: key.keyId };
    },
  };
};
