import { describe, expect, it } from 'vitest';
import { allocate, type DType, type FloatArray } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import type { Kernel } from '../kernel.js';
import { tsKernel } from '../ts/backend.js';
import { loadNativeKernel } from './loader.js';

let native: Kernel | undefined;
try {
  native = loadNativeKernel();
} catch (e) {
  console.warn(`skipping native backend tests: ${(e as Error).message}`);
}

const DTYPES: DType[] = ['f64', 'f32'];

function randomArray(rng: Random, dtype: DType, size: number): FloatArray {
  const x = allocate(dtype, size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

/** A random view with a non-zero byteOffset into a larger buffer, to exercise subarray handling. */
function randomView(rng: Random, dtype: DType, size: number): FloatArray {
  const offset = 1 + rng.int(5);
  const base = randomArray(rng, dtype, size + offset + rng.int(3));
  return base.subarray(offset, offset + size);
}

/** A dimension biased towards the edge cases 0 and 1, crossing the direct-loop/cblas boundary. */
function randomDim(rng: Random, max: number): number {
  const r = rng.uniform();
  if (r < 0.08) return 0;
  if (r < 0.18) return 1;
  return 1 + rng.int(max);
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/** Largest |a_i − b_i|; NaN anywhere makes it NaN so comparisons fail. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return NaN;
    m = Math.max(m, d);
  }
  return m;
}

const EPS: Record<DType, number> = { f64: 2.3e-16, f32: 1.2e-7 };

/** Rounding bound for a length-k dot product scaled by alpha, plus beta·C. */
function gemmTolerance(dtype: DType, k: number, alpha: number, a: FloatArray, b: FloatArray, beta: number, c0: FloatArray): number {
  const scale = Math.abs(alpha) * maxAbs(a) * maxAbs(b) * Math.max(k, 1) + Math.abs(beta) * maxAbs(c0);
  return 8 * EPS[dtype] * (k + 2) * Math.max(scale, 1e-300);
}

const ALPHAS = [1, -0.5, 0, 2.25];
const BETAS = [0, 1, -2, 0.5];

describe.skipIf(!native)('native backend', () => {
  const k = native!;

  it('describes OpenBLAS and its thread count', () => {
    expect(k.name).toBe('native');
    expect(k.description).toMatch(/OpenBLAS \d+\.\d+\.\d+.* via Node-API, \d+ threads?$/);
  });

  for (const dtype of DTYPES) {
    it(`gemm matches the TS reference (${dtype}, random shapes, all transposes)`, () => {
      const rng = new Random(dtype === 'f64' ? 101 : 202);
      for (let trial = 0; trial < 160; trial++) {
        const big = trial % 4 === 0;
        const m = randomDim(rng, big ? 90 : 30);
        const n = randomDim(rng, big ? 90 : 30);
        const kk = randomDim(rng, big ? 90 : 30);
        const alpha = ALPHAS[rng.int(ALPHAS.length)]!;
        const beta = BETAS[rng.int(BETAS.length)]!;
        for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const a = randomView(rng, dtype, m * kk);
          const b = randomView(rng, dtype, kk * n);
          const c0 = beta === 0 ? allocate(dtype, m * n).fill(NaN) : randomArray(rng, dtype, m * n);
          const expected = c0.slice();
          if (beta === 0) expected.fill(0);
          tsKernel.gemm(transA, transB, m, n, kk, alpha, a, b, beta, expected);
          const actual = randomView(rng, dtype, m * n);
          actual.set(c0);
          k.gemm(transA, transB, m, n, kk, alpha, a, b, beta, actual);
          const err = maxDiff(actual, expected);
          const tol = gemmTolerance(dtype, kk, alpha, a, b, beta, beta === 0 ? expected : c0);
          if (!(err <= tol)) {
            throw new Error(`gemm ${dtype} m=${m} n=${n} k=${kk} tA=${transA} tB=${transB} alpha=${alpha} beta=${beta}: error ${err} > ${tol}`);
          }
        }
      }
    });

    it(`gemmBatched matches the TS reference (${dtype}, with and without stride-0 broadcast)`, () => {
      const rng = new Random(dtype === 'f64' ? 303 : 404);
      for (let trial = 0; trial < 120; trial++) {
        const batch = [0, 1, 2, 3, 7][rng.int(5)]!;
        const big = trial % 3 === 0;
        const m = randomDim(rng, big ? 50 : 20);
        const n = randomDim(rng, big ? 50 : 20);
        const kk = randomDim(rng, big ? 50 : 20);
        const transA = rng.uniform() < 0.5;
        const transB = rng.uniform() < 0.5;
        // Broadcast A, broadcast B, both, or neither; packed or with gaps between matrices.
        const strideA = rng.uniform() < 0.35 ? 0 : m * kk + (rng.uniform() < 0.5 ? 0 : rng.int(4));
        const strideB = rng.uniform() < 0.35 ? 0 : kk * n + (rng.uniform() < 0.5 ? 0 : rng.int(4));
        const alpha = ALPHAS[rng.int(ALPHAS.length)]!;
        const beta = BETAS[rng.int(BETAS.length)]!;
        const last = Math.max(batch - 1, 0);
        const a = randomView(rng, dtype, last * strideA + m * kk);
        const b = randomView(rng, dtype, last * strideB + kk * n);
        const c0 = beta === 0 ? allocate(dtype, batch * m * n).fill(NaN) : randomArray(rng, dtype, batch * m * n);
        const expected = c0.slice();
        if (beta === 0) expected.fill(0);
        tsKernel.gemmBatched(transA, transB, batch, m, n, kk, alpha, a, strideA, b, strideB, beta, expected);
        const actual = c0.slice();
        k.gemmBatched(transA, transB, batch, m, n, kk, alpha, a, strideA, b, strideB, beta, actual);
        const err = maxDiff(actual, expected);
        const tol = gemmTolerance(dtype, kk, alpha, a, b, beta, beta === 0 ? expected : c0);
        if (!(err <= tol)) {
          throw new Error(`gemmBatched ${dtype} batch=${batch} m=${m} n=${n} k=${kk} tA=${transA} tB=${transB} sA=${strideA} sB=${strideB}: error ${err} > ${tol}`);
        }
      }
    });
  }

  it('gemmBatched broadcasting one B over packed A equals the per-matrix products', () => {
    // Shapes above 64³ take the single stacked cblas call on every OpenBLAS core;
    // check it against separate gemms.
    const rng = new Random(5);
    for (const dtype of DTYPES) {
      const [batch, m, n, kk] = [3, 70, 66, 65];
      const a = randomArray(rng, dtype, batch * m * kk);
      const b = randomArray(rng, dtype, kk * n);
      const batched = allocate(dtype, batch * m * n).fill(NaN);
      k.gemmBatched(false, false, batch, m, n, kk, 1, a, m * kk, b, 0, 0, batched);
      for (let i = 0; i < batch; i++) {
        const single = allocate(dtype, m * n);
        tsKernel.gemm(false, false, m, n, kk, 1, a.subarray(i * m * kk, (i + 1) * m * kk), b, 0, single);
        expect(maxDiff(batched.subarray(i * m * n, (i + 1) * m * n), single)).toBeLessThan(dtype === 'f64' ? 1e-12 : 1e-4);
      }
    }
  });

  it('rejects mixed dtypes, short arrays and bad dimensions with clear errors', () => {
    const a = new Float64Array(6);
    const b = new Float64Array(6);
    const c = new Float64Array(4);
    expect(() => k.gemm(false, false, 2, 2, 3, 1, a, new Float32Array(6), 0, c)).toThrow(/share one dtype/);
    expect(() => k.gemm(false, false, 2, 2, 4, 1, a, b, 0, c)).toThrow(/A has 6 elements, needs 8/);
    expect(() => k.gemm(false, false, 3, 2, 3, 1, new Float64Array(9), b, 0, c)).toThrow(/C has 4 elements, needs 6/);
    expect(() => k.gemm(false, false, -1, 2, 3, 1, a, b, 0, c)).toThrow(/m = -1/);
    expect(() => k.gemm(false, false, 1.5, 2, 3, 1, a, b, 0, c)).toThrow(/m = 1.5/);
    expect(() => k.gemmBatched(false, false, 3, 2, 2, 3, 1, a, 6, b, 0, 0, new Float64Array(12))).toThrow(/A has 6 elements, needs 18/);
    expect(() => k.gemmBatched(false, false, 2, 2, 2, 3, 1, a, -6, b, 0, 0, c)).toThrow(/strideA = -6/);
    expect(() => k.svd!(new Float64Array(5), 2, 3)).toThrow(/a has 5 elements/);
    expect(() => k.svd!(new Float64Array([1, NaN, 2, 3]), 2, 2)).toThrow(/dgesdd failed: INFO = -4/);
    expect(() => k.eigh!(new Float64Array(3), 2)).toThrow(/a has 3 elements/);
  });

  describe('LAPACK factorizations', () => {
    const SHAPES: Array<[number, number]> = [
      [0, 0], [0, 3], [3, 0], [1, 1], [1, 7], [7, 1], [5, 5], [17, 9], [9, 17], [64, 64], [130, 40], [40, 130],
    ];
    const TOL: Record<DType, number> = { f64: 1e-12, f32: 5e-5 };

    for (const dtype of DTYPES) {
      it(`svd reconstructs A with orthonormal factors (${dtype}, random)`, () => {
        const rng = new Random(dtype === 'f64' ? 11 : 12);
        for (const [m, n] of SHAPES) {
          const a = randomView(rng, dtype, m * n);
          checkSvd(k, a, m, n, TOL[dtype]);
        }
      });

      it(`qr reconstructs A with orthonormal Q and triangular R (${dtype}, random)`, () => {
        const rng = new Random(dtype === 'f64' ? 21 : 22);
        for (const [m, n] of SHAPES) {
          const a = randomView(rng, dtype, m * n);
          checkQr(k, a, m, n, TOL[dtype]);
        }
      });

      it(`eigh diagonalizes the lower triangle (${dtype}, random)`, () => {
        const rng = new Random(dtype === 'f64' ? 31 : 32);
        for (const n of [0, 1, 2, 7, 33, 100]) {
          const a = randomView(rng, dtype, n * n);
          // Only the lower triangle is read: NaN above the diagonal must not matter.
          for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = NaN;
          checkEigh(k, a, n, TOL[dtype]);
        }
      });
    }

    it('svd recovers singular values 1 … 1e-14 of ill-conditioned tall and wide matrices (f64)', () => {
      const rng = new Random(41);
      for (const [m, n] of [[60, 25], [25, 60], [40, 40]] as const) {
        const r = Math.min(m, n);
        const s = Array.from({ length: r }, (_, i) => 10 ** (-14 * i / (r - 1)));
        const a = withSingularValues(rng, m, n, s);
        checkSvd(k, a, m, n, 1e-12);
        const got = k.svd!(a, m, n).s;
        for (let i = 0; i < r; i++) expect(Math.abs(got[i]! - s[i]!)).toBeLessThan(1e-13);
      }
    });

    it('qr of ill-conditioned tall and wide matrices is still accurate (f64)', () => {
      const rng = new Random(42);
      for (const [m, n] of [[60, 25], [25, 60], [40, 40]] as const) {
        const r = Math.min(m, n);
        const s = Array.from({ length: r }, (_, i) => 10 ** (-14 * i / (r - 1)));
        checkQr(k, withSingularValues(rng, m, n, s), m, n, 1e-12);
      }
    });

    it('eigh recovers eigenvalues spanning 1 … 1e-14 of both signs (f64)', () => {
      const rng = new Random(43);
      const n = 40;
      const w = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1) * 10 ** (-14 * i / (n - 1)));
      const q = randomOrthonormal(rng, n, n);
      const a = new Float64Array(n * n); // Q·diag(w)·Qᵀ
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < n; p++) sum += q[i * n + p]! * w[p]! * q[j * n + p]!;
          a[i * n + j] = sum;
        }
      }
      checkEigh(k, a, n, 1e-12);
      const got = k.eigh!(a, n).w;
      const sorted = [...w].sort((x, y) => x - y);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - sorted[i]!)).toBeLessThan(1e-13);
    });
  });
});

