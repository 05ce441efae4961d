import { Tensor } from '../tensor/tensor.js';
import { checkInputTensor, checkRelTol, expandRanks } from './input.js';
import { fromNaturalCores } from './natural-cores.js';
import { trainRankMatrix } from './rank-matrix.js';
import { paramCount } from '../network/index.js';
import { truncatedSplit } from './truncate.js';

/** Options of {@link ttSvd}. */
export interface TtSvdOptions {
  /** Cap on the bond dimensions: one number for all, or N−1 of them (default: none). */
  maxRanks?: number | readonly number[];
  /**
   * Target relative error ‖X̂ − X‖/‖X‖ (in [0, 1]; default 0: exact up to rounding,
   * ranks then are the full unfolding ranks unless capped).
   */
  relTol?: number;
}

/** A tensor train (also the result shape of the other rank-matrix decompositions). */
export interface TtDecomposition {
  /** Core k has axes [d_k, r_{k−1} (if k > 0 and > 1), r_k (if k < N−1 and > 1)]. */
  cores: Tensor[];
  /** ranks[k]: the bond between cores k and k+1 (N−1 entries). */
  ranks: number[];
  /** The same structure as a rank matrix. */
  rankMatrix: number[][];
  /** Parameters: Σ of the core sizes. */
  params: number;
  /** ‖X̂ − X‖/‖X‖, exact: the TT-SVD error is the root sum of the discarded singular values². */
  rse: number;
}

/**
 * TT-SVD (Oseledets 2011): sweeps left to right, each step a truncated SVD of the
 * (r_{k−1}·d_k) × (d_{k+1}⋯d_{N−1}) unfolding of the remainder. The error budget
 * relTol·‖X‖ is split evenly over the N−1 truncations (each discards at most
 * relTol·‖X‖/√(N−1)), so the total RSE is ≤ relTol. Rank caps take precedence over
 * relTol. Runs in the tensor's dtype (f64 or f32) on the kernel's SVD.
 * @throws RangeError for an empty or non-finite tensor or a bad option.
 */
export function ttSvd(x: Tensor, options: TtSvdOptions = {}): TtDecomposition {
  const fn = 'ttSvd';
  const normSq = checkInputTensor(x, fn);
  const { relTol = 0 } = options;
  checkRelTol(relTol, fn);
  const dims = [...x.shape];
  const n = dims.length;
  const caps = expandRanks(options.maxRanks, n - 1, fn);
  const budgetSq = n > 1 ? (relTol * relTol * normSq) / (n - 1) : 0;

  const naturals: Tensor[] = [];
  const ranks: number[] = [];
  let rest = x.toTypedArray();
  let left = 1;
  let discardedSq = 0;
  let cols = x.size;
  for (let k = 0; k < n - 1; k++) {
    const rows = left * dims[k]!;
    cols /= dims[k]!;
    const split = truncatedSplit(rest, rows, cols, budgetSq, caps[k]);
    naturals.push(new Tensor(split.u, [left, dims[k]!, split.rank]));
    ranks.push(split.rank);
    discardedSq += split.discardedSq;
    rest = split.w;
    left = split.rank;
  }
  naturals.push(new Tensor(n === 1 ? rest.slice() : rest, [left, dims[n - 1]!, 1]));
  const cores = fromNaturalCores(naturals, false);
  const rankMatrix = trainRankMatrix(ranks);
  return {
    cores,
    ranks,
    rankMatrix,
    params: paramCount(rankMatrix, dims),
    rse: normSq === 0 ? 0 : Math.sqrt(discardedSq / normSq),
  };
}
