import { svdArrays } from '../linalg/svd.js';
import { allocate, dtypeOf, type FloatArray } from '../tensor/dtype.js';
import { scaledTailSums, timesPow2 } from '../tensor/scaled-norm.js';

/** A rank-r split A ≈ U·W of an m×n matrix from its truncated SVD, W = diag(s)·Vt. */
export interface TruncatedSplit {
  /** m×rank, orthonormal columns. */
  u: FloatArray;
  /** rank×n: the singular values times the right singular vectors. */
  w: FloatArray;
  rank: number;
  /** Σ of the discarded s_i² = ‖A − U·W‖_F². */
  discardedSq: number;
  /** Σ of all s_i² = ‖A‖_F². */
  totalSq: number;
}

/**
 * Truncated SVD of a row-major m×n array keeping the fewest singular values whose
 * discarded tail Σ s_i² is ≤ `budgetSq` (an absolute squared error), capped at `maxRank`,
 * at least one. The SVD runs on the active kernel (LAPACK gesdd on native).
 */
export function truncatedSplit(a: FloatArray, m: number, n: number, budgetSq: number, maxRank = Infinity): TruncatedSplit {
  const k = Math.min(m, n);
  const { u, s, vt } = svdArrays(a, m, n);
  // tail[r] = Σ_{i≥r} (s_i·2^−exp)², relative to the largest value (scaled-norm.ts), so
  // the squares neither overflow nor vanish; the budget is brought into the same units.
  const { exp, tail } = scaledTailSums(s);
  const budget = timesPow2(budgetSq, -2 * exp);
  let rank = 0;
  while (rank < k && tail[rank]! > budget) rank++;
  rank = Math.max(1, Math.min(rank, maxRank, k));
  const dtype = dtypeOf(a);
  let uOut: FloatArray;
  if (rank === k) {
    uOut = u;
  } else {
    uOut = allocate(dtype, m * rank);
    for (let i = 0; i < m; i++) uOut.set(u.subarray(i * k, i * k + rank), i * rank);
  }
  const w = vt.subarray(0, rank * n);
  for (let i = 0; i < rank; i++) {
    const si = s[i]!;
    const row = w.subarray(i * n, (i + 1) * n);
    for (let j = 0; j < n; j++) row[j] = row[j]! * si;
  }
  return { u: uOut, w, rank, discardedSq: timesPow2(tail[rank]!, 2 * exp), totalSq: timesPow2(tail[0]!, 2 * exp) };
}
