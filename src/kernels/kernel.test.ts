import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../test/helpers/backends.js';
import { allocate, type DType, type FloatArray } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import type { Kernel } from './kernel.js';

/*
 * The one test suite of the Kernel interface, run on every backend (native, wasm, ts).
 * Every method is checked against a naive triple loop in double precision, not against
 * another backend, so the TypeScript reference is tested like the others.
 */

const DTYPES: DType[] = ['f64', 'f32'];
/** Unit roundoff ×2 of each dtype: the per-operation error the bounds below are written in. */
const EPS: Record<DType, number> = { f64: 2 ** -52, f32: 2 ** -23 };
const SCALARS = [0, 1, -1, 0.5, -0.75, 2.25];
const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]] as const;

function randomArray(rng: Random, dtype: DType, size: number): FloatArray {
  const x = allocate(dtype, size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

/** `size` elements of `base` from `offset` on: a view with a non-zero byteOffset. */
function viewOf(base: FloatArray, offset: number, size: number): FloatArray {
  return base.subarray(offset, offset + size);
}

/**
 * The reference: C0 ← alpha·op(A)·op(B) + beta·C0 by a naive triple loop in double
 * precision (C0 not read when beta = 0), and the componentwise magnitude
 * |alpha|·|op(A)|·|op(B)| + |beta·C0| that rounding errors are measured against.
 */
function referenceGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: ArrayLike<number>, b: ArrayLike<number>, beta: number, c0: ArrayLike<number>,
): { want: Float64Array; bound: Float64Array } {
  const want = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i]! : a[i * k + p]!;
        const bv = transB ? b[j * k + p]! : b[p * n + j]!;
        sum += av * bv;
        mag += Math.abs(av * bv);
      }
      const old = beta === 0 ? 0 : beta * c0[i * n + j]!;
      want[i * n + j] = alpha * sum + old;
      bound[i * n + j] = Math.abs(alpha) * mag + Math.abs(old);
    }
  }
  return { want, bound };
}

/**
 * |got − want| ≤ (k + 4)·eps·bound componentwise: the classical error bound of a length-k
 * dot product in any summation order (blocked, SIMD or FMA), plus the alpha and beta
 * roundings, with a factor 2 to spare. Cancellation cannot hide an error: the bound is
 * on absolute values.
 */
function expectGemmClose(got: ArrayLike<number>, want: Float64Array, bound: Float64Array, k: number, dtype: DType, what: string): void {
  expect(got.length, what).toBe(want.length);
  const tol = (k + 4) * EPS[dtype];
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    if (!(Math.abs(g - want[i]!) <= tol * bound[i]! + 1e-300)) {
      throw new Error(`${what}: C[${i}] = ${g}, reference ${want[i]} (allowed error ${tol * bound[i]!})`);
    }
  }
}

/** A dimension biased towards the edge cases 0 and 1 and ragged tile sizes. */
const smallDim = fc.oneof({ arbitrary: fc.constantFrom(0, 1), weight: 1 }, { arbitrary: fc.integer({ min: 2, max: 40 }), weight: 5 });
/** Large enough to cross the packing and cache blocks of every backend (KC = 256, MC = 128/144, OpenBLAS' small-matrix cut-off). */
const largeDim = fc.integer({ min: 1, max: 300 });

interface GemmCase {
  m: number; n: number; k: number; trans: readonly [boolean, boolean]; alpha: number; beta: number; offsets: [number, number, number]; seed: number;
}

const gemmCase = (dim: fc.Arbitrary<number>) => fc.record({
  m: dim, n: dim, k: dim,
  trans: fc.constantFrom(...TRANSPOSES),
  alpha: fc.constantFrom(...SCALARS),
  beta: fc.constantFrom(...SCALARS),
  offsets: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })),
  seed: fc.nat(),
});

/**
 * One gemm case: A, B and C are views at offsets into larger buffers; when beta = 0, C
 * holds NaN (it must not be read) and a beta = 1 call of the same shape runs first, so a
 * backend that keeps C in scratch memory (wasm's linear memory) has NaN there too. The
 * elements of C's buffer outside the view must be left alone.
 */
