import type { Kernel, SvdResult } from '../kernels/kernel.js';
import { exponentOf, maxAbsOf, scaleByPow2InPlace } from '../tensor/scaled-norm.js';
import { transposeMatrix } from './dense.js';
import { bidiagonalize } from './bidiagonal.js';
import { bidiagonalSvd } from './bidiagonal-svd.js';
import { householderQr } from './householder-qr.js';

/**
 * Thin SVD in TypeScript of a row-major m×n f64 matrix (overwritten), k = min(m, n):
 * A = U·diag(s)·Vt with U m×k, s descending, Vt k×n.
 *
 * Square: Householder bidiagonalization, then implicit-shift bidiagonal QR (backward
 * stable; never forms AᵀA). Tall: QR first, the SVD of the n×n R, then U = Q·U_R with
 * a gemm on `kernel`. Wide: the SVD of the transpose. The matrix is scaled by a power of
 * two to a largest entry in [1, 2) first (exact), so extreme magnitudes — subnormal ones
 * included — neither overflow nor underflow.
 */
export function svdTs(a: Float64Array, m: number, n: number, kernel: Kernel): SvdResult<Float64Array> {
  const k = Math.min(m, n);
  if (k === 0) return { u: new Float64Array(0), s: new Float64Array(0), vt: new Float64Array(0) };
  const big = maxAbsOf(a);
  if (big === 0) return zeroSvd(m, n);
  // 2^−e, not 1/big: 1/big overflows for subnormal big, and a power of two is exact.
  const e = exponentOf(big);
  scaleByPow2InPlace(a, -e);
  let result: SvdResult<Float64Array>;
  if (m >= n) {
    result = svdTall(a, m, n, kernel);
  } else {
    const t = svdTall(transposeMatrix(a, m, n), n, m, kernel);
    // Aᵀ = U'·S·Vt'  ⇒  A = Vt'ᵀ·S·U'ᵀ.
    result = { u: transposeMatrix(t.vt, k, m), s: t.s, vt: transposeMatrix(t.u, n, k) };
  }
  scaleByPow2InPlace(result.s, e);
  return result;
}

/** m ≥ n. */
function svdTall(a: Float64Array, m: number, n: number, kernel: Kernel): SvdResult<Float64Array> {
  if (m === n) {
    const { d, e, qt, pt } = bidiagonalize(a, n, kernel);
    bidiagonalSvd(d, e, qt, n, pt, n);
    return { u: transposeMatrix(qt, n, n), s: d, vt: pt };
  }
  const { q, r } = householderQr(a, m, n, kernel);
  const { d, e, qt, pt } = bidiagonalize(r, n, kernel);
  bidiagonalSvd(d, e, qt, n, pt, n);
  // U = Q·U_R = Q·(U_Rᵀ)ᵀ.
  const u = new Float64Array(m * n);
  kernel.gemm(false, true, m, n, n, 1, q, qt, 0, u);
  return { u, s: d, vt: pt };
}

/** SVD of the zero matrix: identity-like singular vectors, zero values. */
function zeroSvd(m: number, n: number): SvdResult<Float64Array> {
  const k = Math.min(m, n);
  const u = new Float64Array(m * k);
  const vt = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    u[i * k + i] = 1;
    vt[i * n + i] = 1;
  }
  return { u, s: new Float64Array(k), vt };
}
