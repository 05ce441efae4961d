/**
 * A stop request that crosses threads: element 0 of an Int32Array over a SharedArrayBuffer.
 * Long fits and searches check it at their safe points (between sweeps, between
 * evaluations) and end there with their best result so far. A signal handler (SIGINT,
 * SIGTERM) runs on the main thread's event loop, which a synchronous search blocks, so
 * the CLI runs its search on a worker thread and sets the flag from the main one; worker
 * threads that fit candidates receive the same buffer.
 */

/** A shared stop flag (see the module comment). */
export type StopFlag = Int32Array;

/** A new, unset stop flag (over shared memory, so it can be posted to worker threads). */
export function createStopFlag(): StopFlag {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** Whether a stop was requested on `flag` (never, without one). */
export function stopRequested(flag: StopFlag | undefined): boolean {
  return flag !== undefined && Atomics.load(flag, 0) !== 0;
}

/** Requests a stop: every holder of the flag ends at its next safe point. */
export function requestStop(flag: StopFlag): void {
  Atomics.store(flag, 0, 1);
}
