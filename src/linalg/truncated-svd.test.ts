import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { truncatedSvd } from './truncated-svd.js';
import { frobenius, logSpaced, matrixWithSingularValues, productResidual } from '../../test/helpers/linalg-matrices.js';

for (const backend of availableBackends()) {
  describe(`truncatedSvd on the ${backend} backend`, () => {
    const run = <T>(fn: () => T): T => withBackend(backend, fn);

    it('keeps the smallest rank whose discarded tail is within rse, capped by maxRank', () => run(() => {
      const rng = new Random(41);
      for (let t = 0; t < 20; t++) {
        const m = 2 + rng.int(30);
        const n = 2 + rng.int(30);
        const k = Math.min(m, n);
        const sigma = logSpaced(1, 10 ** -(1 + rng.int(10)), k);
        const a = matrixWithSingularValues(m, n, sigma, rng);
        const bound = 10 ** (-1 - 6 * rng.uniform());
        const maxRank = rng.uniform() < 0.5 ? 1 + rng.int(k) : undefined;
        const got = truncatedSvd(new Tensor(a, [m, n]), maxRank === undefined ? { rse: bound } : { rse: bound, maxRank });

        const norm = Math.sqrt(sigma.reduce((s, x) => s + x * x, 0));
        const tail = (r: number): number => Math.sqrt(sigma.slice(r).reduce((s, x) => s + x * x, 0));
        let expected = 0;
        while (tail(expected) > bound * norm) expected++;
        expected = Math.max(1, Math.min(expected, maxRank ?? k));
        // Values sitting on the tolerance boundary can flip by rounding: allow no ties there.
        if (Math.abs(tail(expected) - bound * norm) < 1e-9 * norm) continue;
        expect(got.rank).toBe(expected);
        expect(got.U.shape).toEqual([m, expected]);
        expect(got.S.shape).toEqual([expected]);
        expect(got.Vt.shape).toEqual([expected, n]);
        expect(got.discardedNorm).toBeCloseTo(tail(expected), 12);
        // Eckart–Young: the error of the truncation is exactly the discarded norm.
        const err = productResidual(a, got.U.data, got.S.data, got.Vt.data, m, n, expected);
        expect(Math.abs(err - got.discardedNorm)).toBeLessThan(1e-12 * frobenius(a));
      }
    }));

    it('drops only exact zeros by default and keeps at least one value', () => run(() => {
      const rng = new Random(42);
      const a = matrixWithSingularValues(10, 8, [4, 3, 2, 0, 0, 0, 0, 0], rng);
      expect(truncatedSvd(new Tensor(a, [10, 8]), { rse: 1e-10 }).rank).toBe(3);
      expect(truncatedSvd(new Tensor(new Float64Array(6), [2, 3])).rank).toBe(1);
      expect(truncatedSvd(new Tensor(a, [10, 8]), { maxRank: 2 }).rank).toBe(2);
    }));

    it('rejects bad options by name', () => run(() => {
      const a = new Tensor(new Float64Array(4), [2, 2]);
      expect(() => truncatedSvd(a, { maxRank: 0 })).toThrow(/maxRank must be a positive integer, got 0/);
      expect(() => truncatedSvd(a, { maxRank: 1.5 })).toThrow(/maxRank/);
      expect(() => truncatedSvd(a, { rse: -1 })).toThrow(/rse must be in \[0, 1\], got -1/);
      expect(() => truncatedSvd(a, { rse: NaN })).toThrow(/rse/);
    }));
  });
}