/** m×n row-major product of a (m×p) and b (p×n) with the reference kernel. */
function matmul(a: FloatArray, b: FloatArray, m: number, p: number, n: number, transA = false, transB = false): FloatArray {
  const c = allocate(a instanceof Float64Array ? 'f64' : 'f32', m * n);
  tsKernel.gemm(transA, transB, m, n, p, 1, a, b, 0, c);
  return c;
}

function identity(dtype: DType, n: number): FloatArray {
  const x = allocate(dtype, n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  return x;
}

/** Frobenius norm, the scale for reconstruction errors. */
function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

function checkSvd(k: Kernel, a: FloatArray, m: number, n: number, tol: number): void {
  const dtype: DType = a instanceof Float64Array ? 'f64' : 'f32';
  const before = a.slice();
  const { u, s, vt } = k.svd!(a, m, n);
  const r = Math.min(m, n);
  const where = `svd ${dtype} ${m}×${n}`;
  expect(a, `${where}: input modified`).toEqual(before);
  expect([u.length, s.length, vt.length], where).toEqual([m * r, r, r * n]);
  for (let i = 0; i < r; i++) {
    expect(s[i]!, where).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(s[i]!, where).toBeLessThanOrEqual(s[i - 1]!);
  }
  const us = u.slice();
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) us[i * r + j]! *= s[j]!;
  const scale = Math.max(norm(a), 1);
  expect(maxDiff(matmul(us, vt, m, r, n), a) / scale, `${where}: reconstruction`).toBeLessThan(tol);
  expect(maxDiff(matmul(u, u, r, m, r, true, false), identity(dtype, r)), `${where}: UᵀU`).toBeLessThan(tol);
  expect(maxDiff(matmul(vt, vt, r, n, r, false, true), identity(dtype, r)), `${where}: VtVtᵀ`).toBeLessThan(tol);
}

