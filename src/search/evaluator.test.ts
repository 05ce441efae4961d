import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/index.js';
import { randomGraphRankMatrix } from '../network/index.js';
import { randn } from '../tensor/create.js';
import { add, mul } from '../tensor/elementwise.js';
import { Evaluator } from './evaluator.js';

// A 4-node graph with a triangle where ALS creeps: from the true cores perturbed by 1e-3 it
// is still near 1e-5 after hundreds of sweeps, while the LM polish converges in a few steps.
const R = randomGraphRankMatrix(4, { edgeProb: 0.3, rankRange: [2, 4], seed: 8 });
const truth = randomCores([4, 4, 4, 4], R, { seed: 101 });
const x = contractCores(truth, R);

function nearTruth(seed: number): { R: number[][]; cores: ReturnType<typeof randomCores> } {
  return { R, cores: truth.map((c, i) => add(c, mul(randn(c.shape, { seed: seed + i }), 1e-3))) };
}

describe('Evaluator LM polish', () => {
  it('the graph has a cycle, so ALS alone creeps', () => {
    const edges = R.flatMap((row, i) => row.filter((r, j) => j > i && r > 1)).length;
    expect(edges).toBeGreaterThanOrEqual(R.length); // a connected graph with ≥ N edges has a cycle
  });

  for (const seed of [1, 2, 3]) {
    it(`turns a creeping ALS fit feasible, and 'none' does not (start ${seed})`, () => {
      const options = { rse: 1e-8, iters: 30, seed: 0 };
      const plain = new Evaluator(x, { ...options, polish: 'none' }).evaluate(R, nearTruth(10 * seed));
      const polishing = new Evaluator(x, { ...options, polish: 'lm' });
      const polished = polishing.evaluate(R, nearTruth(10 * seed));
      expect(plain.rse).toBeGreaterThan(1e-8);
      expect(polished.rse).toBeLessThanOrEqual(1e-8);
      expect(polishing.polishes).toBeGreaterThanOrEqual(1);
      expect(polishing.polishesFeasible).toBeGreaterThanOrEqual(1);
    });
  }

  it('is deterministic', () => {
    const run = (): number => new Evaluator(x, { rse: 1e-8, iters: 30, seed: 4 }).evaluate(R, nearTruth(7)).rse;
    expect(run()).toBe(run());
  });

  it('rejects a bad polish option by name', () => {
    expect(() => new Evaluator(x, { rse: 1e-4, polish: 'newton' as never })).toThrow(/polish/);
  });
});
