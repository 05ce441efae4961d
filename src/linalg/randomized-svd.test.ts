import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { randomizedSvd } from './randomized-svd.js';
import { svd } from './svd.js';
import { logSpaced, matrixWithSingularValues, orthogonalityError, productResidual } from '../../test/helpers/linalg-matrices.js';

for (const backend of availableBackends()) {
  describe(`randomizedSvd on the ${backend} backend`, () => {
    const run = <T>(fn: () => T): T => withBackend(backend, fn);

    it('recovers an exactly low-rank matrix to working precision', () => run(() => {
      const rng = new Random(51);
      for (let t = 0; t < 8; t++) {
        const m = 20 + rng.int(80);
        const n = 20 + rng.int(80);
        const r = 1 + rng.int(8);
        const sigma = [...logSpaced(100, 1, r), ...new Array<number>(Math.min(m, n) - r).fill(0)];
        const a = matrixWithSingularValues(m, n, sigma, rng);
        const { U, S, Vt } = randomizedSvd(new Tensor(a, [m, n]), r, { seed: t });
        expect(U.shape).toEqual([m, r]);
        expect(Vt.shape).toEqual([r, n]);
        for (let i = 0; i < r; i++) expect(Math.abs(S.data[i]! - sigma[i]!)).toBeLessThan(1e-12 * sigma[0]!);
        expect(productResidual(a, U.data, S.data, Vt.data, m, n, r)).toBeLessThan(1e-12 * sigma[0]!);
        expect(orthogonalityError(U.data, m, r)).toBeLessThan(1e-12);
        expect(orthogonalityError(Vt.data, r, n, true)).toBeLessThan(1e-12);
      }
    }));

    it('comes close to the optimal truncation on a decaying spectrum and is reproducible', () => run(() => {
      const rng = new Random(52);
      const m = 150;
      const n = 90;
      const sigma = Array.from({ length: n }, (_, i) => 0.7 ** i);
      const a = new Tensor(matrixWithSingularValues(m, n, sigma, rng), [m, n]);
      const rank = 10;
      const got = randomizedSvd(a, rank, { seed: 3, oversample: 10, powerIterations: 2 });
      const optimal = Math.sqrt(sigma.slice(rank).reduce((s, x) => s + x * x, 0));
      const err = productResidual(a.data, got.U.data, got.S.data, got.Vt.data, m, n, rank);
      expect(err).toBeLessThan(1.01 * optimal);
      for (let i = 0; i < rank; i++) expect(Math.abs(got.S.data[i]! - sigma[i]!)).toBeLessThan(1e-6 * sigma[0]!);
      const again = randomizedSvd(a, rank, { seed: 3 });
      expect(Array.from(again.S.data)).toEqual(Array.from(got.S.data));
      expect(Array.from(again.U.data)).toEqual(Array.from(got.U.data));
      // Sampling the whole range makes it the exact SVD.
      const full = randomizedSvd(a, n, { seed: 4 });
      const exact = svd(a);
      for (let i = 0; i < n; i++) expect(Math.abs(full.S.data[i]! - exact.S.data[i]!)).toBeLessThan(1e-12);
    }));

    it('works in f32 and keeps the dtype', () => run(() => {
      const rng = new Random(53);
      const a = Float32Array.from(matrixWithSingularValues(40, 30, [5, 3, 1, ...new Array<number>(27).fill(0)], rng));
      const { U, S, Vt } = randomizedSvd(new Tensor(a, [40, 30]), 3);
      expect(U.dtype).toBe('f32');
      expect(Math.abs(S.data[2]! - 1)).toBeLessThan(1e-5);
      expect(productResidual(a, U.data, S.data, Vt.data, 40, 30, 3)).toBeLessThan(1e-5 * 5);
    }));

    it('rejects a bad rank or options by name', () => run(() => {
      const a = new Tensor(new Float64Array(12), [3, 4]);
      expect(() => randomizedSvd(a, 0)).toThrow(/rank must be an integer in 1…3 for a 3×4 matrix, got 0/);
      expect(() => randomizedSvd(a, 4)).toThrow(/rank/);
      expect(() => randomizedSvd(a, 2, { oversample: -1 })).toThrow(/oversample/);
      expect(() => randomizedSvd(a, 2, { powerIterations: 0.5 })).toThrow(/powerIterations/);
      expect(() => randomizedSvd(a, 2, { seed: Infinity })).toThrow(/seed/);
    }));
  });
}
