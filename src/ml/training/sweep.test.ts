import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { randomNormal } from '../init/initializers.js';
import { smpoAnomalyLoss } from '../losses/anomaly.js';
import { SmpoModel } from '../models/smpo-model.js';
import { alternatingUpdate, CachedEnvironment, mergeCores, splitMerged, sweepBatchLoss, twoWaySweep } from './sweep.js';
import { smpoSweepProblem, smpoSweepSource, smpoSweepTrain } from './sweep-smpo.js';

function productStates(rng: Random, batch: number, sites: number, d: number): Tensor {
  const data = new Float64Array(batch * sites * d);
  for (let i = 0; i < batch * sites; i++) {
    const a = rng.uniform() * Math.PI / 2;
    data[i * d] = Math.cos(a);
    data[i * d + 1] = Math.sin(a);
  }
  return new Tensor(data, [batch, sites, d]);
}

function randomSmpo(rng: Random, seed: number): { model: SmpoModel; sites: number } {
  const sites = 3 + rng.int(6);
  const model = SmpoModel.create({ sites, physDim: 2, spacing: 1 + rng.int(3), bondDim: 1 + rng.int(4), seed, init: randomNormal(1) });
  return { model, sites };
}

function randomCore(rng: Random, shape: number[]): Tensor {
  const t = new Tensor(new Float64Array(shape.reduce((p, d) => p * d, 1)), shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal();
  return t;
}

describe('sweep engine', () => {
  it('cached environments equal a full recompute after random pair updates', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 8; trial++) {
      const { model, sites } = randomSmpo(rng, trial);
      const problem = smpoSweepProblem(model);
      const batch = smpoSweepSource(productStates(rng, 3, sites, 2)).batch(Int32Array.of(0, 1, 2));
      const env = new CachedEnvironment(problem, model.params, batch);
      for (let move = 0; move < 6; move++) {
        const bond = rng.int(sites - 1);
        env.moveTo(rng.int(sites - 1));
        const cores = env.currentCores();
        env.setPair(bond, randomCore(rng, [...cores[bond]!.shape]), randomCore(rng, [...cores[bond + 1]!.shape]));
        const k = rng.int(sites + 1);
        const fresh = new CachedEnvironment(problem, env.currentCores(), batch);
        const [a, b] = [env.leftAt(k), fresh.leftAt(k)];
        const [c, d] = [env.rightAt(k), fresh.rightAt(k)];
        expect(a.data.scale).toEqual(b.data.scale);
        expect(Array.from(a.data.value.toTypedArray())).toEqual(Array.from(b.data.value.toTypedArray()));
        expect(Array.from(c.data.value.toTypedArray())).toEqual(Array.from(d.data.value.toTypedArray()));
        expect(Array.from(c.frob.value.toTypedArray())).toEqual(Array.from(d.frob.value.toTypedArray()));
      }
    }
  });

  it('a full sweep costs O(L) environment extensions', () => {
    const rng = new Random(9);
    const sites = 12;
    const model = SmpoModel.create({ sites, physDim: 2, spacing: 3, bondDim: 3, seed: 1 });
    const problem = smpoSweepProblem(model);
    const batch = smpoSweepSource(productStates(rng, 2, sites, 2)).batch(Int32Array.of(0, 1));
    const env = new CachedEnvironment(problem, model.params, batch);
    for (const { bond } of twoWaySweep(sites)) {
      env.moveTo(bond);
      const cores = env.currentCores();
      env.setPair(bond, cores[bond]!, cores[bond + 1]!);
    }
    // Left-to-right then right-to-left: each direction extends each stack about L times.
    expect(env.extensions).toBeLessThanOrEqual(4 * sites);
  });

  it('the local loss equals the model loss at every bond', () => {
    const rng = new Random(13);
    for (let trial = 0; trial < 4; trial++) {
      const { model, sites } = randomSmpo(rng, 20 + trial);
      const x = productStates(rng, 4, sites, 2);
      const problem = smpoSweepProblem(model);
      const batch = smpoSweepSource(x).batch(Int32Array.of(0, 1, 2, 3));
      const want = smpoAnomalyLoss(model, model.params, x).value.item();
      expect(sweepBatchLoss(problem, model.params, batch)).toBeCloseTo(want, 8);
    }
  });

  it('merge then split without truncation reproduces the merged tensor', () => {
    const rng = new Random(2);
    for (let trial = 0; trial < 6; trial++) {
      const a = randomCore(rng, [1 + rng.int(3), 2, 1 + rng.int(4)]);
      const b = randomCore(rng, [a.shape[2]!, 2, 2, 1 + rng.int(3)]);
      const merged = mergeCores(a, b);
      const dir = rng.int(2) === 0 ? 'right' : 'left';
      const { left, right } = splitMerged(merged, 2, dir, 100);
      const again = mergeCores(left, right).toTypedArray();
      merged.toTypedArray().forEach((v, i) => expect(again[i]).toBeCloseTo(v, 10));
    }
  });

  it('keeps every bond ≤ maxRank and lowers the loss on a toy problem', () => {
    const rng = new Random(17);
    const sites = 8;
    const model = SmpoModel.create({ sites, physDim: 2, spacing: 2, bondDim: 4, seed: 3 });
    const x = productStates(rng, 32, sites, 2);
    const before = smpoAnomalyLoss(model, model.params, x).value.item();
    const bonds: number[] = [];
    const result = smpoSweepTrain(model, x, {
      sweeps: 3, batchSize: 16, lr: 0.05, maxRank: 3, steps: 3,
      observer: (e) => { if (e.type === 'bond') bonds.push(e.rank); },
    });
    for (const c of result.cores) {
      expect(c.shape[0]).toBeLessThanOrEqual(3);
      expect(c.shape[c.ndim - 1]).toBeLessThanOrEqual(3);
    }
    expect(Math.max(...bonds)).toBeLessThanOrEqual(3);
    const after = smpoAnomalyLoss(model.withCores(result.cores), result.cores, x).value.item();
    expect(after).toBeLessThan(before);
  });

  it('rejects bad schedules and bonds', () => {
    const model = SmpoModel.create({ sites: 4, physDim: 2, spacing: 2, bondDim: 2 });
    const problem = smpoSweepProblem(model);
    const source = smpoSweepSource(productStates(new Random(1), 4, 4, 2));
    expect(() => alternatingUpdate(problem, source, { schedule: [], batchSize: 2 })).toThrow(/schedule is empty/);
    expect(() => alternatingUpdate(problem, source, { schedule: [{ maxRank: 0 }], batchSize: 2 })).toThrow(/maxRank/);
    expect(() => alternatingUpdate(problem, source, { schedule: [{ maxRank: 2, rse: 2 }], batchSize: 2 })).toThrow(/rse/);
    const env = new CachedEnvironment(problem, model.params, source.batch(Int32Array.of(0)));
    expect(() => env.moveTo(3)).toThrow(/bond must be in \[0, 2\]/);
    expect(() => mergeCores(new Tensor(new Float64Array(4), [1, 2, 2]), new Tensor(new Float64Array(6), [3, 2, 1]))).toThrow(/right bond is 2/);
  });
});
