import { getKernel } from '../kernels/registry.js';
import { eighArrays } from '../linalg/eigh.js';
import { allocate, dtypeOf, type FloatArray } from '../tensor/dtype.js';

/**
 * Solves the normal equations of an ALS step, G·(A + λI) = B, for the d×b matrix G:
 * B is d×b (the right-hand side XMᵀ), A is the b×b Gram matrix MMᵀ (symmetric,
 * positive semi-definite). The ridge λ = ridge·max eigenvalue of A keeps the solve
 * stable when A is singular (redundant bonds, gauge freedom) at a relative bias of
 * about `ridge` on the well-determined directions.
 *
 * The solve goes through A's eigendecomposition V·diag(w)·Vᵀ (LAPACK syevd on native):
 * G = ((B·V)·diag(1/(w+λ)))·Vᵀ, two gemms. It runs in f64 whatever the dtype (the Gram
 * squares the condition number) and returns B's dtype.
 */
export function ridgeSolve(b: FloatArray, gram: FloatArray, d: number, n: number, ridge: number): FloatArray {
  const kernel = getKernel();
  const { w, v } = eighArrays(Float64Array.from(gram), n);
  let top = 0;
  for (let k = 0; k < n; k++) top = Math.max(top, w[k]!);
  const lambda = ridge * top;
  const b64 = b instanceof Float64Array ? b : Float64Array.from(b);
  const h = new Float64Array(d * n);
  kernel.gemm(false, false, d, n, n, 1, b64, v, 0, h);
  const inv = new Float64Array(n);
  // Negative eigenvalues are rounding noise of a semi-definite matrix: treat them as 0.
  for (let k = 0; k < n; k++) {
    const denom = Math.max(w[k]!, 0) + lambda;
    inv[k] = denom > 0 ? 1 / denom : 0;
  }
  for (let r = 0; r < d; r++) for (let k = 0; k < n; k++) h[r * n + k] = h[r * n + k]! * inv[k]!;
  const g = new Float64Array(d * n);
  kernel.gemm(false, true, d, n, n, 1, h, v as Float64Array, 0, g);
  if (dtypeOf(b) === 'f64') return g;
  const out = allocate('f32', d * n);
  out.set(g);
  return out;
}
