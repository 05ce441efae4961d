import { describe, expect, it } from 'vitest';
import { contractCores } from '../decompose/contract-cores.js';
import { rse } from '../decompose/metrics.js';
import { lowRankTensor, randomDims } from '../../test/helpers/decompose-tensors.js';
import { chainRankMatrix, ringRankMatrix } from '../network/index.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { AUTO_SMOOTHNESS, interleavedFold, validatedCompletion } from './validated-completion.js';

/** Observed entries: each kept with probability `observed`. */
function randomObserved(size: number, observed: number, rng: Random): Uint8Array {
  return Uint8Array.from({ length: size }, () => (rng.uniform() < observed ? 1 : 0));
}

describe('validatedCompletion', () => {
  it('recovers random low-rank chains and rings from half their entries', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 3; trial++) {
      const dims = randomDims(rng, 3, 8, 10);
      const R = trial === 2 ? ringRankMatrix(3, [2, 2, 2]) : chainRankMatrix(3, [2, 1 + rng.int(2)]);
      const { x } = lowRankTensor(dims, R, rng);
      const mask = randomObserved(x.size, 0.5, rng);
      const out = validatedCompletion(x, { mask, seed: trial, validation: 0.2, iters: 30, truth: x });
      expect(out.method).toBe('validated');
      expect(out.completed.shape).toEqual(dims);
      // The completed tensor is the chosen network contracted.
      expect(rse(contractCores(out.cores, out.ranks), out.completed)).toBe(0);
      expect(out.rseValidation).toBeLessThan(0.05);
      expect(rse(out.completed, x, { mask, missing: true })).toBeLessThan(0.05);
      expect(out.rseMissing).toBeLessThan(0.05);
      expect(out.evaluations).toBeGreaterThan(1);
    }
  });

  it('does not grow past what the held-out entries support on noise', () => {
    // Pure noise has no low-rank structure: the held-out error never improves much, so
    // growth stops after `patience` steps instead of fitting the observed entries.
    const rng = new Random(8);
    const dims = [6, 6, 6];
    const x = new Tensor(Float64Array.from({ length: 216 }, () => rng.normal()), dims);
    const mask = randomObserved(x.size, 0.5, rng);
    const out = validatedCompletion(x, { mask, iters: 10, patience: 1 });
    expect(out.params).toBeLessThan(x.size / 2);
    expect(out.rseMissing).toBeUndefined();
  });

  it('is deterministic for a seed and accepts the mask as a tensor', () => {
    const rng = new Random(11);
    const { x } = lowRankTensor([5, 6, 5], chainRankMatrix(3, [2, 2]), rng);
    const mask = randomObserved(x.size, 0.6, rng);
    const a = validatedCompletion(x, { mask, seed: 3, iters: 8, finalIters: 8 });
    const b = validatedCompletion(x, { mask: new Tensor(Float64Array.from(mask), [5, 6, 5]), seed: 3, iters: 8, finalIters: 8 });
    expect(b.ranks).toEqual(a.ranks);
    expect(rse(b.completed, a.completed)).toBe(0);
  });

  it('keeps the whole call, final refit included, within the budget', () => {
    // 80% missing: EM-ALS converges slowly, so without the budget the growth and the final
    // refit's 200,000 sweeps take 14 s on the reference machine (1.0 s with the budget).
    const rng = new Random(13);
    const { x } = lowRankTensor([24, 24, 24], ringRankMatrix(3, [4, 4, 4]), rng);
    const mask = randomObserved(x.size, 0.2, rng);
    const t0 = performance.now();
    const out = validatedCompletion(x, { mask, iters: 5, finalIters: 200_000, budgetSeconds: 1 });
    const seconds = (performance.now() - t0) / 1000;
    // 1 s of budget, checked between sweeps: generous for a loaded machine (14 s unbudgeted on a quiet one).
    expect(seconds).toBeLessThan(5);
    expect(out.seconds).toBeGreaterThan(0.8);
    expect(out.seconds).toBeLessThanOrEqual(seconds + 0.01);
  });

  it("smoothness 'auto' keeps the weight with the lowest held-out RSE, deterministically", () => {
    // A smooth separable signal plus noise, 20% observed. The growth runs at the second weight
    // of AUTO_SMOOTHNESS, so it picks the same structure as a run fixed at that weight.
    const rng = new Random(23);
    const dims = [18, 16, 14];
    const data = new Float64Array(18 * 16 * 14);
    for (let i = 0, p = 0; i < 18; i++) for (let j = 0; j < 16; j++) for (let k = 0; k < 14; k++, p++) data[p] = Math.sin(0.3 * i) * Math.cos(0.25 * j) + Math.cos(0.2 * k + 0.3 * i) + 0.2 * rng.normal();
    const x = new Tensor(data, dims);
    const mask = randomObserved(x.size, 0.2, rng);
    const a = validatedCompletion(x, { mask, seed: 1, iters: 10, smoothness: 'auto' });
    const b = validatedCompletion(x, { mask, seed: 1, iters: 10, smoothness: 'auto' });
    expect(a.smoothness).toHaveLength(3);
    expect(AUTO_SMOOTHNESS as readonly number[]).toContain(a.smoothness![0]);
    expect(a.smoothness!.every((w) => w === a.smoothness![0])).toBe(true);
    expect(b.smoothness).toEqual(a.smoothness);
    expect(b.rseValidation).toBe(a.rseValidation);
    // Its held-out RSE is no worse than a run fixed at the growth weight (the same growth, one refit more).
    const fixed = validatedCompletion(x, { mask, seed: 1, iters: 10, smoothness: AUTO_SMOOTHNESS[1] });
    expect(fixed.smoothness).toEqual([0.01, 0.01, 0.01]);
    expect(a.ranks).toEqual(fixed.ranks);
    expect(a.rseValidation).toBeLessThanOrEqual(fixed.rseValidation * 1.05);
    expect(() => validatedCompletion(x, { mask, smoothness: 'bogus' as 'auto' })).toThrow(/smoothness must be a number, one number per mode, or 'auto'/);
  });

  it('names the problem for bad options', () => {
    const x = new Tensor(Float64Array.from({ length: 27 }, (_, p) => p + 1), [3, 3, 3]);
    const mask = new Uint8Array(27).fill(1);
    expect(() => validatedCompletion(x, { mask: new Uint8Array(26) })).toThrow(/mask has 26 entries/);
    expect(() => validatedCompletion(x, { mask, validation: 1 })).toThrow(/validation must be a fraction/);
    expect(() => validatedCompletion(x, { mask, iters: 0 })).toThrow(/iters must be a positive integer/);
    expect(() => validatedCompletion(x, { mask, finalIters: 1.5 })).toThrow(/finalIters/);
    expect(() => validatedCompletion(x, { mask: new Uint8Array(27), validation: 0.5 })).toThrow(/no observed entry was held out/);
    expect(() => validatedCompletion(x, { mask, finalShare: 1 })).toThrow(/finalShare must be a fraction/);
    expect(() => validatedCompletion(x, { mask, budgetSeconds: 0 })).toThrow(/budgetSeconds must be a positive/);
  });
});

