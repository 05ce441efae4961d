import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { createStopFlag, requestStop } from '../decompose/stop-flag.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { search, SEARCH_METHODS } from './strategies.js';
import { validatedCompletion } from './validated-completion.js';

/** A random (full-rank) tensor: no network smaller than it meets a tight target. */
function noise(dims: number[], seed: number): Tensor {
  const rng = new Random(seed);
  const size = dims.reduce((p, d) => p * d, 1);
  return new Tensor(Float64Array.from({ length: size }, () => rng.normal()), dims);
}

describe('every search is bounded and anytime', () => {
  const x = noise([3, 3, 3, 3], 1);

  it.each(SEARCH_METHODS)('%s never returns a network larger than the tensor, and says it missed the target', (method) => {
    const r = search(method, x, { rse: 1e-6, seed: 0, budgetSeconds: 2 });
    expect(r.params).toBeLessThanOrEqual(x.size);
    expect(r.feasible).toBe(false);
    expect(r.rse).toBeGreaterThan(1e-6);
    expect(Number.isFinite(r.rse)).toBe(true);
  });

  it.each(SEARCH_METHODS)('%s ends at once with its best so far when a stop was requested', (method) => {
    const stop = createStopFlag();
    requestStop(stop);
    const t0 = performance.now();
    const r = search(method, x, { rse: 1e-2, seed: 0, stop });
    expect(r.stopped).toBe('interrupted');
    expect(r.cores.length).toBe(4);
    expect(r.params).toBeLessThanOrEqual(x.size);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('reports stopped: budget when the budget ends the search, and nothing when it finishes', () => {
    const big = noise([4, 4, 4, 4, 4], 2);
    const cut = search('greedy', big, { rse: 1e-6, seed: 0, budgetSeconds: 0.3 });
    expect(cut.stopped).toBe('budget');
    const small = search('ttsvd', x, { rse: 0.5, seed: 0 });
    expect(small.stopped).toBeUndefined();
  });

  it.each(['greedy', 'rgtn', 'tnls'] as const)('%s reports each new best so far, and the last one is the result', (method) => {
    const ring = [[1, 2, 1, 2], [2, 1, 2, 1], [1, 2, 1, 2], [2, 1, 2, 1]];
    const y = contractCores(randomCores([3, 3, 3, 3], ring, { seed: 2 }), ring);
    const seen: { params: number; rse: number; evaluations: number }[] = [];
    const r = search(method, y, { rse: 1e-2, seed: 0, budgetSeconds: 20, onImprove: (e, at) => seen.push({ params: e.params, rse: e.rse, evaluations: at.evaluations }) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((b) => b.params <= y.size)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ params: r.params, rse: r.rse });
    expect(seen.at(-1)!.evaluations).toBeLessThanOrEqual(r.evaluations);
  });

  it('validated completion stops on request and on its budget', () => {
    const mask = new Uint8Array(x.size).map((_, p) => (p % 3 === 0 ? 0 : 1));
    const stop = createStopFlag();
    requestStop(stop);
    const r = validatedCompletion(x, { mask, stop });
    expect(r.stopped).toBe('interrupted');
    const free = validatedCompletion(x, { mask, iters: 2, patience: 1 });
    expect(free.stopped).toBeUndefined();
  });
});
