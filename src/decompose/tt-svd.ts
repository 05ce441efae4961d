import { Tensor } from '../tensor/tensor.js';
import { checkSweepInput, sweepModes, sweptDecomposition, type SvdSweep } from './svd-sweep.js';

/** Options of {@link ttSvd}. */
export interface TtSvdOptions {
  /** Cap on the bond dimensions: one number for all, or N−1 of them (default: none). */
  maxRank?: number | readonly number[];
  /**
   * Target relative error ‖X̂ − X‖/‖X‖ (in [0, 1]; default 0: exact up to rounding,
   * ranks then are the full unfolding ranks unless capped).
   */
  rse?: number;
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
 * rse·‖X‖ is split evenly over the N−1 truncations (each discards at most
 * rse·‖X‖/√(N−1)), so the total RSE is ≤ rse. Rank caps take precedence over
 * rse. Runs in the tensor's dtype (f64 or f32) on the kernel's SVD; a tensor with
 * entries far from 1 is pre-scaled by a power of two, so c·X gets X's ranks and RSE.
 * @throws RangeError for an empty or non-finite tensor, a bad option, or cores that
 *   overflow the dtype.
 */
export function ttSvd(x: Tensor, options: TtSvdOptions = {}): TtDecomposition {
  const { x: scaled, exponent, normSq, rse, dims, caps } = checkSweepInput(x, options, 'ttSvd', false);
  const n = dims.length;
  const budgetSq = n > 1 ? (rse * rse * normSq) / (n - 1) : 0;
  const sweep: SvdSweep = { naturals: [], ranks: [], rest: scaled.toTypedArray(), left: 1, cols: x.size, discardedSq: 0 };
  sweepModes(sweep, dims, 0, n - 1, budgetSq, caps);
  sweep.naturals.push(new Tensor(n === 1 ? sweep.rest.slice() : sweep.rest, [sweep.left, dims[n - 1]!, 1]));
  return sweptDecomposition(sweep.naturals, sweep.ranks, false, dims, sweep.discardedSq, normSq, exponent, 'ttSvd');
}
