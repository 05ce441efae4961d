import cliProgress from 'cli-progress';

/** A progress reporter on stderr: a bar on a terminal, nothing otherwise (stdout stays clean for --json). */
export interface Progress {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

export function createProgress(): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: ' {bar} {value}/{total} | {label} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label) {
      if (!started) {
        bar.start(total, done, { label });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { label });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
