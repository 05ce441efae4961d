import type { Tensor } from '../tensor/tensor.js';
import { fitCores, type FitCoresOptions, type FitCoresResult } from './fit-cores.js';
import { ringRankMatrix } from '../network/topologies.js';
import { paramCount } from '../network/index.js';

/** Result of {@link trAls}: the fit plus the ring's structure. */
export interface TrAlsResult extends FitCoresResult {
  /** ranks[k]: the bond between cores k and k+1 mod N. */
  ranks: number[];
  rankMatrix: number[][];
  params: number;
}

/**
 * Tensor-ring ALS (Zhao et al. 2016, TR-ALS) with fixed ranks: ranks[k] joins cores k and
 * k+1 (mod N), so ranks[N−1] closes the ring. It is {@link fitCores} on the ring's rank
 * matrix; the options (iters, tol, seed, mask for completion, warm start) are fitCores'.
 * @throws RangeError for fewer than 3 modes or ranks that do not match the tensor.
 */
export function trAls(x: Tensor, ranks: readonly number[], options: FitCoresOptions = {}): TrAlsResult {
  if (ranks.length !== x.ndim) {
    throw new RangeError(`trAls: a tensor ring over ${x.ndim} modes needs ${x.ndim} ranks, got ${ranks.length} ([${ranks.join(', ')}])`);
  }
  const rankMatrix = ringRankMatrix(ranks.length, ranks);
  const fit = fitCores(x, rankMatrix, options);
  return { ...fit, ranks: [...ranks], rankMatrix, params: paramCount(rankMatrix, x.shape) };
}
