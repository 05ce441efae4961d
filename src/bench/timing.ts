/** Median wall time of `fn` in milliseconds, after one warm-up call. */
export function medianMs(fn: () => void, minSeconds = 0.3, minReps = 3, maxReps = 200): number {
  fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || (performance.now() - start < minSeconds * 1000 && times.length < maxReps)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
