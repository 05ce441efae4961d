import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { svd } from './svd.js';
import {
  frobenius, logSpaced, matrixWithSingularValues, orthogonalityError, productResidual, randomShape,
} from '../../test/helpers/linalg-matrices.js';

/** Checks every property of a thin SVD of `a` (m×n) and returns the singular values. */
function checkSvd(a: Tensor, tol: number): Float64Array {
  const [m, n] = a.shape as [number, number];
  const k = Math.min(m, n);
  const before = Float64Array.from(a.data);
  const { U, S, Vt } = svd(a);
  expect(U.shape).toEqual([m, k]);
  expect(S.shape).toEqual([k]);
  expect(Vt.shape).toEqual([k, n]);
  expect(U.dtype).toBe(a.dtype);
  expect(Array.from(a.data)).toEqual(Array.from(before)); // input untouched
  const norm = frobenius(a.data);
  expect(productResidual(a.data, U.data, S.data, Vt.data, m, n, k)).toBeLessThanOrEqual(tol * Math.max(norm, Number.MIN_VALUE));
  expect(orthogonalityError(U.data, m, k)).toBeLessThanOrEqual(tol * Math.sqrt(k));
  expect(orthogonalityError(Vt.data, k, n, true)).toBeLessThanOrEqual(tol * Math.sqrt(k));
  for (let i = 0; i < k; i++) {
    expect(S.data[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(S.data[i]).toBeLessThanOrEqual(S.data[i - 1]!);
  }
  // Sign convention: the first largest-magnitude entry of each column of U is positive.
  for (let j = 0; j < k; j++) {
    let big = 0;
    for (let i = 0; i < m; i++) big = Math.max(big, Math.abs(U.data[i * k + j]!));
    let i = 0;
    while (Math.abs(U.data[i * k + j]!) < big * (1 - 1e-3)) i++;
    expect(U.data[i * k + j]).toBeGreaterThan(0);
  }
  return Float64Array.from(S.data);
}

for (const backend of availableBackends()) {
  describe(`svd on the ${backend} backend`, () => {
    const run = <T>(fn: () => T): T => withBackend(backend, fn);

    it('factors random Gaussian matrices of every shape (f64)', () => run(() => {
      const rng = new Random(11);
      for (let t = 0; t < 30; t++) {
        const [m, n] = randomShape(rng, 40, t);
        const data = Float64Array.from({ length: m * n }, () => rng.normal());
        checkSvd(new Tensor(data, [m, n]), 1e-12);
      }
    }));

    it('recovers log-spaced singular values from 1 to 1e-14 to backward-stable accuracy', () => run(() => {
      const rng = new Random(12);
      for (const [m, n] of [[30, 30], [120, 25], [25, 120], [64, 64], [300, 40], [1, 1], [40, 1], [1, 40]] as const) {
        const k = Math.min(m, n);
        const sigma = logSpaced(1, 1e-14, k);
        const a = new Tensor(matrixWithSingularValues(m, n, sigma, rng), [m, n]);
        const s = checkSvd(a, 1e-12);
        for (let i = 0; i < k; i++) expect(Math.abs(s[i]! - sigma[i]!)).toBeLessThanOrEqual(2e-14 * sigma[0]!);
      }
    }));

    it('handles rank deficiency, repeated values, zero and extreme scales', () => run(() => {
      const rng = new Random(13);
      // Rank 3 in 20×15: exactly three non-negligible values.
      const rankThree = matrixWithSingularValues(20, 15, [5, 2, 1, ...new Array<number>(12).fill(0)], rng);
      const s = checkSvd(new Tensor(rankThree, [20, 15]), 1e-12);
      expect(s[2]).toBeCloseTo(1, 12);
      for (let i = 3; i < 15; i++) expect(s[i]).toBeLessThan(1e-14 * 5);
      // An orthogonal matrix: every singular value is 1.
      const q = matrixWithSingularValues(17, 17, new Array<number>(17).fill(1), rng);
      for (const v of checkSvd(new Tensor(q, [17, 17]), 1e-12)) expect(Math.abs(v - 1)).toBeLessThan(1e-13);
      // Zero matrix.
      for (const v of checkSvd(new Tensor(new Float64Array(12), [3, 4]), 1e-12)) expect(v).toBe(0);
      // Entries near overflow and underflow keep their relative accuracy.
      for (const scale of [1e-300, 1e300]) {
        const sigma = [3, 2, 1, 0.5];
        const a = new Tensor(matrixWithSingularValues(9, 4, sigma, rng).map((x) => x * scale), [9, 4]);
        const got = checkSvd(a, 1e-12);
        for (let i = 0; i < 4; i++) expect(Math.abs(got[i]! / scale - sigma[i]!)).toBeLessThan(1e-13);
      }
    }));

    it('factors f32 matrices to single-precision accuracy and keeps the dtype', () => run(() => {
      const rng = new Random(14);
      for (let t = 0; t < 15; t++) {
        const [m, n] = randomShape(rng, 30, t);
        const data = Float32Array.from({ length: m * n }, () => rng.normal());
        checkSvd(new Tensor(data, [m, n]), 1e-5);
      }
    }));

    it('returns empty factors for empty matrices', () => run(() => {
      for (const [m, n] of [[0, 4], [3, 0], [0, 0]] as const) {
        const { U, S, Vt } = svd(new Tensor(new Float64Array(0), [m, n]));
        expect([U.shape, S.shape, Vt.shape]).toEqual([[m, 0], [0], [0, n]]);
      }
    }));

    it('names the problem for bad input', () => run(() => {
      expect(() => svd(new Tensor(new Float64Array(8), [2, 2, 2]))).toThrow(/2-D matrix.*\[2, 2, 2\]/);
      const bad = new Float64Array(12);
      bad[7] = NaN;
      expect(() => svd(new Tensor(bad, [3, 4]))).toThrow(/NaN at \[1, 3\]/);
      bad[7] = 0;
      bad[2] = -Infinity;
      expect(() => svd(new Tensor(bad, [3, 4]))).toThrow(/-Infinity at \[0, 2\]/);
    }));
  });
}

describe('svd across backends', () => {
  const others = availableBackends().filter((b) => b !== 'ts');
  it.skipIf(others.length === 0)('every backend returns the TypeScript factors, signs included', () => {
    const rng = new Random(15);
    for (const [m, n] of [[40, 25], [25, 40], [33, 33]] as const) {
      const a = new Tensor(matrixWithSingularValues(m, n, logSpaced(10, 0.1, Math.min(m, n)), rng), [m, n]);
      const ref = withBackend('ts', () => svd(a));
      for (const backend of others) {
        const got = withBackend(backend, () => svd(a));
        for (const key of ['U', 'S', 'Vt'] as const) {
          const x = got[key].data;
          const y = ref[key].data;
          for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-10);
        }
      }
    }
  });
});
