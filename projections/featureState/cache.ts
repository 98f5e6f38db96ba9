/**
 * A small cache that forgets clean entries beyond its size, so memory stays bounded.
 * Eviction is second-chance (clock): an entry read since the last eviction pass is kept
 * and moved to the back once; a full LRU would reorder the map on every read, and on a
 * rebuild's million reads that churn costs more than the misses it saves.
 */
export const createCache = <T>(limit: number, load: (key: string) => T | undefined) => {
  const entries = new Map<string, T>();
  const dirty = new Set<string>();
  const recentlyRead = new Set<string>();
  return {
    get(key: string): T | undefined {
      const hit = entries.get(key);
      if (hit !== undefined) {
        if (entries.size > limit / 2) recentlyRead.add(key);
        return hit;
      }
      const loaded = load(key);
      if (loaded !== undefined) entries.set(key, loaded);
      return loaded;
    },
    set(key: string, value: T) {
      entries.set(key, value);
      dirty.add(key);
    },
    dirty: () => dirty.size,
    /**
     * The changed entries, one at a time (the caller serializes each as it goes, so a
     * big batch never holds all its documents at once); once iterated to the end they
     * are clean and clean entries beyond the limit are forgotten, oldest unread first.
     */
    *drain(): Generator<[string, T]> {
      for (const key of dirty) yield [key, entries.get(key)!];
      dirty.clear();
      for (const [key, value] of entries) {
        if (entries.size <= limit) break;
        entries.delete(key);
        if (recentlyRead.delete(key)) entries.set(key, value);
      }
      recentlyRead.clear();
    },
  };
};
