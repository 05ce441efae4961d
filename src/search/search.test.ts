import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { rse } from '../decompose/metrics.js';
import { createStopFlag, requestStop } from '../decompose/stop-flag.js';
import { chainRankMatrix, paramCount, ringRankMatrix } from '../network/index.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { bondSpectrum, resizeBond } from './bond-ops.js';
import { memoryCheckpoint } from './checkpoint.js';
import { allocatedChain, compressByFlow } from './compress.js';
import { ttSvd } from '../decompose/tt-svd.js';
import { Evaluator } from './evaluator.js';
import { buildPyramid, upsampleCore } from './pyramid.js';
import { rgtn } from './rgtn.js';
import { search, SEARCH_METHODS } from './strategies.js';

const train = (dims: number[], ranks: number[], seed: number): Tensor => {
  const R = chainRankMatrix(dims.length, ranks);
  return contractCores(randomCores(dims, R, { seed }), R);
};

describe('bond operations', () => {
  it('growing a bond keeps the network value; truncating to the numerical rank keeps it too', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 4; trial++) {
      const n = 3 + rng.int(2);
      const dims = Array.from({ length: n }, () => 2 + rng.int(3));
      const R = ringRankMatrix(n, Array.from({ length: n }, () => 1 + rng.int(3)));
      const cores = randomCores(dims, R, { seed: trial });
      const x = contractCores(cores, R);
      const i = rng.int(n);
      const j = (i + 1 + rng.int(n - 1)) % n;
      const grown = resizeBond(cores, R, i, j, R[i]![j]! + 2, rng);
      expect(rse(contractCores(grown.cores, grown.R), x)).toBeLessThan(1e-12);
      // Back down to the old rank: the extra slices carry nothing, so the value is kept.
      const back = resizeBond(grown.cores, grown.R, i, j, R[i]![j]!, rng);
      expect(rse(contractCores(back.cores, back.R), x)).toBeLessThan(1e-9);
      expect(bondSpectrum(grown.cores, grown.R, i, j).length).toBeGreaterThan(0);
    }
  });
});

describe('pyramid', () => {
  it('pooling halves modes down to minDim and upsampling restores the physical size', () => {
    const x = train([8, 4, 6], [2, 2], 1);
    const levels = buildPyramid(x, { scales: 4, mode: 'pool', minDim: 2 });
    expect(levels.map((l) => l.x.shape)).toEqual([[8, 4, 6], [4, 2, 3], [2, 2, 3]]);
    const core = new Tensor(Float64Array.from([1, 2, 3, 4]), [2, 2]);
    expect(upsampleCore(core, 4, 'pool').shape).toEqual([4, 2]);
  });
});

