import type { Kernel } from '../kernels/kernel.js';
import { makeReflector, reflectorProductTransposed } from './householder.js';

/** A = Q·T·Qᵀ with T symmetric tridiagonal, from {@link tridiagonalize}. */
export interface Tridiagonal {
  /** T's diagonal (n). */
  d: Float64Array;
  /** T's off-diagonal (n − 1). */
  e: Float64Array;
  /** Qᵀ, n×n row-major (its rows are Q's columns). */
  qt: Float64Array;
}

/**
 * Householder tridiagonalization of a symmetric n×n row-major f64 matrix (overwritten;
 * both triangles must hold the matrix). Step k zeroes row/column k beyond the
 * off-diagonal with a two-sided update A ← H·A·H = A − v·wᵀ − w·vᵀ, where the
 * reflector is read from row k (contiguous, equal to column k by symmetry).
 */
export function tridiagonalize(a: Float64Array, n: number, kernel: Kernel): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const starts: number[] = [];
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const row = k * n;
    const { beta, tau } = makeReflector(a[row + k + 1]!, a, row + k + 2, 1, n - k - 2);
    d[k] = a[row + k]!;
    e[k] = beta;
    const len = n - k - 1;
    const v = new Float64Array(len);
    v[0] = 1;
    for (let j = 1; j < len; j++) v[j] = a[row + k + 1 + j]!;
    starts.push(k + 1);
    vs.push(v);
    taus.push(tau);
    if (tau === 0) continue;
    // On S = A[k+1:, k+1:]: p = τ·S·v, w = p − (τ/2)(pᵀv)·v, S −= v·wᵀ + w·vᵀ.
    const s0 = k + 1;
    let pv = 0;
    for (let i = 0; i < len; i++) {
      const r = (s0 + i) * n + s0;
      let s = 0;
      for (let j = 0; j < len; j++) s += a[r + j]! * v[j]!;
      p[i] = tau * s;
      pv += p[i]! * v[i]!;
    }
    const K = 0.5 * tau * pv;
    for (let i = 0; i < len; i++) p[i] = p[i]! - K * v[i]!;
    for (let i = 0; i < len; i++) {
      const r = (s0 + i) * n + s0;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = 0; j < len; j++) a[r + j] = a[r + j]! - vi * p[j]! - wi * v[j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 2) * n + n - 1]!;
  }
  if (n >= 1) d[n - 1] = a[n * n - 1]!;
  return { d, e, qt: reflectorProductTransposed(n, starts, vs, taus, kernel) };
}
