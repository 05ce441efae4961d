import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { qr } from './qr.js';
import { frobenius, logSpaced, matrixWithSingularValues, orthogonalityError, productResidual, randomShape } from '../../test/helpers/linalg-matrices.js';

function checkQr(a: Tensor, tol: number): void {
  const [m, n] = a.shape as [number, number];
  const k = Math.min(m, n);
  const { Q, R } = qr(a);
  expect(Q.shape).toEqual([m, k]);
  expect(R.shape).toEqual([k, n]);
  expect(Q.dtype).toBe(a.dtype);
  expect(productResidual(a.data, Q.data, undefined, R.data, m, n, k)).toBeLessThanOrEqual(tol * Math.max(frobenius(a.data), Number.MIN_VALUE));
  expect(orthogonalityError(Q.data, m, k)).toBeLessThanOrEqual(tol * Math.sqrt(k));
  for (let i = 0; i < k; i++) {
    expect(R.data[i * n + i]).toBeGreaterThanOrEqual(0);
    for (let j = 0; j < i; j++) expect(R.data[i * n + j]).toBe(0);
  }
}

for (const backend of availableBackends()) {
  describe(`qr on the ${backend} backend`, () => {
    const run = <T>(fn: () => T): T => withBackend(backend, fn);

    it('factors random matrices of every shape, including several panels (f64)', () => run(() => {
      const rng = new Random(21);
      for (let t = 0; t < 30; t++) {
        const [m, n] = randomShape(rng, t < 25 ? 40 : 90, t);
        checkQr(new Tensor(Float64Array.from({ length: m * n }, () => rng.normal()), [m, n]), 1e-12);
      }
    }));

    it('stays orthogonal on ill-conditioned and rank-deficient matrices', () => run(() => {
      const rng = new Random(22);
      for (const [m, n] of [[80, 50], [50, 80], [64, 64]] as const) {
        const k = Math.min(m, n);
        checkQr(new Tensor(matrixWithSingularValues(m, n, logSpaced(1, 1e-14, k), rng), [m, n]), 1e-12);
        const sigma = Array.from({ length: k }, (_, i) => (i < 5 ? 1 : 0));
        checkQr(new Tensor(matrixWithSingularValues(m, n, sigma, rng), [m, n]), 1e-12);
      }
      checkQr(new Tensor(new Float64Array(6), [3, 2]), 1e-12);
    }));

    it('gives the unique factors of a full-rank matrix (R diagonal positive)', () => run(() => {
      // A = Q0·R0 with a known positive-diagonal R0 must come back as exactly (Q0, R0).
      const rng = new Random(23);
      const m = 12;
      const n = 7;
      const q0 = matrixWithSingularValues(m, n, new Array<number>(n).fill(1), rng);
      const r0 = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) r0[i * n + j] = i === j ? 1 + rng.uniform() : rng.normal();
      const a = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < n; p++) a[i * n + j] += q0[i * n + p]! * r0[p * n + j]!;
      const { Q, R } = qr(new Tensor(a, [m, n]));
      for (let i = 0; i < q0.length; i++) expect(Math.abs(Q.data[i]! - q0[i]!)).toBeLessThan(1e-12);
      for (let i = 0; i < r0.length; i++) expect(Math.abs(R.data[i]! - r0[i]!)).toBeLessThan(1e-12);
    }));

    it('factors f32 matrices to single-precision accuracy', () => run(() => {
      const rng = new Random(24);
      for (let t = 0; t < 15; t++) {
        const [m, n] = randomShape(rng, 30, t);
        checkQr(new Tensor(Float32Array.from({ length: m * n }, () => rng.normal()), [m, n]), 1e-5);
      }
    }));

    it('names the problem for bad input', () => run(() => {
      expect(() => qr(new Tensor(new Float64Array(3), [3]))).toThrow(/qr: expected a 2-D matrix/);
      const bad = new Float32Array(6);
      bad[5] = Infinity;
      expect(() => qr(new Tensor(bad, [2, 3]))).toThrow(/Infinity at \[1, 2\]/);
    }));
  });
}
