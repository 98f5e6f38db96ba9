/** A small cache that forgets the oldest clean entries beyond its size, so memory stays bounded. */
export const createCache = <T>(limit: number, load: (key: string) => T | undefined) => {
  const entries = new Map<string, T>();
  const dirty = new Set<string>();
  return {
    get(key: string): T | undefined {
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const loaded = load(key);
      if (loaded !== undefined) entries.set(key, loaded);
      return loaded;
    },
    set(key: string, value: T) {
      entries.set(key, value);
      dirty.add(key);
    },
    dirty: () => dirty.size,
    drain(write: (key: string, value: T) => void) {
      for (const key of dirty) write(key, entries.get(key)!);
      dirty.clear();
      for (const key of entries.keys()) {
        if (entries.size <= limit) break;
        entries.delete(key);
      }
    },
  };
};
