/**
 * Runs a long command (search, complete) so that SIGINT and SIGTERM can stop it at a safe
 * point: the computation is synchronous, and a signal handler only runs when the main
 * thread's event loop is free, so the work runs on a worker thread and the main thread
 * sets the shared stop flag (stop-flag.ts) when a signal arrives. The search then ends at
 * its next safe point and returns its best result so far, which the command prints and
 * saves as usual. A second signal exits at once.
 *
 * Run from the TypeScript sources (tests), where there is no compiled worker entry, the
 * command runs on this thread: everything but the signal handling is the same.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createStopFlag, requestStop, type StopFlag } from '../decompose/stop-flag.js';
import type { CommandJob } from './command-thread.js';
import { EXIT_CODES } from './exit-codes.js';
import { createStatusLine } from './progress.js';

/** A command's result and the signal that stopped it early, if any. */
export interface ThreadRun<T> {
  result: T;
  signal?: 'SIGINT' | 'SIGTERM';
}

/**
 * Runs a command on a worker thread (the compiled command-thread.js beside this module),
 * the same as `inline(onProgress, stop)` would here, with SIGINT/SIGTERM setting `stop` and
 * its progress lines on a status line (a bar over `budgetSeconds` on a terminal).
 */
export async function runInThread<T>(
  command: CommandJob['command'], input: string, opts: CommandJob['opts'], budgetSeconds: number,
  inline: (onProgress: (line: string) => void, stop: StopFlag) => T,
): Promise<ThreadRun<T>> {
  const status = createStatusLine(budgetSeconds);
  try {
    return await runWithSignals(command, input, opts, (line) => status.set(line), inline);
  } finally {
    status.stop();
  }
}

async function runWithSignals<T>(
  command: CommandJob['command'], input: string, opts: CommandJob['opts'], onProgress: (line: string) => void,
  inline: (onProgress: (line: string) => void, stop: StopFlag) => T,
): Promise<ThreadRun<T>> {
  const stop = createStopFlag();
  const script = fileURLToPath(new URL('./command-thread.js', import.meta.url));
  if (!import.meta.url.endsWith('.js') || !existsSync(script)) return { result: inline(onProgress, stop) };
  let signal: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (s: 'SIGINT' | 'SIGTERM'): void => {
    if (signal !== undefined) {
      process.stderr.write(`tnkit: ${s} again: quitting without saving\n`);
      process.exit(s === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated);
    }
    signal = s;
    requestStop(stop);
    process.stderr.write(`\ntnkit: ${s}: stopping at the next safe point, then printing and saving the best result so far (${s === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again quits at once)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const job: CommandJob = { command, input, opts, stop, progress: true };
    const result = await new Promise<T>((resolve, reject) => {
      const worker = new Worker(script, { workerData: job });
      let done = false;
      worker.on('message', (m: { progress?: string; result?: T }) => {
        if (m.progress !== undefined) onProgress(m.progress);
        else {
          done = true;
          resolve(m.result as T);
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (!done) reject(new Error(`the ${command} thread exited (status ${code}) without a result`));
      });
    });
    return signal === undefined ? { result } : { result, signal };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
