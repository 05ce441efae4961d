/**
 * Entry of an {@link EvaluationPool} worker thread (run from dist/search/fit-worker.js):
 * fits the structures the pool sends, on the same kernel backend as the main thread.
 */
import { workerData } from 'node:worker_threads';
import type { BackendName } from '../kernels/kernel.js';
import { setBackend } from '../kernels/registry.js';
import { serveFitJobs, type WorkerInit } from './worker-pool.js';

serveFitJobs(workerData as WorkerInit, (name) => {
  setBackend(name as BackendName);
});
