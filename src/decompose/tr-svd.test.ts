import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { contractCores } from './contract-cores.js';
import { rse } from './metrics.js';
import { ringRankMatrix } from '../network/topologies.js';
import { paramCount } from '../network/index.js';
import { fullRankTensor, lowRankTensor, randInt, randomDims } from '../../test/helpers/decompose-tensors.js';
import { trSvd } from './tr-svd.js';

describe('trSvd', () => {
  it('recovers random exactly-TR tensors (f64)', () => {
    const rng = new Random(21);
    for (let trial = 0; trial < 10; trial++) {
      const n = randInt(rng, 3, 5);
      const dims = randomDims(rng, n, 3, 6);
      const ranks = Array.from({ length: n }, () => randInt(rng, 1, 3));
      const { x } = lowRankTensor(dims, ringRankMatrix(ranks.length, ranks), rng);
      const tr = trSvd(x, { rse: 1e-12 });
      expect(tr.ranks).toHaveLength(n);
      expect(rse(contractCores(tr.cores, tr.rankMatrix), x)).toBeLessThanOrEqual(1e-10);
      expect(tr.rse).toBeLessThanOrEqual(1e-10);
      expect(tr.params).toBe(paramCount(tr.rankMatrix, dims));
      // The first split r_close·r_0 is the rank of the first unfolding, at most the true r_close·r_0.
      expect(tr.ranks[n - 1]! * tr.ranks[0]!).toBeLessThanOrEqual(ranks[n - 1]! * ranks[0]!);
    }
  });

  it('meets the error bound on random tensors and respects rank caps', () => {
    const rng = new Random(22);
    for (let trial = 0; trial < 8; trial++) {
      const n = randInt(rng, 3, 5);
      const dims = randomDims(rng, n, 2, 6);
      const x = fullRankTensor(dims, rng);
      const bound = [0.1, 0.3, 0.5, 0.8][trial % 4]!;
      const tr = trSvd(x, { rse: bound });
      const actual = rse(contractCores(tr.cores, tr.rankMatrix), x);
      expect(actual).toBeLessThanOrEqual(bound * (1 + 1e-12));
      expect(Math.abs(actual - tr.rse)).toBeLessThanOrEqual(1e-10);
      const capped = trSvd(x, { maxRank: 2 });
      capped.ranks.forEach((r) => expect(r).toBeLessThanOrEqual(2));
      expect(Math.abs(rse(contractCores(capped.cores, capped.rankMatrix), x) - capped.rse)).toBeLessThanOrEqual(1e-10);
    }
  });

  it('splits a prime first rank within the caps by dropping to the next splittable rank', () => {
    const rng = new Random(23);
    const x = fullRankTensor([7, 8, 9], rng);
    const tr = trSvd(x, { maxRank: [3, 8, 2] });
    // cap r_close·r_0 = 2·3 = 6: the first unfolding keeps 6 = 2·3.
    expect(tr.ranks[2]! * tr.ranks[0]!).toBe(6);
    expect(tr.ranks[0]!).toBeLessThanOrEqual(3);
    expect(tr.ranks[2]!).toBeLessThanOrEqual(2);
  });

  it('rejects tensors with fewer than 3 modes', () => {
    expect(() => trSvd(fullRankTensor([3, 4], new Random(1)))).toThrow(/at least 3 modes/);
  });
});
