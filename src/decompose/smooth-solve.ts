import { getKernel } from '../kernels/registry.js';
import { eighArrays } from '../linalg/eigh.js';
import { allocate, dtypeOf, type FloatArray } from '../tensor/dtype.js';

/**
 * Solves the normal equations of an ALS step with a smoothness penalty along the core's
 * physical index: G·(A + λI) + μ·L·G = B for the d×b matrix G, where A is the b×b Gram
 * matrix (symmetric, positive semi-definite), B the d×b right-hand side and L the d×d
 * Laplacian of a path (second differences, free ends), so that μ·tr(GᵀLG) =
 * μ·Σ_j ‖G[j+1] − G[j]‖² penalises differences between neighbouring slices of the core.
 * λ = ridge·max eig(A) as in {@link ridgeSolve}; μ = smoothness·mean eig(A) = smoothness·tr(A)/b,
 * so the weight does not depend on the data's scale. The mean, not the maximum: in a
 * tree's canonical gauge A = I, while on loops A's spectrum is wide and its top eigenvalue
 * would make the same weight act ~100× stronger (measured on video completion: best
 * weights ≈ 0.1 for a chain and ≈ 0.01–0.03 for a ring with the mean, 0.1 and 1e-3 with the maximum).
 *
 * This is a Sylvester equation with both operators symmetric: with A = V·diag(w)·Vᵀ and
 * L = U·diag(ℓ)·Uᵀ (U the DCT-II basis, ℓ_k = 2 − 2cos(πk/d)), G = U·H·Vᵀ where
 * H_kc = (Uᵀ·B·V)_kc / (w_c + λ + μ·ℓ_k). Four gemms and one eigendecomposition.
 * Runs in f64 and returns B's dtype.
 */
export function smoothSolve(b: FloatArray, gram: FloatArray, d: number, n: number, ridge: number, smoothness: number): FloatArray {
  if (!(smoothness >= 0)) throw new RangeError(`smoothSolve: smoothness must be a non-negative number, got ${smoothness}`);
  const kernel = getKernel();
  const { w, v } = eighArrays(Float64Array.from(gram), n);
  let top = 0;
  let trace = 0;
  for (let k = 0; k < n; k++) {
    top = Math.max(top, w[k]!);
    trace += Math.max(w[k]!, 0);
  }
  const lambda = ridge * top;
  const mu = smoothness * (trace / n);
  const { basis: u, values: ell } = pathLaplacianEigen(d);
  const b64 = b instanceof Float64Array ? b : Float64Array.from(b);
  // H = Uᵀ·B·V.
  const bv = new Float64Array(d * n);
  kernel.gemm(false, false, d, n, n, 1, b64, v, 0, bv);
  const h = new Float64Array(d * n);
  kernel.gemm(true, false, d, n, d, 1, u, bv, 0, h);
  for (let k = 0; k < d; k++) {
    for (let c = 0; c < n; c++) {
      // Negative eigenvalues of A are rounding noise of a semi-definite matrix: treat them as 0.
      const denom = Math.max(w[c]!, 0) + lambda + mu * ell[k]!;
      h[k * n + c] = denom > 0 ? h[k * n + c]! / denom : 0;
    }
  }
  // G = U·H·Vᵀ.
  const uh = new Float64Array(d * n);
  kernel.gemm(false, false, d, n, d, 1, u, h, 0, uh);
  const g = new Float64Array(d * n);
  kernel.gemm(false, true, d, n, n, 1, uh, v as Float64Array, 0, g);
  if (dtypeOf(b) === 'f64') return g;
  const out = allocate('f32', d * n);
  out.set(g);
  return out;
}

/**
 * Eigenpairs of the d×d path Laplacian DᵀD (D the (d−1)×d first-difference matrix):
 * the orthonormal DCT-II vectors u_k[j] = c_k·cos(πk(j + ½)/d), as the columns of a
 * row-major d×d matrix, with eigenvalues 2 − 2cos(πk/d). Cached per d: shared arrays, not to be modified.
 */
export function pathLaplacianEigen(d: number): { readonly basis: Float64Array; readonly values: Float64Array } {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`pathLaplacianEigen: d must be a positive integer, got ${d}`);
  // Every ALS step of a core asks for the same d: build each basis once.
  const hit = laplacianCache.get(d);
  if (hit) return hit;
  const basis = new Float64Array(d * d);
  const values = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const c = Math.sqrt((k === 0 ? 1 : 2) / d);
    values[k] = 2 - 2 * Math.cos((Math.PI * k) / d);
    for (let j = 0; j < d; j++) basis[j * d + k] = c * Math.cos((Math.PI * k * (j + 0.5)) / d);
  }
  const out = { basis, values };
  laplacianCache.set(d, out);
  return out;
}

const laplacianCache = new Map<number, { basis: Float64Array; values: Float64Array }>();
