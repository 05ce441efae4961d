/** Options of {@link rocAuc}. */
export interface RocAucOptions {
  /** The label of the positive class (default 1); every other label is negative. */
  positiveLabel?: number;
}

/**
 * Exact area under the ROC curve: the probability that a random positive scores above a
 * random negative, ties counting one half (the Mann–Whitney U statistic). Computed from
 * the ranks of the scores with average ranks for ties, in O(n log n):
 * AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ n₋), R₊ = sum of the positives' ranks.
 * Higher scores mean "more positive".
 * @throws RangeError for length mismatch, non-finite scores, or a single class present.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>, options: RocAucOptions = {}): number {
  const n = yTrue.length;
  if (scores.length !== n) throw new RangeError(`rocAuc: ${n} labels but ${scores.length} scores`);
  const positive = options.positiveLabel ?? 1;
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i]!)) throw new RangeError(`rocAuc: score ${i} is ${scores[i]}; scores must be finite`);
    if (yTrue[i] === positive) nPos++;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new RangeError(`rocAuc: needs both classes, got ${nPos} positives (label ${positive}) and ${nNeg} negatives`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    // Ranks start+1 … end share their average.
    const avg = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (yTrue[order[k]!] === positive) rankSum += avg;
    start = end;
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
