/**
 * Serialises work on one stream inside this process, so commands from the same process
 * never race each other into a conflict; other processes are still caught by the
 * store's expected-revision check and retried.
 */
export const createStreamLock = () => {
  const tails = new Map<string, Promise<void>>();
  return async <T>(streamId: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(streamId) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    tails.set(streamId, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (tails.get(streamId) === tail) tails.delete(streamId);
    }
  };
};
