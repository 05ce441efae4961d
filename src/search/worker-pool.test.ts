import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { ringRankMatrix } from '../network/index.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Evaluator, type Evaluation } from './evaluator.js';
import { tnale, tnls } from './local-search.js';
import { tnga } from './tnga.js';
import { EvaluationPool, evaluateBatch, fitSetupOf, runFitJob, workerScriptPath } from './worker-pool.js';

/** A random small ring tensor (dims 2–3, order 4) with seeded noise-free cores. */
function smallRing(rng: Random): Tensor {
  const dims = Array.from({ length: 4 }, () => 2 + rng.int(2));
  const R = ringRankMatrix(4, Array.from({ length: 4 }, () => 1 + rng.int(2)));
  return contractCores(randomCores(dims, R, { seed: rng.int(1000) }), R);
}

/** The parts of an evaluation that must agree between runs. */
const summary = (e: Evaluation) => ({ R: e.R, params: e.params, rse: e.rse });

// Worker threads need the compiled dist/search/fit-worker.js; without it the pool falls back to this thread.
const haveDist = existsSync(workerScriptPath());

describe('worker pool', () => {
  it('a fit job issued with no budget left is scored as the zero network without fitting; with budget it is fitted', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 3; trial++) {
      const x = smallRing(rng);
      const R = ringRankMatrix(4, Array.from({ length: 4 }, () => 1 + rng.int(2)));
      const setup = fitSetupOf(new Evaluator(x, { rse: 1e-3, seed: trial, iters: 10 }));
      const late = runFitJob(x, setup, { R, seed: trial, deadline: Date.now() });
      const fitted = runFitJob(x, setup, { R, seed: trial, deadline: Infinity });
      expect(late.fits).toBe(0);
      expect(late.rse).toBe(1);
      expect(fitted.fits).toBeGreaterThanOrEqual(1);
      expect(fitted.rse).toBeLessThan(late.rse);
    }
  });

  it('a pool starts its workers when dist is built, and evaluateBatch matches the in-thread batch', () => {
    const rng = new Random(11);
    const x = smallRing(rng);
    const cands = Array.from({ length: 5 }, () => ({ R: ringRankMatrix(4, Array.from({ length: 4 }, () => 1 + rng.int(3))) }));
    const seq = new Evaluator(x, { rse: 1e-3, seed: 2, iters: 10 });
    const par = new Evaluator(x, { rse: 1e-3, seed: 2, iters: 10 });
    const pool = new EvaluationPool(par, { workers: 2 });
    try {
      expect(pool.size).toBe(haveDist ? 2 : 0);
      const a = evaluateBatch(seq, cands);
      const b = evaluateBatch(par, cands, pool);
      expect(b.map(summary)).toEqual(a.map(summary));
      expect(par.evaluations).toBe(seq.evaluations);
      expect(par.fits).toBe(seq.fits);
      // Repeats are served from the cache: no new evaluations.
      evaluateBatch(par, cands, pool);
      expect(par.evaluations).toBe(seq.evaluations);
    } finally {
      pool.close();
    }
  });

  it('TNGA, TNLS and TnALE give the same result with 2 workers as on one thread', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 2; trial++) {
      const x = smallRing(rng);
      const seed = rng.int(100);
      const make = () => new Evaluator(x, { rse: 1e-2, seed, iters: 8, restarts: 1 });
      const gaOpts = { seed, population: 6, generations: 3, maxInitRank: 3 };
      const [e1, e2] = [make(), make()];
      expect(summary(tnga(e2, { ...gaOpts, workers: 2 }))).toEqual(summary(tnga(e1, gaOpts)));
      expect(e2.evaluations).toBe(e1.evaluations);
      const [l1, l2] = [make(), make()];
      expect(summary(tnls(l2, { seed, samples: 4, patience: 1, workers: 2 }))).toEqual(summary(tnls(l1, { seed, samples: 4, patience: 1 })));
      const [a1, a2] = [make(), make()];
      expect(summary(tnale(a2, { sweeps: 1, workers: 2 }))).toEqual(summary(tnale(a1, { sweeps: 1 })));
    }
  });

  it('rejects a bad worker count', () => {
    const x = smallRing(new Random(1));
    expect(() => new EvaluationPool(new Evaluator(x, { rse: 0.1 }), { workers: -1 })).toThrow(/workers/);
  });
});
