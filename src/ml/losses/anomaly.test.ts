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

  it('rejects bad options', () => {
    const t = new Tensor(Float64Array.of(1), [1]);
    expect(() => logQuadNorm(t, { normExponent: 0 })).toThrow(/normExponent/);
    const model = SmpoModel.create({ sites: 2, physDim: 2, spacing: 1, bondDim: 2 });
    expect(() => smpoAnomalyLoss(model, model.params, new Tensor(new Float64Array(4), [1, 2, 2]), { alpha: -1 })).toThrow(/alpha/);
    expect(() => smpoAnomalyScores(model, new Tensor(new Float64Array(4), [2, 2]))).toThrow(/\[n, sites, d\]/);
  });
});
