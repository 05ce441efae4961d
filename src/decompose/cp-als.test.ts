import { describe, expect, it } from 'vitest';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import { cpAls, cpToTensor } from './cp-als.js';
import { rse } from './metrics.js';
import { randInt, randomDims } from '../../test/helpers/decompose-tensors.js';

describe('cpAls', () => {
  it('recovers random exact low-rank CP tensors', () => {
    const rng = new Random(51);
    for (let trial = 0; trial < 8; trial++) {
      const n = randInt(rng, 3, 4);
      const dims = randomDims(rng, n, 4, 7);
      const rank = randInt(rng, 1, 3);
      const x = cpToTensor(dims.map((d) => randn([d, rank], { rng })));
      const cp = cpAls(x, rank, { iters: 1000, tol: 0, seed: trial });
      expect(cp.rse).toBeLessThanOrEqual(1e-10);
      expect(rse(cpToTensor(cp.factors), x)).toBeLessThanOrEqual(1e-10);
      expect(cp.params).toBe(rank * dims.reduce((s, d) => s + d, 0));
    }
  });

  it('reports a decreasing fit and stops on the tolerance', () => {
    const rng = new Random(52);
    const x = randn([5, 6, 7], { rng });
    const seen: number[] = [];
    const cp = cpAls(x, 3, { iters: 300, tol: 1e-6, onIter: ({ rse: e }) => seen.push(e) });
    expect(seen).toHaveLength(cp.iters);
    expect(cp.converged).toBe(true);
    for (let k = 1; k < seen.length; k++) expect(seen[k]!).toBeLessThanOrEqual(seen[k - 1]! + 1e-9);
    expect(() => cpAls(x, 0)).toThrow(/rank must be a positive integer/);
  });
});
