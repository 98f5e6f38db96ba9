// A server with Fastify's request log switched on (`rollout serve` keeps it off), so a
// test can read everything the server logs. Usage: node --import tsx loggingServer.ts STORE
import { openRollout } from '../../../src/app/openRollout.ts';
import { createMetrics } from '../../../src/http/metrics.ts';
import { createServer } from '../../../src/http/createServer.ts';

const metrics = createMetrics({ defaultMetrics: false });
const rollout = await openRollout({ store: process.argv[2]!, bus: { onResult: metrics.onResult } });
const app = createServer(rollout, { logger: true, metrics });
await rollout.projections.catchUp();
void rollout.projections.follow();
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stderr.write(`listening on ${address}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => rollout.close()).then(() => process.exit(0));
});
