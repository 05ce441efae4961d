import { describe, expect, it } from 'vitest';
import { constant } from '../../autodiff/index.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { randomNormal } from '../init/initializers.js';
import { softmaxCrossEntropy } from '../losses/classification.js';
import { MpsModel } from '../models/mps-model.js';
import { CachedEnvironment, mergeCores, sweepBatchLoss } from './sweep.js';
import { mpsSweepProblem, mpsSweepSource, mpsSweepTrain } from './sweep-mps.js';

function productStates(rng: Random, batch: number, sites: number): Tensor {
  const data = new Float64Array(batch * sites * 2);
  for (let i = 0; i < batch * sites; i++) {
    const a = rng.uniform() * Math.PI / 2;
    data[2 * i] = Math.cos(a);
    data[2 * i + 1] = Math.sin(a);
  }
  return new Tensor(data, [batch, sites, 2]);
}

describe('MPS classifier sweeps', () => {
  it('the local loss at every bond equals the model cross-entropy', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 5; trial++) {
      const sites = 3 + rng.int(6);
      const model = MpsModel.create({ sites, physDim: 2, bondDim: 1 + rng.int(4), outputDim: 3, outputSite: rng.int(sites), seed: trial, init: randomNormal(0.7) });
      const x = productStates(rng, 5, sites);
      const labels = Int32Array.from({ length: 5 }, () => rng.int(3));
      const want = softmaxCrossEntropy(model.forward(model.params.map(constant), x), labels).value.item();
      const problem = mpsSweepProblem(model);
      const batch = mpsSweepSource(x, labels).batch(Int32Array.of(0, 1, 2, 3, 4));
      expect(sweepBatchLoss(problem, model.params, batch)).toBeCloseTo(want, 9);
      const env = new CachedEnvironment(problem, model.params, batch);
      for (let bond = 0; bond < sites - 1; bond++) {
        const { left, right } = env.moveTo(bond);
        const merged = constant(mergeCores(model.params[bond]!, model.params[bond + 1]!));
        expect(problem.localLoss(merged, left, right, bond, batch).value.item()).toBeCloseTo(want, 9);
      }
    }
  });

  it('sweeping lowers the training loss and respects maxRank', () => {
    const rng = new Random(8);
    const sites = 6;
    const model = MpsModel.create({ sites, physDim: 2, bondDim: 2, outputDim: 2, seed: 1 });
    const x = productStates(rng, 40, sites);
    const labels = Int32Array.from({ length: 40 }, (_, i) => (x.data[i * sites * 2]! > 0.7 ? 1 : 0));
    const before = softmaxCrossEntropy(model.forward(model.params.map(constant), x), labels).value.item();
    const result = mpsSweepTrain(model, x, labels, { schedule: [{ maxRank: 4, steps: 3, lr: 0.05 }], sweeps: 2, batchSize: 20 });
    for (const c of result.cores) expect(c.shape[c.ndim - 1]).toBeLessThanOrEqual(4);
    const trained = MpsModel.fromCores(result.cores, model.outputSite);
    const after = softmaxCrossEntropy(trained.forward(trained.params.map(constant), x), labels).value.item();
    expect(after).toBeLessThan(before);
  });
});
