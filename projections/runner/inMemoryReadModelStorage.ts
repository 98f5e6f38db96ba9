import type { Commit, DocumentWrite, Pointer, ReadModelStorage, Target } from './readModelStorage.ts';

type Row = { live: Pointer; rebuild?: Pointer };

/** The read model in process memory: for the in-memory store and tests. */
export const createInMemoryReadModelStorage = (projections: readonly string[]): ReadModelStorage => {
  const pointers = new Map<string, Row>();
  const generations = new Map<string, Map<string, Map<string, string>>>();
  let nextGeneration = 2;

  const generationOf = (projection: string, generation: number) => {
    const id = `${projection}/${generation}`;
    let docs = generations.get(id);
    if (!docs) generations.set(id, (docs = new Map()));
    return docs;
  };
  const kindOf = (projection: string, generation: number, kind: string) => {
    const docs = generationOf(projection, generation);
    let byKey = docs.get(kind);
    if (!byKey) docs.set(kind, (byKey = new Map()));
    return byKey;
  };

  for (const name of projections) {
    pointers.set(name, { live: { generation: 1, checkpoint: null, error: null } });
    generationOf(name, 1);
  }
  const rowOf = (projection: string): Row => {
    const row = pointers.get(projection);
    if (!row) throw new Error(`unknown projection ${projection}`);
    return row;
  };

  return {
    kind: 'memory',
    pointer: (projection, target: Target) => {
      const pointer = target === 'live' ? rowOf(projection).live : rowOf(projection).rebuild;
      return pointer && { ...pointer };
    },
    beginRebuild(projection) {
      const row = rowOf(projection);
      row.rebuild ??= { generation: nextGeneration++, checkpoint: null, error: null };
      generationOf(projection, row.rebuild.generation);
      return { ...row.rebuild };
    },
    get: (projection, generation, kind, key) => generations.get(`${projection}/${generation}`)?.get(kind)?.get(key),
    range(projection, generation, kind, prefix) {
      const byKey = generations.get(`${projection}/${generation}`)?.get(kind);
      if (!byKey) return [];
      return [...byKey.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .map((k) => byKey.get(k)!);
    },
    commit(commit: Commit) {
      const row = rowOf(commit.projection);
      const pointer = commit.target === 'live' ? row.live : row.rebuild;
      if (!pointer || pointer.generation !== commit.expected.generation || pointer.checkpoint !== commit.expected.checkpoint) return false;
      for (const [kind, key, doc] of commit.writes) kindOf(commit.projection, pointer.generation, kind).set(key, doc);
      pointer.checkpoint = commit.checkpoint;
      pointer.error = commit.error;
      return true;
    },
    switchToRebuild(projection) {
      const row = rowOf(projection);
      if (!row.rebuild) return 'none';
      if ((row.rebuild.checkpoint ?? -1n) < (row.live.checkpoint ?? -1n) || row.rebuild.error !== null) return 'behind';
      generations.delete(`${projection}/${row.live.generation}`);
      row.live = row.rebuild;
      delete row.rebuild;
      return 'switched';
    },
    snapshot: (read) => read(),
    dump(projection) {
      const docs = generations.get(`${projection}/${rowOf(projection).live.generation}`) ?? new Map<string, Map<string, string>>();
      const rows: DocumentWrite[] = [];
      for (const kind of [...docs.keys()].sort()) for (const key of [...docs.get(kind)!.keys()].sort()) rows.push([kind, key, docs.get(kind)!.get(key)!]);
      return rows;
    },
    close() {},
  };
};
