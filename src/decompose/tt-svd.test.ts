import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { contractCores } from './contract-cores.js';
import { rse } from './metrics.js';
import { trainRankMatrix } from './rank-matrix.js';
import { paramCount } from '../network/index.js';
import { fullRankTensor, lowRankTensor, randInt, randomDims } from '../../test/helpers/decompose-tensors.js';
import { ttSvd } from './tt-svd.js';
import { tensor } from '../tensor/create.js';

describe('ttSvd', () => {
  it('recovers random exactly-TT tensors with their ranks (f64)', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 12; trial++) {
      const n = randInt(rng, 2, 5);
      const dims = randomDims(rng, n, 2, 5);
      const ranks = Array.from({ length: n - 1 }, () => randInt(rng, 1, 3));
      const R = trainRankMatrix(ranks);
      const { x } = lowRankTensor(dims, R, rng);
      const tt = ttSvd(x, { rse: 1e-12 });
      const approx = contractCores(tt.cores, tt.rankMatrix);
      expect(rse(approx, x)).toBeLessThanOrEqual(1e-10);
      // Ranks never exceed the generating ones (they can be smaller where an unfolding is smaller).
      tt.ranks.forEach((r, k) => expect(r).toBeLessThanOrEqual(ranks[k]!));
      expect(tt.params).toBe(paramCount(tt.rankMatrix, dims));
      expect(tt.params).toBe(tt.cores.reduce((s, c) => s + c.size, 0));
      // Same tensor with the ranks given as caps instead.
      const capped = ttSvd(x, { maxRank: ranks });
      expect(rse(contractCores(capped.cores, capped.rankMatrix), x)).toBeLessThanOrEqual(1e-10);
    }
  });

  it('meets the error bound on random full-rank tensors, and reports the exact error', () => {
    const rng = new Random(12);
    for (let trial = 0; trial < 10; trial++) {
      const n = randInt(rng, 3, 5);
      const dims = randomDims(rng, n, 2, 6);
      const x = fullRankTensor(dims, rng);
      const bound = [0.05, 0.2, 0.4, 0.7][trial % 4]!;
      const tt = ttSvd(x, { rse: bound });
      const actual = rse(contractCores(tt.cores, tt.rankMatrix), x);
      expect(actual).toBeLessThanOrEqual(bound * (1 + 1e-12));
      expect(Math.abs(actual - tt.rse)).toBeLessThanOrEqual(1e-10);
      // Some truncation must happen for the larger tolerances.
      if (bound >= 0.4) expect(tt.params).toBeLessThan(dims.reduce((p, d) => p * d, 1) * 2);
    }
  });

  it('works in f32 to single precision', () => {
    const rng = new Random(13);
    const R = trainRankMatrix([2, 3, 2]);
    const { x } = lowRankTensor([4, 5, 3, 4], R, rng, 'f32');
    const tt = ttSvd(x, { rse: 1e-5 });
    expect(tt.cores.every((c) => c.dtype === 'f32')).toBe(true);
    expect(rse(contractCores(tt.cores, tt.rankMatrix), x)).toBeLessThanOrEqual(1e-5);
    expect(tt.ranks).toEqual([2, 3, 2]);
  });

  it('rejects bad input with a clear message', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expect(() => ttSvd(x, { rse: 2 })).toThrow(/rse must be a number in \[0, 1\]/);
    expect(() => ttSvd(x, { maxRank: [1] })).toThrow(/maxRank needs 2 entries/);
    expect(() => ttSvd(x, { maxRank: [1, 0] })).toThrow(/maxRank\[1\] = 0/);
    expect(() => ttSvd(tensor([1, NaN, 3, 4], [2, 2]))).toThrow(/non-finite entry NaN at flat index 1/);
  });
});
