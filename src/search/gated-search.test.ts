import { describe, expect, it } from 'vitest';
import { checkGradient } from '../autodiff/index.js';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { createStopFlag, requestStop } from '../decompose/stop-flag.js';
import { chainRankMatrix, paramCount } from '../network/index.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { memoryCheckpoint } from './checkpoint.js';
import { gatedSearch } from './gated-search.js';
import { gatedLoss, initialGates } from './gated-network.js';

describe('gated contraction', () => {
  it('matches finite differences for cores and gate logits (reconstruction + CR + entropy + decay)', () => {
    const dims = [2, 3, 2];
    const R = [[1, 2, 3], [2, 1, 2], [3, 2, 1]];
    const cores = randomCores(dims, R, { seed: 2 });
    const x = contractCores(randomCores(dims, R, { seed: 5 }), R);
    const gates = initialGates(R, 0.3);
    const rng = new Random(9);
    const jitter = (t: Tensor): Tensor => new Tensor(Float64Array.from(t.toTypedArray(), (v) => v + 0.5 * rng.normal()), t.shape);
    const mask = Uint8Array.from({ length: x.size }, () => (rng.uniform() < 0.7 ? 1 : 0));
    const f = gatedLoss(x, R, 0.7, { gamma: 0.3, delta: 0.2, epsilon: 0.01 }, mask);
    const check = checkGradient(f, [...cores, jitter(gates.edge), ...gates.slices.map(jitter)]);
    expect(check.relativeError).toBeLessThan(1e-6);
  });
});

describe('gatedSearch', () => {
  const R0 = chainRankMatrix(3, [2, 3]);
  const x = contractCores(randomCores([4, 4, 4], R0, { seed: 11 }), R0);
  const small = { rse: 1e-3, steps: 4, rounds: 1, scales: 2 } as const;

  it('meets the target on a small tensor train', () => {
    const r = gatedSearch(x, { rse: 1e-3, seed: 1, steps: 8, rounds: 1 });
    expect(r.method).toBe('rgtn-gated');
    expect(r.rse).toBeLessThanOrEqual(1e-3);
    expect(r.params).toBe(paramCount(r.ranks, x.shape));
    expect(r.log!.length).toBeGreaterThanOrEqual(1);
  });

  it('resumes after a stop at the end of a scale and gives the same result as an uninterrupted run', () => {
    const full = gatedSearch(x, { ...small, seed: 3 });
    const store = memoryCheckpoint();
    const stop = createStopFlag();
    const stopped = gatedSearch(x, { ...small, seed: 3, checkpoint: store, stop, onScale: () => requestStop(stop) });
    expect(stopped.stopped).toBe('interrupted');
    const saved = store.load()!.state;
    expect(saved.scalesDone).toBe(1);
    // The training step counter drives the temperature schedule, so a resume must continue it.
    expect(saved.step).toBe(small.steps * small.rounds);
    const resumed = gatedSearch(x, { ...small, seed: 3, checkpoint: store });
    expect(resumed.ranks).toEqual(full.ranks);
    expect(resumed.rse).toBe(full.rse);
    expect(resumed.log!.map((l) => l.ranks)).toEqual(full.log!.map((l) => l.ranks));
  });

  it('does not log a scale a stop request cut short', () => {
    const stop = createStopFlag();
    requestStop(stop);
    const r = gatedSearch(x, { ...small, seed: 1, stop });
    expect(r.stopped).toBe('interrupted');
    expect(r.log).toEqual([]);
  });

  it('rejects a checkpoint of another run, smoothness, and bad options', () => {
    const store = memoryCheckpoint();
    gatedSearch(x, { ...small, seed: 4, checkpoint: store });
    expect(() => gatedSearch(x, { ...small, seed: 5, checkpoint: store })).toThrow(/gatedSearch: the checkpoint was made with seed 4/);
    expect(() => gatedSearch(x, { smoothness: 0.1 } as never)).toThrow(/smoothness is not available in the gated search/);
    expect(() => gatedSearch(x, { initRank: 0 })).toThrow(/initRank must be a positive integer/);
    expect(() => gatedSearch(x, { tau1: 0 })).toThrow(/temperatures must be positive/);
    expect(() => gatedSearch(new Tensor(new Float64Array(4), [4]))).toThrow(/order ≥ 2/);
  });
});
