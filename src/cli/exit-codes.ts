/**
 * Exit statuses of the long commands (search, complete), documented in docs/cli.md. A run
 * that ends early keeps its best result: it is printed and every output is written before
 * the process exits with one of these.
 */
export const EXIT_CODES = {
  /** Finished and met its target (or has none). */
  ok: 0,
  /** An error: bad input or flags, or a failure; nothing was computed or written. */
  error: 1,
  /** The result misses its target RSE (the search finished, or its budget ran out). */
  targetMissed: 3,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  terminated: 143,
} as const;

/** The exit status of a run: the signal that stopped it, else whether it met its target. */
export function exitCodeOf(met: boolean | undefined, signal?: 'SIGINT' | 'SIGTERM'): number {
  if (signal === 'SIGINT') return EXIT_CODES.interrupted;
  if (signal === 'SIGTERM') return EXIT_CODES.terminated;
  return met === false ? EXIT_CODES.targetMissed : EXIT_CODES.ok;
}
