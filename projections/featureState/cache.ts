/** A small cache that forgets the least recently used clean entries beyond its size, so memory stays bounded. */
export const createCache = <T>(limit: number, load: (key: string) => T | undefined) => {
  const entries = new Map<string, T>();
  const dirty = new Set<string>();
  return {
    get(key: string): T | undefined {
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Re-inserted, so Map order is least recently used first.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const loaded = load(key);
      if (loaded !== undefined) entries.set(key, loaded);
      return loaded;
    },
    set(key: string, value: T) {
      entries.delete(key);
      entries.set(key, value);
      dirty.add(key);
    },
    dirty: () => dirty.size,
    /**
     * The changed entries, one at a time (the caller serializes each as it goes, so a
     * big batch never holds all its documents at once); once iterated to the end they
     * are clean and the least recently used clean entries beyond the limit are forgotten.
     */
    *drain(): Generator<[string, T]> {
      for (const key of dirty) yield [key, entries.get(key)!];
      dirty.clear();
      for (const key of entries.keys()) {
        if (entries.size <= limit) break;
        entries.delete(key);
      }
    },
  };
};
