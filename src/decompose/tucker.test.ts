import { describe, expect, it } from 'vitest';
import { einsum } from '../einsum/index.js';
import { qr } from '../linalg/qr.js';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { rse } from './metrics.js';
import { fullRankTensor, randInt, randomDims } from '../../test/helpers/decompose-tensors.js';
import { hosvd, tucker, tuckerToTensor } from './tucker.js';

function randomTucker(dims: number[], ranks: number[], rng: Random): Tensor {
  const core = randn(ranks, { rng });
  const factors = dims.map((d, k) => qr(randn([d, ranks[k]!], { rng })).Q);
  return tuckerToTensor(core, factors);
}

describe('hosvd / tucker', () => {
  it('recovers random exact Tucker tensors with their multilinear ranks', () => {
    const rng = new Random(41);
    for (let trial = 0; trial < 10; trial++) {
      const n = randInt(rng, 2, 4);
      const dims = randomDims(rng, n, 3, 6);
      // Each rank at most the product of the others, so the multilinear rank is exact.
      const ranks = dims.map((d) => randInt(rng, 1, Math.min(d, 3)));
      ranks.forEach((r, k) => {
        ranks[k] = Math.min(r, ranks.reduce((p, q, m) => (m === k ? p : p * q), 1));
      });
      const x = randomTucker(dims, ranks, rng);
      const t = hosvd(x, { rse: 1e-12 });
      expect(t.rse).toBeLessThanOrEqual(1e-10);
      expect(rse(tuckerToTensor(t.core, t.factors), x)).toBeLessThanOrEqual(1e-10);
      expect(t.ranks).toEqual(ranks);
      expect(t.params).toBe(ranks.reduce((p, r) => p * r, 1) + ranks.reduce((s, r, k) => s + r * dims[k]!, 0));
      // Orthonormal factors: UᵀU = I.
      for (const u of t.factors) {
        const g = einsum('ia,ib->ab', u, u).toTypedArray();
        const r = u.shape[1]!;
        for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) expect(Math.abs(g[a * r + b]! - (a === b ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });

  it('meets the HOSVD error bound, and HOOI never does worse than HOSVD at the same ranks', () => {
    const rng = new Random(42);
    for (let trial = 0; trial < 8; trial++) {
      const dims = randomDims(rng, 3, 3, 7);
      const x = fullRankTensor(dims, rng);
      const bound = [0.2, 0.4, 0.6, 0.8][trial % 4]!;
      const h = hosvd(x, { rse: bound });
      expect(h.rse).toBeLessThanOrEqual(bound * (1 + 1e-12));
      const refined = tucker(x, { ranks: h.ranks, hooiIters: 20 });
      expect(refined.ranks).toEqual(h.ranks);
      expect(refined.rse).toBeLessThanOrEqual(h.rse + 1e-12);
    }
  });

  it('rejects bad options', () => {
    const x = fullRankTensor([3, 3, 3], new Random(1));
    expect(() => hosvd(x, { ranks: [2, 2] })).toThrow(/ranks needs 3 entries/);
    expect(() => hosvd(x, { rse: -1 })).toThrow(/rse/);
    expect(() => tuckerToTensor(x, [x])).toThrow(/the core has 3 modes but there are 1 factors/);
  });
});
