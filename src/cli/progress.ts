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

/** A one-line status on stderr for a long search: time used of its budget and the best result so far. */
export interface StatusLine {
  /** Shows `text` (the best so far) from now on. */
  set(text: string): void;
  stop(): void;
}

/**
 * A status line on a terminal (nothing otherwise): a bar of the seconds used out of
 * `budgetSeconds` (elapsed seconds without a budget) and the latest text, redrawn every
 * second while the work runs on another thread.
 */
export function createStatusLine(budgetSeconds: number | undefined): StatusLine {
  if (!process.stderr.isTTY) return { set() {}, stop() {} };
  const bounded = budgetSeconds !== undefined && budgetSeconds > 0;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr, hideCursor: true, clearOnComplete: true,
      format: bounded ? ' {bar} {value}/{total} s | {text}' : ' {value} s | {text}',
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let text = 'starting';
  const seconds = (): number => Math.round((Date.now() - started) / 1000);
  bar.start(bounded ? Math.ceil(budgetSeconds) : 0, 0, { text });
  const timer = setInterval(() => bar.update(seconds(), { text }), 1000);
  timer.unref();
  return {
    set(t) {
      text = t;
      bar.update(seconds(), { text });
    },
    stop() {
      clearInterval(timer);
      bar.stop();
    },
  };
}
