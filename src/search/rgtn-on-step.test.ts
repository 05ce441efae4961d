import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/index.js';
import { ringRankMatrix } from '../network/index.js';
import { rgtn } from './rgtn.js';
import type { Evaluation } from './evaluator.js';

describe('rgtn onStep', () => {
  // (That the result does not depend on onStep is checked end to end: the web page's search,
  // which uses it, matches the same search in Node without it, bit for bit; test/e2e/web.test.ts.)
  it('reports the start and every kept reduction, feasible and shrinking, ending at the result', () => {
    const dims = [3, 4, 3, 4, 3];
    const R = ringRankMatrix(5, [2, 2, 3, 2, 2]);
    const x = contractCores(randomCores(dims, R, { seed: 3 }), R);
    const steps: { e: Evaluation; seconds: number }[] = [];
    const withSteps = rgtn(x, { rse: 1e-3, seed: 2, onStep: (e, at) => steps.push({ e, seconds: at.seconds }) });
    // The ring start (TT-SVD ranks split by the closing bond) is larger than the truth here, so the compression keeps a reduction.
    expect(steps.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]!.e.params).toBeLessThan(steps[i - 1]!.e.params);
      expect(steps[i]!.seconds).toBeGreaterThanOrEqual(steps[i - 1]!.seconds);
    }
    for (const s of steps) expect(s.e.rse).toBeLessThanOrEqual(1e-3);
    expect(steps.at(-1)!.e.params).toBeGreaterThanOrEqual(withSteps.params);
  });
});
