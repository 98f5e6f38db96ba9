import cliProgress from 'cli-progress';
import type { RebuildProgress } from '../../src/app/rollout.ts';

/** A progress bar on stderr when it is a terminal (events done, events/s, time left); otherwise nothing. */
export const createProgressBar = (title: string, stream: NodeJS.WriteStream = process.stderr) => {
  if (!stream.isTTY) return { update: (_: RebuildProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${title} [{bar}] {value}/{total} events | {rate} events/s | {eta_formatted} left`,
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let startDone: number | undefined;
  let running = false;
  return {
    update({ done, total }: RebuildProgress) {
      startDone ??= done;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round((done - startDone) / seconds) : 0;
      if (!running) {
        bar.start(total, done, { rate });
        running = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { rate });
      }
    },
    stop() {
      if (running) bar.stop();
    },
  };
};
