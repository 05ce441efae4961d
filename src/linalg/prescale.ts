import { dtypeOf, type DType, type FloatArray } from '../tensor/dtype.js';
import { maxAbsOf, normalizingExponent, scaleByPow2InPlace } from '../tensor/scaled-norm.js';

/**
 * Power-of-two pre-scaling of a factorization's input, as LAPACK's drivers do (dgesdd,
 * dsyevd scale a matrix whose norm is outside [smlnum, bignum]): a matrix whose largest
 * entry is far from 1 is multiplied by 2^e so that it lies in [1/2, 1), factored, and the
 * values (singular values, R, eigenvalues) are multiplied back by 2^−e. A power of two
 * changes no mantissa, so every backend returns c·(the factors of X) for c·X to rounding,
 * and subnormal or huge entries never reach the reflectors, rotations or gemms.
 */

/** Largest entries in [2^−SAFE_EXP, 2^SAFE_EXP] are factored as given (f64): squares and products stay normal. */
const SAFE_EXP_F64 = 256;
/** The same bound for f32, whose own range is 2^±126. */
const SAFE_EXP_F32 = 40;

/** A matrix pre-scaled for factoring: data = a·2^exponent. */
export interface Prescaled {
  /** The input itself when no scaling was needed (do not write), else a scaled copy. */
  data: FloatArray;
  /** The power of two applied (0: none). */
  exponent: number;
}

/**
 * The power of two that {@link prescale} applies to data of `dtype` whose largest magnitude
 * is the finite `big`: 0 inside the safe range (see above), else the exponent that brings
 * `big` into [1/2, 1).
 */
export function prescaleExponent(big: number, dtype: DType): number {
  const safe = dtype === 'f64' ? SAFE_EXP_F64 : SAFE_EXP_F32;
  return big === 0 || (big >= 2 ** -safe && big <= 2 ** safe) ? 0 : normalizingExponent(big);
}

/**
 * Checks that every entry is finite and scales the matrix by a power of two when its
 * largest entry is outside the safe range (see above).
 * @throws RangeError naming `fn` for a NaN or infinite entry.
 */
export function prescale(a: FloatArray, fn: string): Prescaled {
  const big = maxAbsOf(a);
  if (!(big < Infinity)) throw new RangeError(`${fn}: the matrix has a non-finite entry (${big})`);
  const exponent = prescaleExponent(big, dtypeOf(a));
  if (exponent === 0) return { data: a, exponent: 0 };
  const data = a.slice();
  scaleByPow2InPlace(data, exponent);
  return { data, exponent };
}

/**
 * Undoes {@link prescale} on computed values in place (x ← x·2^−exponent).
 * @throws RangeError naming `fn` and `what` when a value overflows the dtype: the true
 *   result is not representable, so no result is returned rather than an infinite one.
 */
export function unscale(x: FloatArray, exponent: number, fn: string, what: string): void {
  if (exponent === 0) return;
  scaleByPow2InPlace(x, -exponent);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw new RangeError(
        `${fn}: the ${what} overflow ${dtypeOf(x) === 'f64' ? 'float64' : 'float32'} (the input's largest entry is about 2^${-exponent - 1}); scale the input down first`,
      );
    }
  }
}
