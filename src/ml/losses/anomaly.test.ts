import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { SmpoModel } from '../models/smpo-model.js';
import { logQuadNorm, logReluFrobeniusNorm, smpoAnomalyLoss, smpoAnomalyScores } from './anomaly.js';

describe('anomaly loss', () => {
  it('log-quadratic norm is (e/2·u − 1)² of u = ln ‖P·φ‖², and ReLU clips negative logs', () => {
    const rng = new Random(1);
    const u = Float64Array.from({ length: 7 }, () => 10 * rng.normal());
    const t = new Tensor(u, [7]);
    const four = logQuadNorm(t).value.toTypedArray();
    const two = logQuadNorm(t, { normExponent: 2 }).value.toTypedArray();
    u.forEach((v, i) => {
      expect(four[i]).toBeCloseTo((2 * v - 1) ** 2, 10);
      expect(two[i]).toBeCloseTo((v - 1) ** 2, 10);
      expect(logReluFrobeniusNorm(new Tensor(Float64Array.of(v), [])).value.item()).toBe(Math.max(0, v));
    });
  });

  it('scores are the per-sample terms whose mean (α = 0) is the loss', () => {
    const rng = new Random(4);
    const model = SmpoModel.create({ sites: 6, physDim: 2, spacing: 3, bondDim: 3, seed: 5 });
    const data = new Float64Array(5 * 6 * 2);
    for (let i = 0; i < 30; i++) {
      const a = rng.uniform() * Math.PI / 2;
      data[2 * i] = Math.cos(a);
      data[2 * i + 1] = Math.sin(a);
    }
    const x = new Tensor(data, [5, 6, 2]);
    const scores = smpoAnomalyScores(model, x, { batchSize: 2 });
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(smpoAnomalyLoss(model, model.params, x, { alpha: 0 }).value.item()).toBeCloseTo(mean, 10);
  });

  it('loss and scores (fused chains) equal the same terms built on the einsum reference chains', () => {
    const rng = new Random(6);
    for (let trial = 0; trial < 5; trial++) {
      const sites = 2 + rng.int(9);
      const model = SmpoModel.create({ sites, physDim: 2, spacing: 1 + rng.int(5), bondDim: 1 + rng.int(5), seed: trial });
      const n = 1 + rng.int(7);
      const x = new Tensor(Float64Array.from({ length: n * sites * 2 }, () => rng.uniform()), [n, sites, 2]);
      const alpha = rng.uniform();
      // Cores scaled up so the ReLU(ln ‖P‖_F²) term is active.
      const params = model.params.map((c) => new Tensor(c.toTypedArray().map((v) => 1.2 * v), c.shape));
      const refError = Array.from(logQuadNorm(model.logNormSquaredByEinsum(params, x)).value.toTypedArray());
      const refLoss = refError.reduce((a, b) => a + b, 0) / n + alpha * Math.max(0, model.logFrobeniusNormSquaredByEinsum(params).value.item());
      expect(smpoAnomalyLoss(model, params, x, { alpha }).value.item()).toBeCloseTo(refLoss, 9);
      const scores = smpoAnomalyScores(model, x, { batchSize: 1 + rng.int(4) });
      const refScores = logQuadNorm(model.logNormSquaredByEinsum(model.params, x)).value.toTypedArray();
      scores.forEach((v, i) => expect(v).toBeCloseTo(refScores[i]!, 9));
    }
  });

  it('rejects bad options', () => {
    const t = new Tensor(Float64Array.of(1), [1]);
    expect(() => logQuadNorm(t, { normExponent: 0 })).toThrow(/normExponent/);
    const model = SmpoModel.create({ sites: 2, physDim: 2, spacing: 1, bondDim: 2 });
    expect(() => smpoAnomalyLoss(model, model.params, new Tensor(new Float64Array(4), [1, 2, 2]), { alpha: -1 })).toThrow(/alpha/);
    expect(() => smpoAnomalyScores(model, new Tensor(new Float64Array(4), [2, 2]))).toThrow(/\[n, sites, d\]/);
  });
});
