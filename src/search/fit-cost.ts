/**
 * What one ALS sweep on a structure costs, so that a search with a time budget does not
 * start a fit it cannot afford: fitCores' first sweep always runs, and on a fully
 * connected 4^8 network with bonds up to 4 (TNGA's random first generation) one sweep
 * forms 16384 × 16384 Gram matrices — minutes and gigabytes for a candidate that could
 * never compress the tensor anyway.
 */
import { coreShape, type RankMatrix } from '../network/index.js';
import { zeros } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** Multiply-adds per second assumed for the estimate (measured on the 2-core reference machine). */
export const SWEEP_RATE = 1.5e10;

/**
 * Estimated seconds of one ALS sweep on structure R: Σ_i (N/d_i)·b_i² multiply-adds for
 * the normal equations of core i (b_i = Π_j R_ij, its bond size), at {@link SWEEP_RATE}.
 */
export function sweepSeconds(R: RankMatrix, dims: readonly number[]): number {
  const size = dims.reduce((p, d) => p * d, 1);
  let work = 0;
  R.forEach((row, i) => {
    const b = row.reduce((q, r, j) => (j === i ? q : q * r), 1);
    work += (size / dims[i]!) * b * b;
  });
  return work / SWEEP_RATE;
}

/**
 * Cores of structure R that are zero everywhere (the network's value is 0, RSE 1): how a
 * candidate that is not fitted is scored without contracting it.
 */
export function zeroCores(R: RankMatrix, dims: readonly number[], dtype: DType): Tensor[] {
  return dims.map((_, i) => zeros(coreShape(i, dims, R), { dtype }));
}

/**
 * Whether a network is zero everywhere because one of its cores is: such cores (a
 * structure scored without fitting, see {@link zeroCores}) carry nothing to start from,
 * so fits take a seeded random start instead of warm-starting from them.
 */
export function isZeroNetwork(cores: readonly Tensor[]): boolean {
  return cores.some((c) => c.toTypedArray().every((v) => v === 0));
}
