import { openRollout } from '../app/openRollout.ts';
import { flushed, processIo } from './processIo.ts';
import { runCli } from './runCli.ts';
import { subcommands } from './subcommands.ts';

const code = await runCli(process.argv.slice(2), { io: processIo(), env: process.env, openRollout }, subcommands);
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Exit explicitly: a store client (e.g. gRPC for EventStoreDB) may keep the loop alive after close.
process.exit(code);
