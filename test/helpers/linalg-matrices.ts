import type { FloatArray } from '../../src/tensor/dtype.js';
import type { Random } from '../../src/tensor/random.js';

/**
 * Matrices with known structure, and error measures computed with plain loops (never
 * through a kernel), for checking factorizations on every backend.
 */

/** rows×cols (rows ≥ cols) with orthonormal columns: Gaussian, then modified Gram–Schmidt twice. */
export function randomOrthonormalColumns(rows: number, cols: number, rng: Random): Float64Array {
  const q = new Float64Array(rows * cols);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < cols; j++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += q[i * cols + p]! * q[i * cols + j]!;
        for (let i = 0; i < rows; i++) q[i * cols + j] = q[i * cols + j]! - dot * q[i * cols + p]!;
      }
      let nrm = 0;
      for (let i = 0; i < rows; i++) nrm += q[i * cols + j]! ** 2;
      nrm = Math.sqrt(nrm);
      for (let i = 0; i < rows; i++) q[i * cols + j] = q[i * cols + j]! / nrm;
    }
  }
  return q;
}

/** An m×n matrix U·diag(sigma)·Vᵀ with random orthonormal U, V (sigma has min(m, n) entries). */
export function matrixWithSingularValues(m: number, n: number, sigma: readonly number[], rng: Random): Float64Array {
  const k = Math.min(m, n);
  const u = randomOrthonormalColumns(m, k, rng);
  const v = randomOrthonormalColumns(n, k, rng);
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += u[i * k + p]! * sigma[p]! * v[j * k + p]!;
      a[i * n + j] = s;
    }
  }
  return a;
}

/** A symmetric n×n matrix V·diag(lambda)·Vᵀ with random orthogonal V. */
export function symmetricWithEigenvalues(lambda: readonly number[], rng: Random): Float64Array {
  const n = lambda.length;
  const v = randomOrthonormalColumns(n, n, rng);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += v[i * n + p]! * lambda[p]! * v[j * n + p]!;
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

/** `count` values from `from` to `to`, evenly spaced in log scale, descending if from > to. */
export function logSpaced(from: number, to: number, count: number): number[] {
  if (count === 1) return [from];
  const a = Math.log10(from);
  const b = Math.log10(to);
  return Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
}

/** Frobenius norm. */
export function frobenius(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! ** 2;
  return Math.sqrt(s);
}

/** ‖A − L·diag(s)·R‖_F for A m×n, L m×k, R k×n (pass s = undefined for a plain product L·R). */
export function productResidual(a: ArrayLike<number>, l: FloatArray, s: FloatArray | undefined, r: FloatArray, m: number, n: number, k: number): number {
  let sum = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let p = 0; p < k; p++) x += l[i * k + p]! * (s ? s[p]! : 1) * r[p * n + j]!;
      sum += (a[i * n + j]! - x) ** 2;
    }
  }
  return Math.sqrt(sum);
}

/** ‖XᵀX − I‖_F for X rows×cols (orthonormal columns), or ‖XXᵀ − I‖_F when `byRows`. */
export function orthogonalityError(x: FloatArray, rows: number, cols: number, byRows = false): number {
  const count = byRows ? rows : cols;
  const len = byRows ? cols : rows;
  const at = (vec: number, i: number): number => (byRows ? x[vec * cols + i]! : x[i * cols + vec]!);
  let sum = 0;
  for (let p = 0; p < count; p++) {
    for (let q = p; q < count; q++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += at(p, i) * at(q, i);
      const err = dot - (p === q ? 1 : 0);
      sum += (p === q ? 1 : 2) * err * err;
    }
  }
  return Math.sqrt(sum);
}

/** A random shape: tall, wide, square, a single row or a single column, by turns. */
export function randomShape(rng: Random, maxDim: number, index: number): [number, number] {
  const d = (): number => 1 + rng.int(maxDim);
  switch (index % 5) {
    case 0: { const n = d(); return [n + rng.int(3 * maxDim), n]; } // tall
    case 1: { const m = d(); return [m, m + rng.int(3 * maxDim)]; } // wide
    case 2: { const n = d(); return [n, n]; }
    case 3: return [1, d()];
    default: return [d(), 1];
  }
}
