// Rebuilds the read model of a SQLite file, printing "done total" per batch (for the kill -9 test).
import { openRollout } from '../../../src/app/openRollout.ts';

const main = async () => {
  const [path, batchSize] = process.argv.slice(2);
  const rollout = await openRollout({ store: `sqlite:${path}?synchronous=normal`, rebuildBatchSize: Number(batchSize ?? 500) });
  await rollout.projections.rebuild({ onProgress: ({ done, total }) => process.stdout.write(`${done} ${total}\n`) });
  process.stdout.write('finished\n');
  await rollout.close();
};
void main();