function checkQr(k: Kernel, a: FloatArray, m: number, n: number, tol: number): void {
  const dtype: DType = a instanceof Float64Array ? 'f64' : 'f32';
  const before = a.slice();
  const { q, r } = k.qr!(a, m, n);
  const p = Math.min(m, n);
  const where = `qr ${dtype} ${m}×${n}`;
  expect(a, `${where}: input modified`).toEqual(before);
  expect([q.length, r.length], where).toEqual([m * p, p * n]);
  for (let i = 0; i < p; i++) for (let j = 0; j < Math.min(i, n); j++) expect(r[i * n + j], `${where}: R below diagonal`).toBe(0);
  const scale = Math.max(norm(a), 1);
  expect(maxDiff(matmul(q, r, m, p, n), a) / scale, `${where}: reconstruction`).toBeLessThan(tol);
  expect(maxDiff(matmul(q, q, p, m, p, true, false), identity(dtype, p)), `${where}: QᵀQ`).toBeLessThan(tol);
}

function checkEigh(k: Kernel, a: FloatArray, n: number, tol: number): void {
  const dtype: DType = a instanceof Float64Array ? 'f64' : 'f32';
  const before = a.slice();
  const { w, v } = k.eigh!(a, n);
  const where = `eigh ${dtype} n=${n}`;
  expect(Array.from(a), `${where}: input modified`).toEqual(Array.from(before));
  expect([w.length, v.length], where).toEqual([n, n * n]);
  for (let i = 1; i < n; i++) expect(w[i]!, `${where}: ascending`).toBeGreaterThanOrEqual(w[i - 1]!);
  const sym = allocate(dtype, n * n); // the symmetric matrix the lower triangle defines
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) sym[i * n + j] = sym[j * n + i] = a[i * n + j]!;
  const vw = v.slice();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vw[i * n + j]! *= w[j]!;
  const scale = Math.max(norm(sym), 1);
  expect(maxDiff(matmul(vw, v, n, n, n, false, true), sym) / scale, `${where}: reconstruction`).toBeLessThan(tol);
  expect(maxDiff(matmul(v, v, n, n, n, true, false), identity(dtype, n)), `${where}: VᵀV`).toBeLessThan(tol);
}

/** m×r with orthonormal columns, by modified Gram–Schmidt applied twice (in TS, independent of LAPACK). */
function randomOrthonormal(rng: Random, m: number, r: number): Float64Array {
  const q = new Float64Array(m * r);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let j = 0; j < r; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * r + p]! * q[i * r + j]!;
        for (let i = 0; i < m; i++) q[i * r + j]! -= dot * q[i * r + p]!;
      }
    }
    let len = 0;
    for (let i = 0; i < m; i++) len += q[i * r + j]! ** 2;
    len = Math.sqrt(len);
    for (let i = 0; i < m; i++) q[i * r + j]! /= len;
  }
  return q;
}

/** U·diag(s)·Vᵀ for random orthonormal U (m×r) and V (n×r), r = s.length. */
function withSingularValues(rng: Random, m: number, n: number, s: number[]): Float64Array {
  const r = s.length;
  const u = randomOrthonormal(rng, m, r);
  const v = randomOrthonormal(rng, n, r);
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) u[i * r + j]! *= s[j]!;
  return matmul(u, v, m, r, n, false, true) as Float64Array;
}
