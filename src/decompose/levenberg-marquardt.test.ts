import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { contractCores } from './contract-cores.js';
import { fitCores } from './fit-cores.js';
import { lmFit } from './levenberg-marquardt.js';
import { rse } from './metrics.js';
import { ringRankMatrix } from '../network/topologies.js';
import { lowRankTensor, perturbCores, randInt, randomDims, randomRankMatrix, randomTreeRankMatrix } from '../../test/helpers/decompose-tensors.js';

describe('lmFit', () => {
  it('fits exactly-low-rank tensors of random topologies with loops from a perturbed truth to 1e-8', () => {
    const rng = new Random(41);
    for (let trial = 0; trial < 8; trial++) {
      const n = randInt(rng, 3, 5);
      const dims = randomDims(rng, n, 2, 4);
      const R = trial % 2 === 0 ? ringRankMatrix(n, randomDims(rng, n, 2, 3)) : randomRankMatrix(rng, n, 3, 0.6);
      const { x, cores } = lowRankTensor(dims, R, rng);
      const fit = lmFit(x, R, { init: perturbCores(cores, 0.1, rng), iters: 100, tol: 0, stopAt: 1e-12 });
      expect(fit.rse).toBeLessThanOrEqual(1e-8);
      // The reported RSE is that of the returned cores.
      expect(rse(contractCores(fit.cores, R), x)).toBeCloseTo(fit.rse, 12);
      expect(fit.history).toHaveLength(fit.iters);
      expect(fit.converged).toBe(true);
    }
  });

  it('finishes in a few steps where ALS crawls (a triangle with a pendant core)', () => {
    const rng = new Random(42);
    const R = [[1, 2, 1, 1], [2, 1, 4, 2], [1, 4, 1, 3], [1, 2, 3, 1]];
    const { x, cores } = lowRankTensor([4, 4, 4, 4], R, rng);
    const init = perturbCores(cores, 0.05, rng);
    const als = fitCores(x, R, { init, iters: 30, tol: 0 });
    const lm = lmFit(x, R, { init, iters: 30, tol: 0, stopAt: 1e-10 });
    expect(lm.rse).toBeLessThanOrEqual(1e-10);
    expect(lm.rse).toBeLessThan(als.rse);
  });

  it('fits random trees from a random start', () => {
    const rng = new Random(43);
    for (let trial = 0; trial < 5; trial++) {
      const n = randInt(rng, 2, 4);
      const dims = randomDims(rng, n, 2, 4);
      const R = randomTreeRankMatrix(rng, n, 3);
      const { x } = lowRankTensor(dims, R, rng);
      const fit = lmFit(x, R, { seed: trial, iters: 200, tol: 0, stopAt: 1e-10 });
      expect(fit.rse).toBeLessThanOrEqual(1e-8);
    }
  });

  it('sees only the observed entries with a mask, and reports the RSE on the missing ones', () => {
    const rng = new Random(44);
    for (let trial = 0; trial < 3; trial++) {
      const R = ringRankMatrix(4, [2, 2, 2, 2]);
      const dims = [4, 4, 4, 4];
      const { x, cores } = lowRankTensor(dims, R, rng);
      const mask = new Uint8Array(x.size).map(() => (rng.uniform() < 0.6 ? 1 : 0));
      // Garbage in the missing entries: a fit that looked at them could not get below 1e-8.
      const corrupted = x.copy();
      for (let p = 0; p < mask.length; p++) if (mask[p] === 0) corrupted.data[p] = 1e3 * rng.normal();
      const fit = lmFit(corrupted, R, { init: perturbCores(cores, 0.05, rng), mask, truth: x, iters: 100, tol: 0, stopAt: 1e-12 });
      expect(fit.rse).toBeLessThanOrEqual(1e-8);
      expect(fit.rseMissing).toBeDefined();
      expect(fit.rseMissing!).toBeLessThanOrEqual(1e-6);
    }
  });

  it('takes f32 input, computes in f64 and returns f32 cores', () => {
    const rng = new Random(45);
    const R = ringRankMatrix(3, [2, 3, 2]);
    const { x, cores } = lowRankTensor([3, 4, 3], R, rng, 'f32');
    const fit = lmFit(x, R, { init: perturbCores(cores, 0.1, rng), iters: 50, tol: 0, stopAt: 1e-12 });
    expect(fit.cores.every((c) => c.dtype === 'f32')).toBe(true);
    expect(fit.rse).toBeLessThanOrEqual(1e-6);
    expect(fit.history.every((h) => Number.isFinite(h))).toBe(true);
  });

  it('stops on a stall: a rank too small to fit the data exactly ends well before the step limit', () => {
    const rng = new Random(46);
    const { x } = lowRankTensor([4, 4, 4], ringRankMatrix(3, [3, 3, 3]), rng);
    const fit = lmFit(x, ringRankMatrix(3, [2, 2, 2]), { seed: 1, iters: 500, tol: 0.01, window: 5 });
    expect(fit.rse).toBeGreaterThan(1e-3);
    expect(fit.iters).toBeLessThan(500);
    expect(fit.converged).toBe(true);
  });

  it('refuses problems over the Jacobian limit, naming the sizes', () => {
    const rng = new Random(47);
    const R = ringRankMatrix(3, [2, 2, 2]);
    const { x } = lowRankTensor([4, 4, 4], R, rng);
    // 64 entries × 48 parameters = 3072.
    expect(() => lmFit(x, R, { maxJacobianEntries: 3000 })).toThrow(/64 observed entries × 48 parameters = 3072/);
    expect(() => lmFit(x, R, { maxJacobianEntries: 3072 })).not.toThrow();
  });

  it('rejects bad input with clear errors', () => {
    const rng = new Random(48);
    const R = ringRankMatrix(3, [2, 2, 2]);
    const { x, cores } = lowRankTensor([4, 4, 4], R, rng);
    expect(() => lmFit(x, R, { iters: 0 })).toThrow(RangeError);
    expect(() => lmFit(x, R, { tol: 1 })).toThrow(/tol/);
    expect(() => lmFit(x, R, { init: cores.slice(0, 2) })).toThrow(RangeError);
    expect(() => lmFit(x, R, { mask: new Uint8Array(x.size) })).toThrow(/observes no entries/);
    expect(() => lmFit(x, R, { mask: new Uint8Array(3) })).toThrow(/mask/);
    const other = new Tensor(new Float64Array(5 * 4 * 4), [5, 4, 4]);
    expect(() => lmFit(other, R, { init: cores })).toThrow(/physical dimensions/);
  });
});