describe('strategies', () => {
  const x = train([3, 4, 3, 3], [2, 3, 2], 7);
  for (const method of SEARCH_METHODS) {
    it(`${method} finds a structure meeting the target on a tiny tensor train`, () => {
      const r = search(method, x, { rse: 1e-2, seed: 1, budgetSeconds: 20 });
      expect(r.rse).toBeLessThanOrEqual(1e-2);
      expect(r.feasible).toBe(true);
      expect(r.params).toBe(paramCount(r.ranks, x.shape));
      expect(r.evaluations).toBeGreaterThan(0);
      const fitted = rse(contractCores(r.cores, r.ranks), x);
      expect(Math.abs(fitted - r.rse)).toBeLessThan(1e-6);
    });
  }

  it('TNGA with a sparse first generation still meets the target, and names a bad edge probability', () => {
    const r = search('tnga', x, { rse: 1e-2, seed: 1, budgetSeconds: 20, tngaInitEdgeProb: 0.4 });
    expect(r.rse).toBeLessThanOrEqual(1e-2);
    const dense = search('tnga', x, { rse: 1e-2, seed: 1, budgetSeconds: 20 });
    // A different first generation: the search takes another path.
    expect(r.evaluations === dense.evaluations && JSON.stringify(r.ranks) === JSON.stringify(dense.ranks) && r.rse === dense.rse).toBe(false);
    expect(() => search('tnga', x, { tngaInitEdgeProb: 0 })).toThrow(/initEdgeProb must be in \(0, 1\], got 0/);
  });

  it('starts TnALE from the allocated chain when asked, with no more parameters than that start', () => {
    const noisy = new Tensor(Float64Array.from(x.toTypedArray(), (v, i) => v * (1 + 0.01 * Math.sin(i))), x.shape);
    const start = allocatedChain(noisy, 5e-2);
    expect(start).toBeDefined();
    const r = search('tnale', noisy, { rse: 5e-2, seed: 1, budgetSeconds: 20, localStart: 'allocated' });
    expect(r.rse).toBeLessThanOrEqual(5e-2);
    expect(r.params).toBeLessThanOrEqual(start!.params);
  });

  it('rejects bad local-search starts and early-stop tolerances', () => {
    expect(() => search('tnale', x, { localStart: 'random' as 'ttsvd' })).toThrow(/start/);
    expect(() => new Evaluator(x, { rse: 1e-2, plateauTol: 1 })).toThrow(/plateauTol must be in \[0, 1\)/);
    expect(() => new Evaluator(x, { rse: 1e-2, stallTol: -1 })).toThrow(/stallTol must be in \[0, 1\)/);
  });

  it('passes the smoothness penalty to the fits of every masked search', () => {
    // Smooth data plus noise, 40% observed: with a large weight the fitted model is smoother
    // along every mode than without (the sum of squared first differences of the completed tensor drops).
    const rng = new Random(6);
    const dims = [10, 9, 8];
    const data = new Float64Array(720);
    for (let i = 0, p = 0; i < 10; i++) for (let j = 0; j < 9; j++) for (let k = 0; k < 8; k++, p++) data[p] = Math.sin(0.4 * i + 0.3 * j) + 0.5 * Math.cos(0.5 * k) + 0.3 * rng.normal();
    const xs = new Tensor(data, dims);
    const mask = Uint8Array.from({ length: 720 }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const roughness = (t: Tensor): number => {
      const v = t.toTypedArray();
      let r = 0;
      for (let p = 0; p < 720; p++) {
        if (p % 8 !== 7) r += (v[p + 1]! - v[p]!) ** 2;
        if (Math.floor(p / 8) % 9 !== 8) r += (v[p + 8]! - v[p]!) ** 2;
        if (p + 72 < 720) r += (v[p + 72]! - v[p]!) ** 2;
      }
      return r;
    };
    for (const method of ['rgtn', 'greedy'] as const) {
      const plain = search(method, xs, { mask, rse: 0.3, seed: 1 });
      const smooth = search(method, xs, { mask, rse: 0.3, seed: 1, smoothness: 1 });
      expect(roughness(contractCores(smooth.cores, smooth.ranks))).toBeLessThan(roughness(contractCores(plain.cores, plain.ranks)));
    }
  });

  it('rejects unknown methods and SVD baselines on masked data', () => {
    expect(() => search('nope', x)).toThrow(/unknown method 'nope'/);
    expect(() => search('ttsvd', x, { mask: new Uint8Array(x.size).fill(1) })).toThrow(/fully observed/);
    expect(() => search('rgtn', new Tensor(new Float64Array(4), [4]))).toThrow(/order ≥ 2/);
  });
});

describe('compression by information flow', () => {
  it('from an exact over-parameterised ring, stays feasible and never grows', () => {
    const rng = new Random(21);
    for (let trial = 0; trial < 2; trial++) {
      const dims = [3, 3, 3, 3];
      const R = ringRankMatrix(4, Array.from({ length: 4 }, () => 1 + rng.int(2)));
      const x = contractCores(randomCores(dims, R, { seed: 40 + trial }), R);
      const big = R.map((row, i) => row.map((r, j) => (i === j ? 1 : r > 1 ? r + 1 : r)));
      const ev = new Evaluator(x, { rse: 1e-4, seed: trial, iters: 150, restarts: 4, stopAt: 1e-6 });
      const start = ev.evaluate(big);
      expect(start.rse).toBeLessThanOrEqual(1e-4);
      const out = compressByFlow(ev, start, { order: trial === 0 ? 'flow' : 'random', seed: trial });
      expect(out.rse).toBeLessThanOrEqual(1e-4);
      expect(out.params).toBeLessThanOrEqual(start.params);
      expect(rse(contractCores(out.cores, out.R), x)).toBeCloseTo(out.rse, 8);
    }
  });
});

describe('allocated chain (approximate data)', () => {
  it('meets the target with its reported RSE and never needs more parameters than TT-SVD', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 6; trial++) {
      const n = 3 + rng.int(3);
      const dims = Array.from({ length: n }, () => 2 + rng.int(3));
      const ranks = Array.from({ length: n - 1 }, () => 1 + rng.int(3));
      const clean = train(dims, ranks, trial).toTypedArray();
      // Low-rank signal plus noise: no exact structure at the target.
      const scale = Math.sqrt(Array.from(clean).reduce((s, v) => s + v * v, 0) / clean.length);
      const x = new Tensor(Float64Array.from(clean, (v) => v + 0.05 * scale * rng.normal()), dims);
      const target = 0.02 + 0.1 * rng.uniform();
      const a = allocatedChain(x, target)!;
      expect(a.rse).toBeLessThanOrEqual(target);
      expect(rse(contractCores(a.cores, a.rankMatrix), x)).toBeCloseTo(a.rse, 8);
      expect(a.params).toBeLessThanOrEqual(ttSvd(x, { rse: target }).params);
    }
  });
});

