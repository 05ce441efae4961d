import type { Kernel } from '../kernels/kernel.js';
import { makeReflector, reflectorProductTransposed } from './householder.js';

/** A = Q·B·Pᵀ with B upper bidiagonal, from {@link bidiagonalize}. */
export interface Bidiagonal {
  /** B's diagonal (n). */
  d: Float64Array;
  /** B's superdiagonal (n − 1). */
  e: Float64Array;
  /** Qᵀ, n×n row-major (its rows are Q's columns). */
  qt: Float64Array;
  /** Pᵀ, n×n row-major. */
  pt: Float64Array;
}

/**
 * Golub–Kahan Householder bidiagonalization of a square n×n row-major f64 matrix
 * (overwritten); Q and P are accumulated with gemms on `kernel`. Alternates a left reflector that zeroes column i below the diagonal
 * with a right reflector that zeroes row i right of the superdiagonal; every update
 * walks whole rows, which is the cache-friendly direction in row-major storage.
 * Tall matrices reach this after a QR, wide ones through the transpose.
 */
export function bidiagonalize(a: Float64Array, n: number, kernel: Kernel): Bidiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const leftStarts: number[] = [];
  const leftVs: Float64Array[] = [];
  const leftTaus: number[] = [];
  const rightStarts: number[] = [];
  const rightVs: Float64Array[] = [];
  const rightTaus: number[] = [];
  const w = new Float64Array(n);

  for (let i = 0; i < n; i++) {
    // Left reflector on column i, rows i…n−1.
    const left = makeReflector(a[i * n + i]!, a, (i + 1) * n + i, n, n - i - 1);
    d[i] = left.beta;
    const v = new Float64Array(n - i);
    v[0] = 1;
    for (let r = i + 1; r < n; r++) v[r - i] = a[r * n + i]!;
    leftStarts.push(i);
    leftVs.push(v);
    leftTaus.push(left.tau);
    if (i === n - 1) break;
    const c0 = i + 1;
    const width = n - c0;
    const applyLeft = left.tau !== 0;
    if (applyLeft) {
      // w = τ·vᵀ·A[i:, c0:]; row i gets its update now because the right reflector is built from it.
      for (let j = 0; j < width; j++) w[j] = a[i * n + c0 + j]!;
      for (let r = i + 1; r < n; r++) {
        const vr = v[r - i]!;
        if (vr === 0) continue;
        const row = r * n + c0;
        for (let j = 0; j < width; j++) w[j] = w[j]! + vr * a[row + j]!;
      }
      for (let j = 0; j < width; j++) {
        w[j] = left.tau * w[j]!;
        a[i * n + c0 + j] = a[i * n + c0 + j]! - w[j]!;
      }
    }

    // Right reflector on row i, columns i+1…n−1 (contiguous).
    const right = makeReflector(a[i * n + c0]!, a, i * n + c0 + 1, 1, width - 1);
    e[i] = right.beta;
    const u = new Float64Array(width);
    u[0] = 1;
    for (let j = 1; j < width; j++) u[j] = a[i * n + c0 + j]!;
    rightStarts.push(c0);
    rightVs.push(u);
    rightTaus.push(right.tau);
    const applyRight = right.tau !== 0;

    // One pass over the rows below for both updates, while each row is in cache:
    // A[r, c0:] −= v_r·w (left), then A[r, c0:] −= (τ·A[r, c0:]·u)·uᵀ (right).
    for (let r = i + 1; r < n; r++) {
      const row = r * n + c0;
      const vr = v[r - i]!;
      if (applyLeft && vr !== 0) for (let j = 0; j < width; j++) a[row + j] = a[row + j]! - vr * w[j]!;
      if (!applyRight) continue;
      let s = 0;
      for (let j = 0; j < width; j++) s += a[row + j]! * u[j]!;
      if (s === 0) continue;
      s *= right.tau;
      for (let j = 0; j < width; j++) a[row + j] = a[row + j]! - s * u[j]!;
    }
  }
  return {
    d,
    e,
    qt: reflectorProductTransposed(n, leftStarts, leftVs, leftTaus, kernel),
    pt: reflectorProductTransposed(n, rightStarts, rightVs, rightTaus, kernel),
  };
}