function checkGemm(kernel: Kernel, dtype: DType, c: GemmCase): void {
  const { m, n, k, alpha, beta, seed } = c;
  const [transA, transB] = c.trans;
  const rng = new Random(seed);
  const [oa, ob, oc] = c.offsets;
  const a = viewOf(randomArray(rng, dtype, m * k + oa + 3), oa, m * k);
  const b = viewOf(randomArray(rng, dtype, k * n + ob + 3), ob, k * n);
  const cBase = randomArray(rng, dtype, m * n + oc + 3);
  const out = viewOf(cBase, oc, m * n);
  if (beta === 0) {
    out.fill(NaN);
    kernel.gemm(transA, transB, m, n, k, alpha, a, b, 1, out.slice());
  }
  const before = cBase.slice();
  const { want, bound } = referenceGemm(transA, transB, m, n, k, alpha, a, b, beta, out);
  kernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, out);
  const what = `${kernel.name} gemm ${dtype} m=${m} n=${n} k=${k} tA=${transA} tB=${transB} alpha=${alpha} beta=${beta}`;
  expectGemmClose(out, want, bound, k, dtype, what);
  expect(Array.from(cBase.subarray(0, oc)), `${what}: C before the view`).toEqual(Array.from(before.subarray(0, oc)));
  expect(Array.from(cBase.subarray(oc + m * n)), `${what}: C past the view`).toEqual(Array.from(before.subarray(oc + m * n)));
}

