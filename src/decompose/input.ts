import { prescaleExponent, unscale } from '../linalg/prescale.js';
import { scaleByPow2InPlace, sumSquares, timesPow2 } from '../tensor/scaled-norm.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Checks a tensor to decompose: at least `minModes` axes, no empty axis, every entry
 * finite. Returns max|X|. One pass over the data.
 * @throws RangeError naming the problem (too few modes, empty axis, the first non-finite entry).
 */
export function checkInputTensor(x: Tensor, fn: string, minModes = 1): number {
  if (x.ndim < minModes) {
    throw new RangeError(`${fn}: needs a tensor with at least ${minModes} modes, got shape [${x.shape.join(', ')}]`);
  }
  const empty = x.shape.indexOf(0);
  if (empty >= 0) throw new RangeError(`${fn}: axis ${empty} of the tensor (shape [${x.shape.join(', ')}]) is empty`);
  const data = x.toTypedArray();
  let big = 0;
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    // v − v is NaN for NaN and ±Infinity.
    if (v - v !== 0) throw new RangeError(`${fn}: the tensor has a non-finite entry ${v} at flat index ${p}`);
    const a = Math.abs(v);
    if (a > big) big = a;
  }
  return big;
}

/** A checked input tensor, scaled by a power of two into a range where no sum of squares over- or underflows. */
export interface NormalizedInput {
  /** X·2^exponent (X itself when the exponent is 0). */
  x: Tensor;
  /** The power of two applied; undo it on the result with {@link unscaleResult}. */
  exponent: number;
  /** ‖X·2^exponent‖_F² (in f64). */
  normSq: number;
}

/**
 * {@link checkInputTensor}, then the power-of-two pre-scaling every decomposition runs on:
 * a tensor whose largest entry is far from 1 (beyond 2^±256; 2^±40 for f32) is scaled into
 * [1/2, 1), so Gram matrices, squared singular values and error sums stay finite and
 * non-zero, and c·X decomposes to the same ranks and RSE as X. Scaling by a power of two
 * changes no mantissa; the decomposition multiplies one factor by 2^−exponent at the end.
 */
export function normalizedInput(x: Tensor, fn: string, minModes = 1): NormalizedInput {
  const big = checkInputTensor(x, fn, minModes);
  // The same safe range and exponent as the factorizations' pre-scaling.
  const exponent = prescaleExponent(big, x.dtype);
  let scaled = x;
  if (exponent !== 0) {
    const data = x.toTypedArray().slice();
    scaleByPow2InPlace(data, exponent);
    scaled = new Tensor(data, [...x.shape]);
  }
  const s = sumSquares(scaled.toTypedArray());
  return { x: scaled, exponent, normSq: timesPow2(s.ssq, 2 * s.exp) };
}

/** A copy of `t` times 2^exponent (`t` itself for 0): brings an init core or truth into the scaled units. */
export function scaleTensor(t: Tensor, exponent: number): Tensor {
  if (exponent === 0) return t;
  const data = t.toTypedArray().slice();
  scaleByPow2InPlace(data, exponent);
  return new Tensor(data, [...t.shape]);
}

/**
 * Undoes {@link normalizedInput} on the one factor that carries the scale (a copy).
 * @throws RangeError naming `fn` when the factor overflows the dtype: the decomposition
 *   of so large a tensor is not representable, and no result is better than an infinite one.
 */
export function unscaleResult(t: Tensor, exponent: number, fn: string, what: string): Tensor {
  if (exponent === 0) return t;
  const data = t.toTypedArray().slice();
  unscale(data, exponent, fn, what);
  return new Tensor(data, [...t.shape]);
}

/**
 * An RSE from the squared discarded and total norms (in the same scaled units).
 * @throws RangeError naming `fn` when it is not a number: an RSE of NaN is never reported.
 */
export function rseFromSums(discardedSq: number, normSq: number, fn: string): number {
  const rse = normSq === 0 ? (discardedSq === 0 ? 0 : Infinity) : Math.sqrt(discardedSq / normSq);
  if (Number.isNaN(rse)) throw new RangeError(`${fn}: the relative error could not be computed (the sums of squares are not finite)`);
  return rse;
}

/** Checks a relative tolerance option in [0, 1]. */
export function checkRse(rse: number, fn: string): void {
  if (typeof rse !== 'number' || !(rse >= 0 && rse <= 1)) throw new RangeError(`${fn}: rse must be a number in [0, 1], got ${rse}`);
}

/**
 * Expands a rank cap: one number for every bond, or one per bond (`count` of them).
 * Infinity entries mean "no cap".
 */
export function expandRanks(ranks: number | readonly number[] | undefined, count: number, fn: string, what = 'maxRank'): number[] {
  if (ranks === undefined) return new Array<number>(count).fill(Infinity);
  const list = typeof ranks === 'number' ? new Array<number>(count).fill(ranks) : [...ranks];
  if (list.length !== count) throw new RangeError(`${fn}: ${what} needs ${count} entries, got ${list.length} ([${list.join(', ')}])`);
  list.forEach((r, k) => {
    if (r !== Infinity && (!Number.isInteger(r) || r < 1)) throw new RangeError(`${fn}: ${what}[${k}] = ${r} is not an integer ≥ 1`);
  });
  return list;
}
