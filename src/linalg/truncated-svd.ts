import { allocate } from '../tensor/dtype.js';
import { scaledTailSums, timesPow2 } from '../tensor/scaled-norm.js';
import { Tensor } from '../tensor/tensor.js';
import { asFiniteMatrix } from './matrix-input.js';
import { svdArrays } from './svd.js';

/** Options of {@link truncatedSvd}. */
export interface TruncatedSvdOptions {
  /** Keep at most this many singular values (a positive integer; default: all). */
  maxRank?: number;
  /**
   * Drop the tail of singular values whose norm √(Σ_{i≥r} s_i²) is at most
   * rse·‖A‖_F (in [0, 1]; default 0: drop only exact zeros).
   */
  rse?: number;
}

/** A truncated SVD A ≈ U·diag(S)·Vt of rank `rank`. */
export interface TruncatedSvd {
  /** m×rank. */
  U: Tensor;
  /** rank values, descending. */
  S: Tensor;
  /** rank×n. */
  Vt: Tensor;
  rank: number;
  /** √(Σ of the discarded s_i²) = ‖A − U·diag(S)·Vt‖_F. */
  discardedNorm: number;
}

/**
 * The best rank-r approximation of a 2-D tensor in the Frobenius norm (Eckart–Young):
 * the smallest r whose discarded tail norm is ≤ rse·‖A‖_F, capped at maxRank. At least
 * one value is kept (unless A is empty), so a tensor-network bond never vanishes.
 * @throws RangeError for a non-2-D or non-finite input, or a bad option (named).
 */
export function truncatedSvd(a: Tensor, options: TruncatedSvdOptions = {}): TruncatedSvd {
  const { data, rows: m, cols: n } = asFiniteMatrix(a, 'truncatedSvd');
  const k = Math.min(m, n);
  const { maxRank = k, rse = 0 } = options;
  if (!Number.isInteger(maxRank) || maxRank < 1) {
    throw new RangeError(`truncatedSvd: maxRank must be a positive integer, got ${maxRank}`);
  }
  if (!(rse >= 0 && rse <= 1)) throw new RangeError(`truncatedSvd: rse must be in [0, 1], got ${rse}`);

  const { u, s, vt } = svdArrays(data, m, n);
  // tail[r] = Σ_{i≥r} (s_i·2^−exp)², relative to the largest value so that singular values
  // near 10^±300 neither overflow nor vanish when squared.
  const { exp, tail } = scaledTailSums(s);
  const budget = rse * rse * tail[0]!;
  let rank = 0;
  while (rank < k && tail[rank]! > budget) rank++;
  rank = Math.min(Math.max(rank, Math.min(1, k)), maxRank, k);

  const U = allocate(a.dtype, m * rank);
  for (let i = 0; i < m; i++) U.set(u.subarray(i * k, i * k + rank), i * rank);
  return {
    U: new Tensor(U, [m, rank]),
    S: new Tensor(s.slice(0, rank), [rank]),
    Vt: new Tensor(vt.slice(0, rank * n), [rank, n]),
    rank,
    discardedNorm: timesPow2(Math.sqrt(tail[rank]!), exp),
  };
}
