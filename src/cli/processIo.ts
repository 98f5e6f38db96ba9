import type { CliIo } from './cliContext.ts';

const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * A reader that went away (`rollout submit x | head -1`) must not stop the work half-way:
 * after EPIPE the output is dropped and the command still runs to the end.
 */
const writerTo = (stream: NodeJS.WriteStream) => {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text: string) => {
    if (!closed) stream.write(text);
  };
};

export const processIo = (): CliIo => ({
  stdout: writerTo(process.stdout),
  stderr: writerTo(process.stderr),
  readStdin: () => readAll(process.stdin),
  stderrIsTty: process.stderr.isTTY === true,
  stdinIsTty: process.stdin.isTTY === true,
});

/** Resolves once everything written so far has been handed to the OS (or the reader is gone). */
export const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
