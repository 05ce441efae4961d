import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { contractCores } from './contract-cores.js';
import { fitCores } from './fit-cores.js';
import { rse } from './metrics.js';
import { ringRankMatrix } from '../network/topologies.js';
import { trainRankMatrix } from './rank-matrix.js';
import { paramCount } from '../network/index.js';
import { lowRankTensor, perturbCores, randInt, randomDims, randomRankMatrix, randomTreeRankMatrix } from '../../test/helpers/decompose-tensors.js';
import { trAls } from './tr-als.js';

describe('fitCores', () => {
  it('recovers exactly-low-rank tensors of random tree topologies from a random start', () => {
    const rng = new Random(31);
    for (let trial = 0; trial < 10; trial++) {
      const n = randInt(rng, 2, 5);
      const dims = randomDims(rng, n, 2, 5);
      const R = randomTreeRankMatrix(rng, n, 3);
      const { x } = lowRankTensor(dims, R, rng);
      const fit = fitCores(x, R, { iters: 500, tol: 0, seed: trial });
      expect(fit.rse).toBeLessThanOrEqual(1e-10);
      expect(rse(contractCores(fit.cores, R), x)).toBeLessThanOrEqual(1e-10);
      expect(fit.history).toHaveLength(fit.iters);
      expect(fit.converged).toBe(true);
    }
  });

  it('starts no sweep after the deadline (the first always runs) and leaves the fit unconverged', () => {
    const rng = new Random(44);
    for (let trial = 0; trial < 3; trial++) {
      const n = randInt(rng, 3, 5);
      const dims = randomDims(rng, n, 2, 4);
      const R = ringRankMatrix(n, Array.from({ length: n }, () => randInt(rng, 2, 3)));
      const { x } = lowRankTensor(dims, R, rng);
      const late = fitCores(x, R, { iters: 50, tol: 0, seed: trial, deadline: Date.now() - 1 });
      expect(late.iters).toBe(1);
      expect(late.history).toHaveLength(1);
      expect(late.converged).toBe(false);
      // A deadline far away changes nothing.
      const far = fitCores(x, R, { iters: 5, tol: 0, seed: trial, deadline: Date.now() + 3.6e6 });
      const none = fitCores(x, R, { iters: 5, tol: 0, seed: trial });
      expect(far.history).toEqual(none.history);
    }
  });

  it('recovers exactly-low-rank tensors of random topologies with loops from a nearby start', () => {
    const rng = new Random(36);
    let checked = 0;
    for (let trial = 0; trial < 8; trial++) {
      const n = randInt(rng, 3, 5);
      const dims = randomDims(rng, n, 4, 7);
      const R = randomRankMatrix(rng, n, 3, 0.5);
      // Over-parameterized structures (more parameters than a third of the entries) have
      // flat directions where ALS stalls; the property is about identifiable ones.
      if (paramCount(R, dims) * 3 > dims.reduce((p, d) => p * d, 1)) continue;
      const { x, cores } = lowRankTensor(dims, R, rng);
      const fit = fitCores(x, R, { init: perturbCores(cores, 0.05, rng), iters: 500, tol: 0 });
      expect(fit.rse).toBeLessThanOrEqual(1e-10);
      expect(rse(contractCores(fit.cores, R), x)).toBeLessThanOrEqual(1e-10);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it('converges in one sweep from the exact solution (warm start)', () => {
    const rng = new Random(32);
    const R = ringRankMatrix(4, [2, 3, 2, 2]);
    const { x, cores } = lowRankTensor([4, 3, 5, 4], R, rng);
    const fit = fitCores(x, R, { init: cores });
    expect(fit.iters).toBe(1);
    expect(fit.converged).toBe(true);
    expect(fit.rse).toBeLessThanOrEqual(1e-12);
  });

  it('completes a low-rank tensor from 50% of its entries (EM imputation)', () => {
    const rng = new Random(33);
    const R = trainRankMatrix([2, 2, 2]);
    const dims = [6, 6, 6, 6];
    const { x } = lowRankTensor(dims, R, rng);
    const mask = new Uint8Array(x.size);
    for (let p = 0; p < mask.length; p++) mask[p] = rng.uniform() < 0.5 ? 1 : 0;
    // The missing entries of the input are ignored: poison them.
    const observed = x.copy();
    for (let p = 0; p < mask.length; p++) if (mask[p] === 0) observed.data[p] = 1e6;
    let calls = 0;
    const fit = fitCores(observed, R, { mask, truth: x, iters: 2000, tol: 0, seed: 1, onIter: () => calls++ });
    expect(calls).toBe(fit.iters);
    expect(fit.rse).toBeLessThanOrEqual(1e-8);
    expect(fit.rseMissing).toBeDefined();
    expect(fit.rseMissing!).toBeLessThanOrEqual(1e-6);
    expect(rse(contractCores(fit.cores, R), x, { mask, missing: true })).toBeCloseTo(fit.rseMissing!, 12);
  });

  it('fits f32 tensors in f32', () => {
    const rng = new Random(34);
    const R = trainRankMatrix([2, 3]);
    const { x } = lowRankTensor([5, 4, 6], R, rng, 'f32');
    const fit = fitCores(x, R, { iters: 200, tol: 0 });
    expect(fit.cores.every((c) => c.dtype === 'f32')).toBe(true);
    expect(fit.rse).toBeLessThanOrEqual(1e-4);
  });

  it('trAls fits a tensor ring with the given ranks', () => {
    const rng = new Random(35);
    const ranks = [2, 3, 2];
    const { x } = lowRankTensor([5, 6, 4], ringRankMatrix(ranks.length, ranks), rng);
    const fit = trAls(x, ranks, { iters: 500, seed: 0 });
    expect(fit.rse).toBeLessThanOrEqual(1e-10);
    expect(fit.params).toBe(5 * 2 * 2 + 6 * 2 * 3 + 4 * 3 * 2);
    expect(() => trAls(x, [2, 2], {})).toThrow(/needs 3 ranks/);
  });

  it('rejects bad arguments with clear messages', () => {
    const x = new Tensor(new Float64Array(24).fill(1), [2, 3, 4]);
    const R = trainRankMatrix([2, 2]);
    expect(() => fitCores(x, [[1, 2], [2, 1]])).toThrow(/fitCores: rank matrix: R must have 3 rows/);
    expect(() => fitCores(x, [[1, 2, 1], [3, 1, 2], [1, 2, 1]])).toThrow(/not symmetric/);
    expect(() => fitCores(x, R, { iters: 0 })).toThrow(/iters must be a positive integer/);
    expect(() => fitCores(x, R, { mask: new Uint8Array(5) })).toThrow(/mask has 5 entries/);
    const wrong = [new Tensor(new Float64Array(4), [2, 2]), new Tensor(new Float64Array(12), [3, 2, 2]), new Tensor(new Float64Array(4), [4, 1])];
    expect(() => fitCores(x, R, { init: wrong })).toThrow(/core 2 has shape \[4, 1\]/);
  });

  it('with a smoothness penalty completes smooth noisy data better from few entries', () => {
    // Smooth separable signal plus noise, 15% observed: the unpenalised rank-3 ring fits
    // the noise of the observed entries; the penalty pulls neighbouring slices together.
    const rng = new Random(21);
    for (let trial = 0; trial < 3; trial++) {
      const dims = [16 + rng.int(8), 16 + rng.int(8), 12 + rng.int(8)];
      const [a, b, c] = [0.2 + 0.2 * rng.uniform(), 0.2 + 0.2 * rng.uniform(), 0.2 + 0.2 * rng.uniform()];
      const size = dims[0]! * dims[1]! * dims[2]!;
      const clean = new Float64Array(size);
      const noisy = new Float64Array(size);
      for (let i = 0, p = 0; i < dims[0]!; i++) {
        for (let j = 0; j < dims[1]!; j++) {
          for (let k = 0; k < dims[2]!; k++, p++) {
            clean[p] = Math.sin(a * i) * Math.cos(b * j) + Math.cos(c * k + a * i);
            noisy[p] = clean[p]! + 0.3 * rng.normal();
          }
        }
      }
      const mask = Uint8Array.from({ length: size }, () => (rng.uniform() < 0.15 ? 1 : 0));
      const x = new Tensor(noisy, dims);
      const truth = new Tensor(clean, dims);
      const R = ringRankMatrix(3, [3, 3, 3]);
      const plain = fitCores(x, R, { mask, iters: 80, seed: trial });
      const smooth = fitCores(x, R, { mask, iters: 80, seed: trial, smoothness: 0.05 });
      const missing = (f: { cores: Tensor[] }): number => rse(contractCores(f.cores, R), truth, { mask, missing: true });
      expect(missing(smooth)).toBeLessThan(0.8 * missing(plain));
      // Weight 0 is no penalty at all.
      const zero = fitCores(x, R, { mask, iters: 5, seed: trial, smoothness: [0, 0, 0] });
      const none = fitCores(x, R, { mask, iters: 5, seed: trial });
      expect(zero.rse).toBe(none.rse);
    }
  });

  it('names a bad smoothness option', () => {
    const x = new Tensor(Float64Array.from({ length: 27 }, (_, p) => p), [3, 3, 3]);
    const R = ringRankMatrix(3, [2, 2, 2]);
    expect(() => fitCores(x, R, { smoothness: [1, 2] })).toThrow(/smoothness has 2 weights but the tensor has 3 modes/);
    expect(() => fitCores(x, R, { smoothness: [0, -1, 0] })).toThrow(/smoothness of mode 1 must be a non-negative number, got -1/);
    expect(() => fitCores(x, R, { smoothness: Number.NaN })).toThrow(/smoothness of mode 0/);
  });
});