describe('rgtn', () => {
  const x = train([4, 4, 4], [2, 3], 11);
  const opts = { rse: 1e-3, seed: 4, scales: 2 } as const;

  it('recovers small rings at no more than the true parameter count', () => {
    for (const seed of [1, 2]) {
      const dims = [3, 3, 3, 3, 3];
      const R = ringRankMatrix(5, [2, 2, 2, 2, 2]);
      const ring = contractCores(randomCores(dims, R, { seed }), R);
      const r = rgtn(ring, { rse: 1e-4, seed });
      expect(r.rse).toBeLessThanOrEqual(1e-4);
      expect(r.params).toBeLessThanOrEqual(paramCount(R, dims));
    }
  });

  it('refuses the old gated flag (the gated search is its own strategy) instead of running the default search', () => {
    expect(() => rgtn(x, { rse: 1e-3, gated: true } as never)).toThrow(/gated search is its own strategy: call gatedSearch/);
  });

  it('is deterministic for a seed', () => {
    const a = rgtn(x, opts);
    const b = rgtn(x, opts);
    expect(b.ranks).toEqual(a.ranks);
    expect(b.rse).toBe(a.rse);
    expect(a.log!.length).toBeGreaterThanOrEqual(2);
  });

  it('resumes after a stop and gives the same result as an uninterrupted run, with the total evaluations', () => {
    const full = rgtn(x, opts);
    const store = memoryCheckpoint();
    const stop = createStopFlag();
    // A stop requested when the coarsest scale ends (as SIGINT would): the search ends at its next safe point.
    const stopped = rgtn(x, { ...opts, checkpoint: store, stop, onScale: () => requestStop(stop) });
    expect(stopped.stopped).toBe('interrupted');
    expect(store.load()!.state.scalesDone).toBe(1);
    expect(store.load()!.state.partial).toBeUndefined();
    const resumed = rgtn(x, { ...opts, checkpoint: store });
    expect(resumed.stopped).toBeUndefined();
    expect(resumed.ranks).toEqual(full.ranks);
    expect(resumed.rse).toBe(full.rse);
    expect(resumed.evaluations).toBe(full.evaluations);
    expect(resumed.log!.map((l) => l.ranks)).toEqual(full.log!.map((l) => l.ranks));
  });

  it('saves within a scale when stopped mid-compression and resumes from the structure reached', () => {
    const store = memoryCheckpoint();
    const stop = createStopFlag();
    let kept = 0;
    const one = { ...opts, scales: 1 };
    const stopped = rgtn(x, { ...one, checkpoint: store, stop, onStep: () => { if (++kept === 1) requestStop(stop); } });
    expect(stopped.stopped).toBe('interrupted');
    expect(stopped.rse).toBeLessThanOrEqual(one.rse);
    const saved = store.load()!.state;
    expect(saved.partial).toBe(true);
    expect(saved.scalesDone).toBe(0);
    expect(saved.R).toEqual(stopped.ranks);
    const resumed = rgtn(x, { ...one, checkpoint: store });
    expect(resumed.stopped).toBeUndefined();
    expect(resumed.rse).toBeLessThanOrEqual(one.rse);
    expect(resumed.params).toBeLessThanOrEqual(stopped.params);
    expect(resumed.evaluations).toBeGreaterThan(stopped.evaluations);
  });

  it('rejects a checkpoint made with another seed', () => {
    const store = memoryCheckpoint();
    rgtn(x, { ...opts, checkpoint: store });
    expect(() => rgtn(x, { ...opts, seed: 5, checkpoint: store })).toThrow(/checkpoint was made with seed 4/);
  });
});
