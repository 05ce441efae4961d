/**
 * Worker-thread entry of the long commands (see run-in-thread.ts): runs one command's
 * computation with the shared stop flag, posts its progress lines and its result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { StopFlag } from '../decompose/stop-flag.js';
import { runComplete, type CompleteCliOptions } from './complete.js';
import { runSearch, type SearchCliOptions } from './search.js';

/** What the main thread sends (workerData). */
export interface CommandJob {
  command: 'search' | 'complete';
  input: string;
  opts: SearchCliOptions | CompleteCliOptions;
  stop: StopFlag;
  progress: boolean;
}

const job = workerData as CommandJob;
const onProgress = job.progress ? (line: string): void => parentPort!.postMessage({ progress: line }) : undefined;
const result = job.command === 'search'
  ? runSearch(job.input, job.opts as SearchCliOptions, onProgress, job.stop)
  : runComplete(job.input, job.opts as CompleteCliOptions, onProgress, job.stop);
parentPort!.postMessage({ result });
