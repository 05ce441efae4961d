import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/index.js';
import { chainRankMatrix, paramCount, ringRankMatrix } from '../network/index.js';
import { Random } from '../tensor/random.js';
import { Evaluator } from './evaluator.js';
import { isZeroNetwork, sweepSeconds, SWEEP_RATE, zeroCores } from './fit-cost.js';
import { fullyConnected } from './structure.js';
import { evaluateBatch, fitSetupOf, runFitJob } from './worker-pool.js';

describe('sweepSeconds', () => {
  it('is Σ_i (N/d_i)·(bond size of core i)² over the rate, for random structures', () => {
    const rng = new Random(2);
    for (let trial = 0; trial < 10; trial++) {
      const n = 2 + rng.int(4);
      const dims = Array.from({ length: n }, () => 2 + rng.int(4));
      const R = fullyConnected(n, 1).map((row) => [...row]);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) R[i]![j] = R[j]![i] = 1 + rng.int(3);
      const N = dims.reduce((p, d) => p * d, 1);
      let work = 0;
      for (let i = 0; i < n; i++) {
        let b = 1;
        for (let j = 0; j < n; j++) if (j !== i) b *= R[i]![j]!;
        work += (N / dims[i]!) * b * b;
      }
      expect(sweepSeconds(R, dims)).toBeCloseTo(work / SWEEP_RATE, 12);
    }
  });

  it('zeroCores have the cores\u2019 shapes and are zero', () => {
    const R = chainRankMatrix(3, [2, 3]);
    const cores = zeroCores(R, [4, 5, 6], 'f32');
    expect(cores.map((c) => c.size).reduce((a, b) => a + b, 0)).toBe(paramCount(R, [4, 5, 6]));
    expect(cores.every((c) => c.dtype === 'f32' && c.toTypedArray().every((v) => v === 0))).toBe(true);
  });
});

describe('fits a budget cannot afford', () => {
  // A fully connected 4^8 network with bond 3: each core's bond size is 3^7 = 2187, one
  // sweep ≈ 8·16384·2187² multiply-adds ≈ 40 s at SWEEP_RATE: over a 5 s budget.
  const dims = new Array<number>(8).fill(4);
  const x = contractCores(randomCores(dims, chainRankMatrix(8, [2, 2, 2, 2, 2, 2, 2]), { seed: 1 }), chainRankMatrix(8, [2, 2, 2, 2, 2, 2, 2]));
  const big = fullyConnected(8, 3);

  it('are scored as the zero network without fitting, on this thread and in fit jobs', () => {
    expect(sweepSeconds(big, dims)).toBeGreaterThan(5);
    const ev = new Evaluator(x, { rse: 1e-2, budgetSeconds: 5 });
    expect(ev.affordable(big)).toBe(false);
    const t0 = performance.now();
    const e = ev.evaluate(big);
    expect(e.rse).toBe(1);
    expect(e.cores.every((c) => c.toTypedArray().every((v) => v === 0))).toBe(true);
    expect(ev.evaluations).toBe(1);
    expect(ev.fits).toBe(0);
    const job = runFitJob(x, fitSetupOf(ev), { R: big, seed: 0, deadline: Date.now() + 5000 });
    expect(job.rse).toBe(1);
    expect(job.fits).toBe(0);
    const batchEv = new Evaluator(x, { rse: 1e-2, budgetSeconds: 5 });
    const [b] = evaluateBatch(batchEv, [{ R: big }]);
    expect(b!.rse).toBe(1);
    expect(batchEv.fits).toBe(0);
    // No ALS sweep was started (the counts above); a sweep would take tens of seconds, so the
    // time is a backstop, generous for a loaded machine.
    expect((performance.now() - t0) / 1000).toBeLessThan(10);
    // A cheap structure is still fitted.
    expect(ev.evaluate(chainRankMatrix(8, [2, 2, 2, 2, 2, 2, 2])).rse).toBeLessThan(1e-2);
  });

  it('a batch run on one thread stops fitting at the search deadline, not each job\u2019s own', () => {
    // 12 ring fits of 300 sweeps with tol 0 take several seconds one after another;
    // with 0.5 s of budget the later jobs must be scored unfitted.
    const rng = new Random(4);
    const dims5 = [5, 5, 5, 5, 5];
    const truth = ringRankMatrix(5, [3, 3, 3, 3, 3]);
    const x5 = contractCores(randomCores(dims5, truth, { seed: 3 }), truth);
    const cands = Array.from({ length: 12 }, () => ({ R: ringRankMatrix(5, Array.from({ length: 5 }, () => 2 + rng.int(3))) }));
    const ev = new Evaluator(x5, { rse: 1e-12, iters: 300, tol: 0, budgetSeconds: 0.5 });
    const t0 = performance.now();
    const out = evaluateBatch(ev, cands);
    // The 0.5 s budget plus the sweep in progress at the deadline; generous for a loaded machine
    // (unbudgeted, the batch takes several seconds on a quiet one).
    expect((performance.now() - t0) / 1000).toBeLessThan(5);
    expect(out.some((e) => e.rse === 1)).toBe(true);
  });

  it('are no warm start: a fit offered zero cores starts from the seeded random cores instead', () => {
    const chain = chainRankMatrix(8, [2, 2, 2, 2, 2, 2, 2]);
    const zero = { R: chain, cores: zeroCores(chain, dims, 'f64') };
    expect(isZeroNetwork(zero.cores)).toBe(true);
    expect(isZeroNetwork(randomCores(dims, chain, { seed: 1 }))).toBe(false);
    const offered = new Evaluator(x, { rse: 1e-2, iters: 3, seed: 4 }).evaluate(chain, zero);
    const cold = new Evaluator(x, { rse: 1e-2, iters: 3, seed: 4 }).evaluate(chain);
    expect(offered.rse).toBe(cold.rse);
    const setup = fitSetupOf(new Evaluator(x, { rse: 1e-2, iters: 3 }));
    const job = runFitJob(x, setup, { R: chain, init: zero, seed: 5, deadline: Infinity });
    expect(job.rse).toBe(runFitJob(x, setup, { R: chain, seed: 5, deadline: Infinity }).rse);
  });

  it('are fitted when there is no budget', () => {
    expect(new Evaluator(x, { rse: 1e-2 }).affordable(big)).toBe(true);
  });
});