describeEachBackend('Kernel', (kernel, name) => {
  it('names itself and describes what it runs on', () => {
    expect(kernel.name).toBe(name);
    expect(kernel.description.length).toBeGreaterThan(0);
  });

  describe('gemm', () => {
    for (const dtype of DTYPES) {
      it(`property: matches the naive product on random small shapes, transposes, alpha, beta and views (${dtype})`, () => {
        fc.assert(fc.property(gemmCase(smallDim), (c) => checkGemm(kernel, dtype, c)), { numRuns: 200, seed: dtype === 'f64' ? 1 : 2 });
      });

      it(`property: matches the naive product on shapes crossing the packing and cache blocks (${dtype})`, () => {
        fc.assert(fc.property(gemmCase(largeDim), (c) => checkGemm(kernel, dtype, c)), { numRuns: 12, seed: dtype === 'f64' ? 3 : 4 });
      });

      it(`deep k and wide n (wider than one packed B panel) cross every block (${dtype})`, () => {
        const shapes = [[9, 2100, 5], [6, 7, 700], [130, 11, 520], [1, 2049, 257], [5, 1031, 37], [4, 1030, 260]] as const;
        shapes.forEach(([m, n, k], i) => {
          checkGemm(kernel, dtype, { m, n, k, trans: TRANSPOSES[i % 4]!, alpha: 0.5, beta: i % 2 === 0 ? 1 : 0, offsets: [1, 2, 3], seed: i });
        });
      });
    }

    it('empty dimensions: k = 0 scales C by beta (NaN-free when beta = 0), m = 0 or n = 0 touch nothing', () => {
      for (const dtype of DTYPES) {
        const c = allocate(dtype, 6);
        c.set([1, 2, 3, 4, 5, 6]);
        kernel.gemm(false, false, 2, 3, 0, 1, allocate(dtype, 0), allocate(dtype, 0), 2, c);
        expect(Array.from(c)).toEqual([2, 4, 6, 8, 10, 12]);
        const nan = allocate(dtype, 2).fill(NaN);
        kernel.gemm(false, false, 1, 2, 0, 1, allocate(dtype, 0), allocate(dtype, 0), 0, nan);
        expect(Array.from(nan)).toEqual([0, 0]);
        const untouched = allocate(dtype, 2);
        untouched.set([7, 8]);
        kernel.gemm(false, false, 0, 2, 3, 1, allocate(dtype, 0), allocate(dtype, 6), 0, untouched);
        kernel.gemm(false, false, 2, 0, 3, 1, allocate(dtype, 6), allocate(dtype, 0), 0, untouched);
        expect(Array.from(untouched)).toEqual([7, 8]);
      }
    });

    it('is exact on small integers, with no stale scratch between calls of different sizes', () => {
      const rng = new Random(5);
      for (let trial = 0; trial < 30; trial++) {
        const dtype = DTYPES[rng.int(2)]!;
        const m = 1 + rng.int(200), n = 1 + rng.int(60), k = 1 + rng.int(300);
        const a = allocate(dtype, m * k).map(() => rng.int(7) - 3);
        const b = allocate(dtype, k * n).map(() => rng.int(7) - 3);
        const c = allocate(dtype, m * n);
        kernel.gemm(false, false, m, n, k, 1, a, b, 0, c);
        const { want } = referenceGemm(false, false, m, n, k, 1, a, b, 0, c);
        for (let i = 0; i < want.length; i++) {
          if (c[i] !== want[i]) throw new Error(`${dtype} m=${m} n=${n} k=${k}: C[${i}] = ${c[i]}, expected ${want[i]}`);
        }
      }
    });

    it('rejects mixed dtypes, short arrays and bad dimensions, naming the problem', () => {
      const a = new Float64Array(6);
      const b = new Float64Array(6);
      const c = new Float64Array(4);
      expect(() => kernel.gemm(false, false, 2, 2, 3, 1, a, new Float32Array(6), 0, c)).toThrow(/share one dtype/);
      expect(() => kernel.gemm(false, false, 2, 2, 4, 1, a, b, 0, c)).toThrow(/A has 6 elements, needs 8/);
      expect(() => kernel.gemm(false, false, 2, 2, 3, 1, a, new Float64Array(5), 0, c)).toThrow(/B has 5 elements, needs 6/);
      expect(() => kernel.gemm(false, false, 3, 2, 3, 1, new Float64Array(9), b, 0, c)).toThrow(/C has 4 elements, needs 6/);
      expect(() => kernel.gemm(false, false, -1, 2, 3, 1, a, b, 0, c)).toThrow(/m = -1/);
      expect(() => kernel.gemm(false, false, 1.5, 2, 3, 1, a, b, 0, c)).toThrow(/m = 1.5/);
      expect(() => kernel.gemm(false, false, 2, 2, NaN, 1, a, b, 0, c)).toThrow(/k = NaN/);
    });
  });

  describe('gemmBatched', () => {
    const batchCase = fc.record({
      batch: fc.constantFrom(0, 1, 2, 3, 7),
      m: smallDim, n: smallDim, k: smallDim,
      trans: fc.constantFrom(...TRANSPOSES),
      alpha: fc.constantFrom(...SCALARS),
      beta: fc.constantFrom(...SCALARS),
      // Broadcast (stride 0), packed, or with a gap between matrices.
      gapA: fc.constantFrom<number | 'broadcast'>('broadcast', 0, 3),
      gapB: fc.constantFrom<number | 'broadcast'>('broadcast', 0, 2),
      seed: fc.nat(),
    });

    for (const dtype of DTYPES) {
      it(`property: equals the naive product of each matrix (${dtype}, stride-0 broadcast, packed and gapped batches)`, () => {
        fc.assert(fc.property(batchCase, (c) => {
          const { batch, m, n, k, alpha, beta } = c;
          const transA = c.trans[0];
          const transB = c.trans[1];
          const strideA = c.gapA === 'broadcast' ? 0 : m * k + c.gapA;
          const strideB = c.gapB === 'broadcast' ? 0 : k * n + c.gapB;
          const rng = new Random(c.seed);
          const last = Math.max(batch - 1, 0);
          const a = viewOf(randomArray(rng, dtype, last * strideA + m * k + 2), 1, last * strideA + m * k);
          const b = viewOf(randomArray(rng, dtype, last * strideB + k * n + 3), 2, last * strideB + k * n);
          const c0 = randomArray(rng, dtype, batch * m * n);
          const got = c0.slice();
          if (beta === 0) {
            got.fill(NaN);
            kernel.gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, 1, got.slice());
          }
          kernel.gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, got);
          for (let i = 0; i < batch; i++) {
            const { want, bound } = referenceGemm(
              transA, transB, m, n, k, alpha,
              a.subarray(i * strideA, i * strideA + m * k), b.subarray(i * strideB, i * strideB + k * n),
              beta, c0.subarray(i * m * n, (i + 1) * m * n),
            );
            const what = `${kernel.name} gemmBatched ${dtype} matrix ${i} of ${batch}: m=${m} n=${n} k=${k} tA=${transA} tB=${transB} sA=${strideA} sB=${strideB} alpha=${alpha} beta=${beta}`;
            expectGemmClose(got.subarray(i * m * n, (i + 1) * m * n), want, bound, k, dtype, what);
          }
        }), { numRuns: 150, seed: dtype === 'f64' ? 5 : 6 });
      });
    }

    it('broadcasting one B over packed A above 64³ equals the per-matrix products', () => {
      // Shapes this large take the single stacked BLAS call on the native backend.
      const rng = new Random(5);
      for (const dtype of DTYPES) {
        const [batch, m, n, k] = [3, 70, 66, 65];
        const a = randomArray(rng, dtype, batch * m * k);
        const b = randomArray(rng, dtype, k * n);
        const got = allocate(dtype, batch * m * n).fill(NaN);
        kernel.gemmBatched(false, false, batch, m, n, k, 1, a, m * k, b, 0, 0, got);
        for (let i = 0; i < batch; i++) {
          const { want, bound } = referenceGemm(false, false, m, n, k, 1, a.subarray(i * m * k, (i + 1) * m * k), b, 0, []);
          expectGemmClose(got.subarray(i * m * n, (i + 1) * m * n), want, bound, k, dtype, `${dtype} matrix ${i}`);
        }
      }
    });

    it('rejects bad batch sizes, strides and short arrays, naming the problem', () => {
      const x = new Float64Array(6);
      const c = new Float64Array(4);
      expect(() => kernel.gemmBatched(false, false, -2, 1, 1, 1, 1, x, 1, x, 1, 0, x)).toThrow(/batch = -2/);
      expect(() => kernel.gemmBatched(false, false, 2, 1, 1, 1, 1, x, 1.5, x, 1, 0, x)).toThrow(/strideA = 1.5/);
      expect(() => kernel.gemmBatched(false, false, 2, 2, 2, 3, 1, x, -6, x, 0, 0, c)).toThrow(/strideA = -6/);
      expect(() => kernel.gemmBatched(false, false, 2, 1, 1, 1, 1, x, 1, x, -1, 0, x)).toThrow(/strideB = -1/);
      expect(() => kernel.gemmBatched(false, false, 3, 2, 2, 3, 1, x, 6, x, 0, 0, new Float64Array(12))).toThrow(/A has 6 elements, needs 18/);
      expect(() => kernel.gemmBatched(false, false, 2, 2, 2, 3, 1, x, 0, x, 6, 0, new Float64Array(8))).toThrow(/B has 6 elements, needs 12/);
      expect(() => kernel.gemmBatched(false, false, 2, 2, 2, 3, 1, x, 0, x, 0, 0, c)).toThrow(/C has 4 elements, needs 8/);
      expect(() => kernel.gemmBatched(false, false, 1, 1, 1, 1, 1, x, 1, new Float32Array(1), 1, 0, x)).toThrow(/share one dtype/);
    });
  });

  // The LAPACK routines are optional: backends without them (wasm, ts) leave the
  // factorizations to linalg, which is tested on every backend through the projects.
  describe('svd, qr and eigh', () => {
    const skip = !kernel.svd || !kernel.qr || !kernel.eigh;
    const TOL: Record<DType, number> = { f64: 1e-12, f32: 5e-5 };
    const shape = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }));
    const LARGE: Array<[number, number]> = [[64, 64], [130, 40], [40, 130]];

    for (const dtype of DTYPES) {
      it.skipIf(skip)(`property: svd reconstructs A with orthonormal factors and descending s (${dtype})`, () => {
        fc.assert(fc.property(shape, fc.nat(), ([m, n], seed) => {
          checkSvd(kernel, randomView(new Random(seed), dtype, m * n), m, n, TOL[dtype]);
        }), { numRuns: 40, seed: 11 });
        for (const [m, n] of LARGE) checkSvd(kernel, randomView(new Random(m), dtype, m * n), m, n, TOL[dtype]);
      });

      it.skipIf(skip)(`property: qr reconstructs A with orthonormal Q and triangular R (${dtype})`, () => {
        fc.assert(fc.property(shape, fc.nat(), ([m, n], seed) => {
          checkQr(kernel, randomView(new Random(seed), dtype, m * n), m, n, TOL[dtype]);
        }), { numRuns: 40, seed: 21 });
        for (const [m, n] of LARGE) checkQr(kernel, randomView(new Random(m), dtype, m * n), m, n, TOL[dtype]);
      });

      it.skipIf(skip)(`property: eigh diagonalizes the lower triangle, ignoring the upper (${dtype})`, () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 40 }), fc.nat(), (n, seed) => {
          const a = randomView(new Random(seed), dtype, n * n);
          // Only the lower triangle is read: NaN above the diagonal must not matter.
          for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = NaN;
          checkEigh(kernel, a, n, TOL[dtype]);
        }), { numRuns: 30, seed: 31 });
        checkEigh(kernel, symmetric(new Random(100), dtype, 100), 100, TOL[dtype]);
      });
    }

    it.skipIf(skip)('svd recovers singular values 1 … 1e-14 of ill-conditioned tall and wide matrices (f64)', () => {
      const rng = new Random(41);
      for (const [m, n] of [[60, 25], [25, 60], [40, 40]] as const) {
        const r = Math.min(m, n);
        const s = Array.from({ length: r }, (_, i) => 10 ** (-14 * i / (r - 1)));
        const a = withSingularValues(rng, m, n, s);
        checkSvd(kernel, a, m, n, 1e-12);
        const got = kernel.svd!(a, m, n).s;
        for (let i = 0; i < r; i++) expect(Math.abs(got[i]! - s[i]!)).toBeLessThan(1e-13);
      }
    });

    it.skipIf(skip)('qr of ill-conditioned tall and wide matrices is still accurate (f64)', () => {
      const rng = new Random(42);
      for (const [m, n] of [[60, 25], [25, 60], [40, 40]] as const) {
        const r = Math.min(m, n);
        const s = Array.from({ length: r }, (_, i) => 10 ** (-14 * i / (r - 1)));
        checkQr(kernel, withSingularValues(rng, m, n, s), m, n, 1e-12);
      }
    });

    it.skipIf(skip)('eigh recovers eigenvalues spanning 1 … 1e-14 of both signs (f64)', () => {
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
      checkEigh(kernel, a, n, 1e-12);
      const got = kernel.eigh!(a, n).w;
      const sorted = [...w].sort((x, y) => x - y);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - sorted[i]!)).toBeLessThan(1e-13);
    });

    it.skipIf(skip)('reject short arrays by name', () => {
      expect(() => kernel.svd!(new Float64Array(5), 2, 3)).toThrow(/a has 5 elements/);
      expect(() => kernel.qr!(new Float64Array(5), 2, 3)).toThrow(/a has 5 elements/);
      expect(() => kernel.eigh!(new Float64Array(3), 2)).toThrow(/a has 3 elements/);
    });
  });
});

/** A random view with a non-zero byteOffset into a larger buffer. */
function randomView(rng: Random, dtype: DType, size: number): FloatArray {
  const offset = 1 + rng.int(5);
  return viewOf(randomArray(rng, dtype, size + offset + rng.int(3)), offset, size);
}

/** A random n×n symmetric matrix. */
function symmetric(rng: Random, dtype: DType, n: number): FloatArray {
  const a = randomArray(rng, dtype, n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  return a;
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

/** m×n product of op(a) and op(b) by the naive reference, in the dtype of a. */
function matmul(a: FloatArray, b: FloatArray, m: number, p: number, n: number, transA = false, transB = false): FloatArray {
  const c = allocate(a instanceof Float64Array ? 'f64' : 'f32', m * n);
  c.set(referenceGemm(transA, transB, m, n, p, 1, a, b, 0, []).want);
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

/** m×r with orthonormal columns, by modified Gram–Schmidt applied twice (independent of LAPACK). */
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
