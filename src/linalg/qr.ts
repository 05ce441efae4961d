import { getKernel } from '../kernels/registry.js';
import type { QrResult } from '../kernels/kernel.js';
import { allocate, dtypeOf, type FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { castTo, toFloat64 } from './dense.js';
import { householderQr } from './householder-qr.js';
import { asFiniteMatrix } from './matrix-input.js';
import { prescale, unscale } from './prescale.js';

/** Thin QR factors as tensors. */
export interface QrFactors {
  /** m×k with orthonormal columns, k = min(m, n). */
  Q: Tensor;
  /** k×n upper triangular (trapezoidal when m < n) with a non-negative diagonal. */
  R: Tensor;
}

/**
 * Thin QR of a row-major m×n array on the active kernel: its `qr` (LAPACK on native)
 * when it has one, otherwise the blocked Householder QR in TypeScript. The result has the
 * input's dtype and R's diagonal is made non-negative whichever backend ran. A matrix with
 * entries far from 1 is pre-scaled by a power of two (prescale.ts) and R scaled back, so
 * every backend factors subnormal and huge matrices alike.
 * @throws RangeError for a non-finite entry, or an R beyond the dtype's range.
 */
export function qrArrays(a: FloatArray, m: number, n: number): QrResult {
  const kernel = getKernel();
  const k = Math.min(m, n);
  let result: QrResult;
  if (k === 0) {
    result = { q: allocate(dtypeOf(a), 0), r: allocate(dtypeOf(a), 0) };
  } else {
    const { data, exponent } = prescale(a.subarray(0, m * n), 'qr');
    if (kernel.qr) {
      result = kernel.qr(data, m, n);
    } else {
      // householderQr overwrites its input: a scaled f64 copy is ours already.
      const { q, r } = householderQr(exponent !== 0 && data instanceof Float64Array ? data : toFloat64(data), m, n, kernel);
      const dtype = dtypeOf(a);
      result = { q: castTo(q, dtype), r: castTo(r, dtype) };
    }
    unscale(result.r, exponent, 'qr', 'entries of R');
  }
  const { q, r } = result;
  for (let i = 0; i < k; i++) {
    if (r[i * n + i]! < 0) {
      for (let j = i; j < n; j++) r[i * n + j] = -r[i * n + j]!;
      for (let p = 0; p < m; p++) q[p * k + i] = -q[p * k + i]!;
    }
  }
  return result;
}

/**
 * Thin QR decomposition A = Q·R of a 2-D tensor (f64 or f32; the factors keep its dtype).
 *
 * Q is m×k with orthonormal columns and R is k×n upper triangular, k = min(m, n); R's
 * diagonal is non-negative, which makes the factors unique when A has full rank.
 * @throws RangeError if `a` is not 2-D or has a NaN/Infinity entry (named by position).
 */
export function qr(a: Tensor): QrFactors {
  const { data, rows: m, cols: n } = asFiniteMatrix(a, 'qr');
  const k = Math.min(m, n);
  const { q, r } = qrArrays(data, m, n);
  return { Q: new Tensor(q, [m, k]), R: new Tensor(r, [k, n]) };
}
