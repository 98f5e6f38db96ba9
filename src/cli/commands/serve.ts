import { DEFAULT_BODY_LIMIT } from '../../http/createServer.ts';
import { startServer } from '../../http/startServer.ts';
import { CliError, usageError } from '../cliError.ts';
import type { Subcommand } from '../cliContext.ts';
import { EXIT } from '../exitCodes.ts';
import { parseFlags } from '../parseFlags.ts';
import { storeSettingFrom } from '../storeOption.ts';

/** Shutdown must finish within the 5 s an orchestrator gives; past this we exit anyway. */
const SHUTDOWN_DEADLINE_MS = 4500;

const parsePort = (text: string, source: string): number => {
  const port = Number(text);
  if (!/^[0-9]+$/.test(text) || port > 65535) throw usageError(`${source}: "${text}" is not a port number (0-65535; 0 picks a free one)`);
  return port;
};

const parseBodyLimit = (text: string, source: string): number => {
  const match = /^([1-9][0-9]*)\s*(b|k|kb|kib|m|mb|mib)?$/i.exec(text.trim());
  if (!match) throw usageError(`${source}: "${text}" is not a size in bytes (e.g. 1048576, 512k or 2m)`);
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  return Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
};

/**
 * Resolves on the first SIGINT or SIGTERM and keeps swallowing later ones: a Ctrl-C under
 * `npm start` arrives twice (from the terminal and forwarded by npm), and the second must
 * not cut the graceful shutdown short (the shutdown deadline still bounds it).
 */
const waitForSignal = () => {
  let stopListening = () => {};
  const received = new Promise<NodeJS.Signals>((resolve) => {
    const onSigint = () => resolve('SIGINT');
    const onSigterm = () => resolve('SIGTERM');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    stopListening = () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    };
  });
  return { received, stopListening };
};

export const serve: Subcommand = {
  name: 'serve',
  summary: 'run the HTTP API (what npm start runs)',
  help: `Usage: rollout serve [--port N] [--host H] [--body-limit BYTES] [--read-wait MS] [--store SETTING]

Starts the HTTP API with the projections running inside it, prints its URL, and runs
until SIGINT or SIGTERM; then it stops accepting, lets in-flight requests finish,
stops the projections and closes the store (within 5 s).

Options:
  --port N             port (default: $PORT, else 8080; 0 picks a free port)
  --host H             interface (default: $HOST, else 127.0.0.1)
  --body-limit BYTES   largest request body, e.g. 1048576, 512k, 2m
                       (default: $ROLLOUT_BODY_LIMIT, else 1 MiB); larger ones get 413
  --read-wait MS       how long a read with ?minPosition waits for the projections
                       before answering 503 not_caught_up (default 5000)
  --store SETTING      see rollout --help

Exit: 0 after a clean shutdown; 2 bad usage; 1 cannot start (e.g. port in use).
`,
  async run(args, context) {
    const { values } = parseFlags(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'body-limit': { type: 'string' },
      'read-wait': { type: 'string' },
    });
    const { env, io } = context;
    const port = values.port !== undefined ? parsePort(values.port, '--port') : env.PORT ? parsePort(env.PORT, 'PORT') : 8080;
    const host = values.host ?? env.HOST ?? '127.0.0.1';
    const bodyLimitText = values['body-limit'] ?? env.ROLLOUT_BODY_LIMIT;
    const bodyLimit = bodyLimitText === undefined ? DEFAULT_BODY_LIMIT : parseBodyLimit(bodyLimitText, values['body-limit'] ? '--body-limit' : 'ROLLOUT_BODY_LIMIT');
    const readWaitText = values['read-wait'];
    if (readWaitText !== undefined && !/^[0-9]{1,7}$/.test(readWaitText)) throw usageError(`--read-wait: "${readWaitText}" is not a number of milliseconds`);
    const store = storeSettingFrom(values.store, env);

    const signal = waitForSignal();
    let server;
    try {
      server = await startServer({
        store,
        port,
        host,
        bodyLimit,
        ...(readWaitText !== undefined ? { readWaitMs: Number(readWaitText) } : {}),
        openRollout: context.openRollout,
        onProjectionError: (error) => io.stderr(`projections stopped: ${(error as Error).message}\n`),
        onInternalError: (what) => io.stderr(`internal error: ${what}\n`),
      });
    } catch (error) {
      signal.stopListening();
      const cause = error as NodeJS.ErrnoException;
      const where = cause.code === 'EADDRINUSE' || cause.code === 'EACCES' || cause.code === 'EADDRNOTAVAIL' ? `cannot listen on ${host}:${port}` : 'cannot start the server';
      throw new CliError(`${where}: ${env.ROLLOUT_DEBUG ? (cause.stack ?? cause.message) : cause.message}`);
    }
    io.stdout(`experiment-rollout listening on ${server.url} (store: ${server.storeDescription})\n`);

    const received = await signal.received;
    io.stderr(`${received}: shutting down (finishing in-flight requests)\n`);
    const deadline = setTimeout(() => {
      io.stderr(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; exiting\n`);
      process.exit(EXIT.failure);
    }, SHUTDOWN_DEADLINE_MS);
    try {
      await server.stop();
    } finally {
      clearTimeout(deadline);
      signal.stopListening();
    }
    io.stderr('stopped\n');
    return EXIT.ok;
  },
};
