import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { eigh } from './eigh.js';
import { frobenius, logSpaced, orthogonalityError, symmetricWithEigenvalues } from '../../test/helpers/linalg-matrices.js';

/** Checks A·V = V·Λ, VᵀV = I, ascending order; returns the eigenvalues. */
function checkEigh(a: Tensor, tol: number): Float64Array {
  const n = a.shape[0]!;
  const { values, vectors } = eigh(a);
  expect(values.shape).toEqual([n]);
  expect(vectors.shape).toEqual([n, n]);
  expect(vectors.dtype).toBe(a.dtype);
  const w = values.data;
  const v = vectors.data;
  let res = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let av = 0;
      for (let p = 0; p < n; p++) av += a.data[i * n + p]! * v[p * n + j]!;
      res += (av - v[i * n + j]! * w[j]!) ** 2;
    }
  }
  expect(Math.sqrt(res)).toBeLessThanOrEqual(tol * Math.max(frobenius(a.data), Number.MIN_VALUE));
  expect(orthogonalityError(v, n, n)).toBeLessThanOrEqual(tol * Math.sqrt(n));
  for (let j = 1; j < n; j++) expect(w[j]).toBeGreaterThanOrEqual(w[j - 1]!);
  return Float64Array.from(w);
}

for (const backend of availableBackends()) {
  describe(`eigh on the ${backend} backend`, () => {
    const run = <T>(fn: () => T): T => withBackend(backend, fn);

    it('recovers known spectra of random symmetric matrices (f64)', () => run(() => {
      const rng = new Random(31);
      for (let t = 0; t < 12; t++) {
        const n = 1 + rng.int(t < 10 ? 40 : 90);
        const lambda = Array.from({ length: n }, () => 10 * rng.normal()).sort((x, y) => x - y);
        const w = checkEigh(new Tensor(symmetricWithEigenvalues(lambda, rng), [n, n]), 1e-12);
        const scale = Math.max(...lambda.map(Math.abs));
        for (let i = 0; i < n; i++) expect(Math.abs(w[i]! - lambda[i]!)).toBeLessThanOrEqual(1e-13 * n * scale);
      }
    }));

    it('handles clustered, repeated and widely spread eigenvalues', () => run(() => {
      const rng = new Random(32);
      const spreads = [
        logSpaced(1, 1e-14, 30).map((x, i) => (i % 2 ? -x : x)).sort((x, y) => x - y),
        [...new Array<number>(10).fill(2), ...new Array<number>(10).fill(-1)].sort((x, y) => x - y),
        Array.from({ length: 25 }, (_, i) => 1 + 1e-12 * i),
      ];
      for (const lambda of spreads) {
        const n = lambda.length;
        const w = checkEigh(new Tensor(symmetricWithEigenvalues(lambda, rng), [n, n]), 1e-12);
        const scale = Math.max(...lambda.map(Math.abs));
        for (let i = 0; i < n; i++) expect(Math.abs(w[i]! - lambda[i]!)).toBeLessThanOrEqual(1e-13 * scale);
      }
      checkEigh(new Tensor(new Float64Array(9), [3, 3]), 1e-12);
    }));

    it('decomposes f32 matrices to single-precision accuracy', () => run(() => {
      const rng = new Random(33);
      for (let t = 0; t < 8; t++) {
        const n = 1 + rng.int(30);
        const lambda = Array.from({ length: n }, () => rng.normal()).sort((x, y) => x - y);
        checkEigh(new Tensor(Float32Array.from(symmetricWithEigenvalues(lambda, rng)), [n, n]), 1e-5);
      }
    }));

    it('rejects asymmetric, non-square and non-finite input with a clear message', () => run(() => {
      const a = new Float64Array([1, 2, 2.5, 3]);
      expect(() => eigh(new Tensor(a, [2, 2]))).toThrow(/not symmetric: max\|A − Aᵀ\| = 5\.000e-1 at \[0, 1\]/);
      expect(eigh(new Tensor(a, [2, 2]), { symmetryTol: 0.2 }).values.shape).toEqual([2]);
      expect(() => eigh(new Tensor(new Float64Array(6), [2, 3]))).toThrow(/square matrix, got 2×3/);
      expect(() => eigh(new Tensor(Float64Array.of(1, NaN, NaN, 1), [2, 2]))).toThrow(/NaN at \[0, 1\]/);
    }));
  });
}
