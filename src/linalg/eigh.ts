import type { EighResult } from '../kernels/kernel.js';
import { getKernel } from '../kernels/registry.js';
import { allocate, dtypeOf, type FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { exponentOf, maxAbsOf, scaleByPow2InPlace } from '../tensor/scaled-norm.js';
import { castTo, transposeMatrix } from './dense.js';
import { asFiniteMatrix } from './matrix-input.js';
import { prescale, unscale } from './prescale.js';
import { normalizeColumnSigns } from './sign-convention.js';
import { tridiagonalEigen } from './tridiagonal-eigen.js';
import { tridiagonalize } from './tridiagonal.js';

/** Eigendecomposition A = vectors·diag(values)·vectorsᵀ as tensors. */
export interface EighFactors {
  /** n eigenvalues, ascending. */
  values: Tensor;
  /** n×n orthogonal; column j is the eigenvector of values[j]. */
  vectors: Tensor;
}

/** Options of {@link eigh}. */
export interface EighOptions {
  /**
   * Largest accepted asymmetry max|A − Aᵀ| relative to max|A| (default 1e-10 for f64,
   * 1e-4 for f32). The matrix used is the symmetric part (A + Aᵀ)/2.
   */
  symmetryTol?: number;
}

/**
 * Symmetric eigendecomposition of a row-major n×n array (symmetric, both triangles
 * filled) on the active kernel: its `eigh` (LAPACK syevd on native) when it has one, else
 * Householder tridiagonalization + implicit QR in TypeScript (f64). The result has the
 * input's dtype; each eigenvector's largest-magnitude entry is made positive. A matrix with
 * entries far from 1 is pre-scaled by a power of two (prescale.ts) on every backend.
 * @throws RangeError for a non-finite entry, or eigenvalues beyond the dtype's range.
 */
export function eighArrays(a: FloatArray, n: number): EighResult {
  const kernel = getKernel();
  let result: EighResult;
  if (n === 0) {
    result = { w: allocate(dtypeOf(a), 0), v: allocate(dtypeOf(a), 0) };
  } else {
    const { data, exponent } = prescale(a.subarray(0, n * n), 'eigh');
    if (kernel.eigh) {
      result = kernel.eigh(data, n);
    } else {
      const work = Float64Array.from(data);
      // Largest entry into [1, 2) by a power of two (exact), as svdTs does.
      const big = maxAbsOf(work);
      const p = big > 0 ? exponentOf(big) : 0;
      scaleByPow2InPlace(work, -p);
      const { d, e, qt } = tridiagonalize(work, n, kernel);
      tridiagonalEigen(d, e, qt, n);
      scaleByPow2InPlace(d, p);
      const dtype = dtypeOf(a);
      result = { w: castTo(d, dtype), v: castTo(transposeMatrix(qt, n, n), dtype) };
    }
    unscale(result.w, exponent, 'eigh', 'eigenvalues');
  }
  normalizeColumnSigns(result.v, n, n);
  return result;
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix.
 * f64 or f32; the results keep the input's dtype.
 * @throws RangeError if `a` is not square, has a NaN/Infinity entry, or is not symmetric
 *   within `symmetryTol` (the error gives the asymmetry and where it is largest).
 */
export function eigh(a: Tensor, options: EighOptions = {}): EighFactors {
  const { data, rows: n, cols } = asFiniteMatrix(a, 'eigh');
  if (n !== cols) throw new RangeError(`eigh: expected a square matrix, got ${n}×${cols}`);
  const tol = options.symmetryTol ?? (a.dtype === 'f64' ? 1e-10 : 1e-4);
  if (!(tol >= 0)) throw new RangeError(`eigh: symmetryTol must be a non-negative number, got ${options.symmetryTol}`);
  const sym = symmetricPart(data, n, tol);
  const { w, v } = eighArrays(sym, n);
  return { values: new Tensor(w, [n]), vectors: new Tensor(v, [n, n]) };
}

/** (A + Aᵀ)/2 in A's dtype, after checking max|A − Aᵀ| ≤ tol·max|A|. */
function symmetricPart(a: FloatArray, n: number, tol: number): FloatArray {
  const out = a.slice();
  const big = maxAbsOf(a);
  let worst = 0;
  let wi = 0;
  let wj = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = a[i * n + j]!;
      const y = a[j * n + i]!;
      const gap = Math.abs(x - y);
      if (gap > worst) {
        worst = gap;
        wi = i;
        wj = j;
      }
      const mean = 0.5 * (x + y);
      out[i * n + j] = mean;
      out[j * n + i] = mean;
    }
  }
  if (worst > tol * big) {
    throw new RangeError(
      `eigh: the matrix is not symmetric: max|A − Aᵀ| = ${worst.toExponential(3)} at [${wi}, ${wj}] ` +
      `(${(worst / big).toExponential(3)} relative to max|A| = ${big.toExponential(3)}, tolerance ${tol})`,
    );
  }
  return out;
}
