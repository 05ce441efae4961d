import type { SvdResult } from '../kernels/kernel.js';
import { getKernel } from '../kernels/registry.js';
import { allocate, dtypeOf, type FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { castTo, toFloat64 } from './dense.js';
import { asFiniteMatrix } from './matrix-input.js';
import { prescale, unscale } from './prescale.js';
import { normalizeColumnSigns } from './sign-convention.js';
import { svdTs } from './svd-ts.js';

/** Thin SVD factors as tensors: A = U·diag(S)·Vt. */
export interface SvdFactors {
  /** m×k, orthonormal columns (k = min(m, n)). */
  U: Tensor;
  /** k singular values, descending, non-negative. */
  S: Tensor;
  /** k×n, orthonormal rows. */
  Vt: Tensor;
}

/**
 * Thin SVD of a row-major m×n array on the active kernel: its `svd` (LAPACK gesdd on
 * native) when it has one, otherwise `svdTs` (svd-ts.ts) computed in f64 with the kernel's gemm.
 * The result has the input's dtype and the deterministic sign convention of
 * `normalizeColumnSigns` (sign-convention.ts) (each column of U has its largest entry positive), so every
 * backend returns the same factors up to rounding when the singular values are distinct.
 * A matrix with entries far from 1 is pre-scaled by a power of two on every backend
 * (prescale.ts), so c·A gives c times the singular values of A to rounding.
 * The input is not modified.
 * @throws RangeError for a non-finite entry, or singular values beyond the dtype's range.
 */
export function svdArrays(a: FloatArray, m: number, n: number): SvdResult {
  const kernel = getKernel();
  const k = Math.min(m, n);
  let result: SvdResult;
  if (k === 0) {
    // Empty factors; no backend needs to see an empty matrix.
    result = { u: allocate(dtypeOf(a), 0), s: allocate(dtypeOf(a), 0), vt: allocate(dtypeOf(a), 0) };
  } else {
    const { data, exponent } = prescale(a.subarray(0, m * n), 'svd');
    if (kernel.svd) {
      result = kernel.svd(data, m, n);
    } else {
      // svdTs overwrites its input: a scaled f64 copy is ours already, anything else is copied.
      const r = svdTs(exponent !== 0 && data instanceof Float64Array ? data : toFloat64(data), m, n, kernel);
      const dtype = dtypeOf(a);
      result = { u: castTo(r.u, dtype), s: castTo(r.s, dtype), vt: castTo(r.vt, dtype) };
    }
    unscale(result.s, exponent, 'svd', 'singular values');
  }
  normalizeColumnSigns(result.u, m, k, result.vt, n);
  return result;
}

/**
 * Thin singular value decomposition A = U·diag(S)·Vt of a 2-D tensor (f64 or f32; the
 * factors keep its dtype), k = min(m, n).
 *
 * Uses LAPACK on the native backend and a backward-stable TypeScript SVD (Householder
 * bidiagonalization + implicit-shift QR) elsewhere; small singular values are accurate
 * to about machine precision times the largest. Signs are fixed so that each column of
 * U has its largest-magnitude entry positive.
 * @throws RangeError if `a` is not 2-D or has a NaN/Infinity entry (named by position).
 */
export function svd(a: Tensor): SvdFactors {
  const { data, rows: m, cols: n } = asFiniteMatrix(a, 'svd');
  const k = Math.min(m, n);
  const { u, s, vt } = svdArrays(data, m, n);
  return { U: new Tensor(u, [m, k]), S: new Tensor(s, [k]), Vt: new Tensor(vt, [k, n]) };
}
