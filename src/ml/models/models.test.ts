import { describe, expect, it } from 'vitest';
import { checkGradient, type Var } from '../../autodiff/index.js';
import { einsum as tensorEinsum } from '../../einsum/einsum.js';
import { rand } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import { identityPlusNoise, randomNormal } from '../init/initializers.js';
import { meanSquaredError } from '../losses/regression.js';
import { softmaxCrossEntropy } from '../losses/classification.js';
import { l2Penalty, nuclearNormPenalty } from '../losses/regularizers.js';
import { mpsNegativeLogLikelihood } from '../losses/generative.js';
import { MpoModel } from './mpo-model.js';
import { MpsModel } from './mps-model.js';
import { PepsModel } from './peps-model.js';
import { TreeModel } from './tree-model.js';
import type { SupervisedModel } from './model.js';

function labels(rng: Random, n: number, c: number): number[] {
  return Array.from({ length: n }, () => rng.int(c));
}

describe('model loss gradients match finite differences', () => {
  const cases: [string, (rng: Random) => SupervisedModel][] = [
    ['mps', (rng) => MpsModel.create({ sites: 3 + rng.int(3), physDim: 2, bondDim: 2 + rng.int(2), outputDim: 3, outputSite: rng.int(3), init: randomNormal(0.5), seed: rng.int(1000) })],
    ['tree', (rng) => TreeModel.create({ sites: 3 + rng.int(3), physDim: 2, bondDim: 2, outputDim: 2, init: randomNormal(0.5), seed: rng.int(1000) })],
    ['mpo', (rng) => MpoModel.create({ sites: 3, physDim: 2, bondDim: 2, outDims: [1, 2, 1 + rng.int(2)], init: randomNormal(0.5), seed: rng.int(1000) })],
    ['peps', (rng) => PepsModel.create({ grid: [2, 2 + rng.int(2)], physDim: 2, bondDim: 2, outputDim: 2, init: randomNormal(0.5), seed: rng.int(1000) })],
  ];
  for (const [name, make] of cases) {
    it(`${name}: cross-entropy + L2 + nuclear norm`, () => {
      for (let trial = 0; trial < 2; trial++) {
        const rng = new Random(10 * trial + name.length);
        const model = make(rng);
        const x = rand([3, model.sites, model.physDim], { rng });
        const y = labels(rng, 3, model.outputDim);
        const loss = (...p: Var[]): Var => {
          const ce = softmaxCrossEntropy(model.forward(p, x), y);
          return l2Penalty([ce, ...p], 0.01);
        };
        expect(checkGradient(loss, model.params).relativeError).toBeLessThan(1e-6);
        const nuc = (...p: Var[]): Var => nuclearNormPenalty(p, 0.1);
        expect(checkGradient(nuc, model.params).relativeError).toBeLessThan(1e-5);
      }
    });
  }
  it('mps regressor MSE and Born-machine NLL', () => {
    const rng = new Random(3);
    const model = MpsModel.create({ sites: 4, physDim: 2, bondDim: 3, outputDim: 1, init: randomNormal(0.6), seed: 5 });
    const x = rand([4, 4, 2], { rng });
    const t = rand([4, 1], { rng });
    expect(checkGradient((...p: Var[]) => meanSquaredError(model.forward(p, x), t), model.params).relativeError).toBeLessThan(1e-6);
    const cores = Array.from({ length: 4 }, (_, s) => rand([s === 0 ? 1 : 2, 2, s === 3 ? 1 : 2], { rng, low: 0.1, high: 1 }));
    expect(checkGradient((...p: Var[]) => mpsNegativeLogLikelihood(p, x), cores).relativeError).toBeLessThan(1e-6);
  });
});

describe('forward passes', () => {
  it('MPS forward equals the plain (unrescaled) contraction, and stays finite over 200 sites in f32', () => {
    for (let trial = 0; trial < 3; trial++) {
      const rng = new Random(trial);
      const sites = 3 + rng.int(4);
      const model = MpsModel.create({ sites, physDim: 3, bondDim: 3, outputDim: 2, outputSite: rng.int(sites), init: randomNormal(1), seed: trial });
      const x = rand([2, sites, 3], { rng });
      const out = model.forward(model.params, x).value;
      for (let b = 0; b < 2; b++) {
        let env = rand([1], { rng }).reshape(1);
        env.data[0] = 1;
        for (let s = 0; s < sites; s++) {
          const xb = x.slice(b, s).copy();
          env = s === model.outputSite ? tensorEinsum('l,lpcr,p->cr', env, model.params[s]!, xb) : env.ndim === 2 ? tensorEinsum('cl,lpr,p->cr', env, model.params[s]!, xb) : tensorEinsum('l,lpr,p->r', env, model.params[s]!, xb);
        }
        for (let c = 0; c < 2; c++) expect(out.get(b, c)).toBeCloseTo(env.reshape(2).get(c), 10);
      }
    }
    const long = MpsModel.create({ sites: 200, physDim: 3, bondDim: 4, outputDim: 2, init: randomNormal(0.05), seed: 1, dtype: 'f32' });
    const x = rand([2, 200, 3], { seed: 2, dtype: 'f32' });
    // The true output is ~1e-200: zero in f32, but each step's environment stays in range (no NaN).
    const out = long.forward(long.params, x).value;
    expect(Array.from(out.toTypedArray()).every((v) => Number.isFinite(v))).toBe(true);
    const stable = MpsModel.create({ sites: 200, physDim: 3, bondDim: 4, outputDim: 2, init: identityPlusNoise(1e-3), seed: 1, dtype: 'f32' });
    const poly = rand([2, 200, 3], { seed: 3, dtype: 'f32', low: 0, high: 0.3 });
    for (let i = 0; i < 400; i++) poly.data[i * 3] = 1; // the constant component of a polynomial embedding
    const o2 = stable.forward(stable.params, poly).value.toTypedArray();
    expect(o2.every((v) => Number.isFinite(v) && Math.abs(v) > 1e-3)).toBe(true);
  });

  it('rejects inputs of the wrong shape, naming the mismatch', () => {
    const model = MpsModel.create({ sites: 4, physDim: 2, bondDim: 2, outputDim: 2 });
    expect(() => model.forward(model.params, rand([2, 5, 2]))).toThrow(/5 sites but the model has 4/);
    expect(() => model.forward(model.params, rand([2, 4, 3]))).toThrow(/physical dimension 3/);
    expect(() => model.withParams(model.params.slice(1))).toThrow(/3 cores given/);
  });
});
