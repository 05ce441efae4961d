/**
 * The pieces TT-SVD and TR-SVD share: the checked input, the left-to-right sweep of
 * truncated SVDs over the modes, and the result record built from its cores. `ring`
 * selects the tensor ring's conventions (N bonds and at least 3 modes, against a train's
 * N−1 bonds).
 */
import { paramCount } from '../network/index.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { checkRse, expandRanks, normalizedInput, rseFromSums, unscaleResult } from './input.js';
import { fromNaturalCores } from '../network/core-layout.js';
import { ringRankMatrix } from '../network/topologies.js';
import { trainRankMatrix } from './rank-matrix.js';
import { truncatedSplit } from './truncate.js';

/** The options both sweeps take. */
export interface SvdSweepOptions {
  maxRank?: number | readonly number[];
  rse?: number;
}

/** The checked input of a sweep. */
export interface SvdSweepInput {
  /** The tensor to sweep: X scaled by 2^exponent (see `normalizedInput`). */
  x: Tensor;
  /** The power of two X was scaled by; {@link sweptDecomposition} undoes it. */
  exponent: number;
  /** ‖x‖_F² of the scaled tensor (in f64). */
  normSq: number;
  /** The target relative error (default 0). */
  rse: number;
  dims: number[];
  /** The rank cap of each bond (Infinity: none): N−1 of them for a train, N for a ring. */
  caps: number[];
}

/**
 * Checks the tensor (at least 3 modes for a ring), rse and maxRank, in that order,
 * and pre-scales the tensor by a power of two when its entries are far from 1.
 * @throws RangeError naming `fn` and the problem.
 */
export function checkSweepInput(x: Tensor, options: SvdSweepOptions, fn: string, ring: boolean): SvdSweepInput {
  const { x: scaled, exponent, normSq } = normalizedInput(x, fn, ring ? 3 : 1);
  const { rse = 0 } = options;
  checkRse(rse, fn);
  const dims = [...x.shape];
  const n = dims.length;
  const caps = expandRanks(options.maxRank, ring ? n : n - 1, fn);
  return { x: scaled, exponent, normSq, rse, dims, caps };
}

/** The running state of a sweep; {@link sweepModes} advances it. */
export interface SvdSweep {
  /** Cores split off so far, in the natural layout `[left bond, d_k, right bond]`. */
  readonly naturals: Tensor[];
  /** Their right bonds. */
  readonly ranks: number[];
  /** The remainder, row-major `left × (cols)`, the modes not yet split off. */
  rest: FloatArray;
  /** The remainder's left bond: the last core's right bond. */
  left: number;
  /** The product of the remainder's modes (with anything carried along the last one). */
  cols: number;
  /** Σ of the squared singular values discarded so far. */
  discardedSq: number;
}

/**
 * Splits modes `from` … `to−1` off the remainder in turn: each a truncated SVD of the
 * (left·d_k) × (cols/d_k) unfolding that discards at most `budgetSq`, capped at caps[k].
 */
export function sweepModes(sweep: SvdSweep, dims: readonly number[], from: number, to: number, budgetSq: number, caps: readonly number[]): void {
  for (let k = from; k < to; k++) {
    const rows = sweep.left * dims[k]!;
    sweep.cols /= dims[k]!;
    const split = truncatedSplit(sweep.rest, rows, sweep.cols, budgetSq, caps[k]);
    sweep.naturals.push(new Tensor(split.u, [sweep.left, dims[k]!, split.rank]));
    sweep.ranks.push(split.rank);
    sweep.discardedSq += split.discardedSq;
    sweep.rest = split.w;
    sweep.left = split.rank;
  }
}

/** A decomposition made by a sweep. */
export interface SweptDecomposition {
  /** Cores in the rank-matrix layout. */
  cores: Tensor[];
  ranks: number[];
  rankMatrix: number[][];
  params: number;
  /** ‖X̂ − X‖/‖X‖, exact from the discarded singular values (every split is orthogonal). */
  rse: number;
}

/**
 * The result of a finished sweep: its natural cores (all N), bond ranks and discarded
 * weight (in the units of the scaled input). The last core, the only one not orthonormal,
 * takes back the input's scale 2^−exponent.
 * @throws RangeError naming `fn` when that core overflows or the RSE is not a number.
 */
export function sweptDecomposition(
  naturals: readonly Tensor[], ranks: number[], ring: boolean, dims: readonly number[],
  discardedSq: number, normSq: number, exponent: number, fn: string,
): SweptDecomposition {
  const last = naturals.length - 1;
  const unscaled = naturals.map((t, k) => (k === last ? unscaleResult(t, exponent, fn, 'entries of the last core') : t));
  const cores = fromNaturalCores(unscaled, ring);
  const rankMatrix = ring ? ringRankMatrix(ranks.length, ranks) : trainRankMatrix(ranks);
  return {
    cores,
    ranks,
    rankMatrix,
    params: paramCount(rankMatrix, dims),
    rse: rseFromSums(discardedSq, normSq, fn),
  };
}
