import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { ringRankMatrix } from '../network/index.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Evaluator, type Evaluation } from './evaluator.js';
import { tnale, tnls } from './local-search.js';
import { tnga } from './tnga.js';
import { EvaluationPool, evaluateBatch, fitSetupOf, poolFor, runFitJob, workerScriptPath } from './worker-pool.js';

/** A random small ring tensor (dims 2–3, order 4) with seeded noise-free cores. */
function smallRing(rng: Random): Tensor {
  const dims = Array.from({ length: 4 }, () => 2 + rng.int(2));
  const R = ringRankMatrix(4, Array.from({ length: 4 }, () => 1 + rng.int(2)));
  return contractCores(randomCores(dims, R, { seed: rng.int(1000) }), R);
}

/** The parts of an evaluation that must agree between runs. */
const summary = (e: Evaluation) => ({ R: e.R, params: e.params, rse: e.rse });

/*
 * The workers run the current sources, not whatever dist/ holds: fit-worker.ts is bundled
 * (rolldown, which Vite uses) before the tests, three folders below the package root as
 * the compiled one is, so the kernels' loaders find build/ as they do from dist/. Every
 * pool gets it through PoolOptions.script; the strategies make theirs with poolFor, which
 * is replaced here by the same function with that option.
 */
const { workerScript } = vi.hoisted(() => ({
  workerScript: decodeURIComponent(new URL(`../../build/test-workers/${process.pid}/fit-worker.mjs`, import.meta.url).pathname),
}));

vi.mock('./worker-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./worker-pool.js')>();
  return {
    ...real,
    poolFor: (ev: Evaluator, workers: number | undefined) =>
      workers === undefined || workers <= 0 ? undefined : new real.EvaluationPool(ev, { workers, script: workerScript }),
  };
});

beforeAll(async () => {
  await build({ input: new URL('./fit-worker.ts', import.meta.url).pathname, platform: 'node', logLevel: 'warn', output: { file: workerScript, format: 'esm' } });
});

afterAll(() => rmSync(dirname(workerScript), { recursive: true, force: true }));

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

  it('a pool starts its workers, and evaluateBatch matches the in-thread batch', () => {
    const rng = new Random(11);
    const x = smallRing(rng);
    const cands = Array.from({ length: 5 }, () => ({ R: ringRankMatrix(4, Array.from({ length: 4 }, () => 1 + rng.int(3))) }));
    const seq = new Evaluator(x, { rse: 1e-3, seed: 2, iters: 10 });
    const par = new Evaluator(x, { rse: 1e-3, seed: 2, iters: 10 });
    const pool = new EvaluationPool(par, { workers: 2, script: workerScript });
    try {
      expect(pool.size).toBe(2);
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

  it('the strategies\u2019 pools (poolFor) start their workers; no workers, no pool', () => {
    const ev = new Evaluator(smallRing(new Random(3)), { rse: 0.1 });
    const pool = poolFor(ev, 2)!;
    try {
      expect(pool.size).toBe(2);
    } finally {
      pool.close();
    }
    expect(poolFor(ev, 0)).toBeUndefined();
  });

  it('falls back to this thread, saying so, without a worker script; from the sources the default script is the build in dist/', () => {
    expect(workerScriptPath()).toMatch(/dist[\\/]search[\\/]fit-worker\.js$/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const pool = new EvaluationPool(new Evaluator(smallRing(new Random(4)), { rse: 0.1 }), { workers: 2, script: '/nonexistent/fit-worker.js' });
      expect(pool.size).toBe(0);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/nonexistent\/fit-worker\.js not found/));
    } finally {
      warn.mockRestore();
    }
  });

  it('rejects a bad worker count', () => {
    const x = smallRing(new Random(1));
    expect(() => new EvaluationPool(new Evaluator(x, { rse: 0.1 }), { workers: -1 })).toThrow(/workers/);
  });
});