describe('interleavedFold', () => {
  it('orders factors level by level, drops 1s, and unfold inverts fold', () => {
    const rng = new Random(13);
    for (let trial = 0; trial < 6; trial++) {
      const levels = 1 + rng.int(3);
      const listed = 1 + rng.int(2);
      const factors = Array.from({ length: listed }, () => Array.from({ length: levels }, () => 1 + rng.int(3)));
      const rest = rng.int(2) === 0 ? [] : [2];
      const shape = [2 + rng.int(2), ...factors.map((f) => f.reduce((p, d) => p * d, 1)), ...rest];
      const t = new Tensor(Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()), shape);
      const layout = interleavedFold(shape, factors);
      const expected = [shape[0]!];
      for (let l = 0; l < levels; l++) for (const f of factors) if (f[l]! > 1) expected.push(f[l]!);
      expected.push(...rest);
      expect(layout.shape).toEqual(expected);
      const folded = layout.fold(t);
      expect(folded.shape).toEqual(expected);
      expect(rse(layout.unfold(folded), t)).toBe(0);
    }
  });

  it('puts a pixel at (coarse block, offset in block)', () => {
    // 1 × 6 × 4 with rows 3·2 and columns 2·2: pixel (i, j) → [0, i div 2, j div 2, i mod 2, j mod 2].
    const t = new Tensor(Float64Array.from({ length: 24 }, (_, p) => p), [1, 6, 4]);
    const folded = interleavedFold([1, 6, 4], [[3, 2], [2, 2]]).fold(t);
    expect(folded.shape).toEqual([1, 3, 2, 2, 2]);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 4; j++) {
      expect(folded.get(0, Math.floor(i / 2), Math.floor(j / 2), i % 2, j % 2)).toBe(i * 4 + j);
    }
  });

  it('names the problem for bad factors', () => {
    expect(() => interleavedFold([2, 6, 4], [[4, 2], [2, 2]])).toThrow(/multiply to 8, not 6/);
    expect(() => interleavedFold([2, 6, 4], [[3, 2], [4]])).toThrow(/same number of factors/);
    expect(() => interleavedFold([2, 6], [[3, 2], [2, 2]])).toThrow(/1 to 1 axes/);
    expect(() => interleavedFold([2, 6], [[6, 0.5]])).toThrow(/positive integers/);
  });
});
