import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/helpers/backends.js';
import { checkGradient, einsum, valueAndGrad, type Var, type VarLike } from '../../autodiff/index.js';
import { allocate, type DType } from '../../tensor/dtype.js';
import { rand, randn } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { softmaxCrossEntropy } from '../losses/classification.js';
import { randomNormal } from '../init/initializers.js';
import { ChainWorkspacePool, mpsChainScores } from './mps-chain.js';
import { MpsModel } from './mps-model.js';
import { applyScale, siteSlices, zeroScale } from './rescale.js';

/** The op-by-op forward (autodiff einsums over the model's public environments): the reference the fused pass must equal. */
function referenceScores(model: MpsModel, params: readonly VarLike[], x: Tensor): Var {
  const xs = siteSlices(x, params[0]!.dtype);
  const scale = zeroScale(x.shape[0]!);
  const left = model.leftEnvironment(params, xs, model.outputSite, scale);
  const right = model.rightEnvironment(params, xs, model.outputSite + 1, scale);
  return applyScale(einsum(model.steps.scores, left, params[model.outputSite]!, xs[model.outputSite]!, right), scale);
}

/** A random model and batch; the output site is drawn from first, middle and last. */
function randomCase(rng: Random, dtype: DType, where: 'first' | 'middle' | 'last') {
  const sites = 1 + rng.int(6) + (where === 'middle' ? 2 : 0);
  const outputSite = where === 'first' ? 0 : where === 'last' ? sites - 1 : 1 + rng.int(sites - 2);
  const physDim = 1 + rng.int(4);
  const model = MpsModel.create({
    sites, physDim, bondDim: 1 + rng.int(6), outputDim: 1 + rng.int(4), outputSite, init: randomNormal(0.6), seed: rng.int(1000), dtype,
  });
  const batch = 1 + rng.int(13);
  const x = rand([batch, sites, physDim], { rng, dtype, low: -1, high: 1.5 });
  const labels = Array.from({ length: batch }, () => rng.int(model.outputDim));
  return { model, x, labels };
}

function maxRelDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    norm = Math.max(norm, Math.abs(y[i]!));
  }
  return norm === 0 ? diff : diff / norm;
}

describeEachBackend('fused MPS chain contraction', () => {
  for (const dtype of ['f64', 'f32'] as const) {
    for (const where of ['first', 'middle', 'last'] as const) {
      it(`${dtype}, output site ${where}: scores and cross-entropy gradients equal the op-by-op einsum sweep`, () => {
        const tol = dtype === 'f64' ? 1e-12 : 2e-5;
        for (let trial = 0; trial < 8; trial++) {
          const rng = new Random(1000 * trial + where.length + (dtype === 'f32' ? 7 : 0));
          const { model, x, labels } = randomCase(rng, dtype, where);
          const pool = new ChainWorkspacePool();
          const fused = (...p: Var[]): Var => softmaxCrossEntropy(mpsChainScores(p, x, model.outputSite, pool), labels);
          const reference = (...p: Var[]): Var => softmaxCrossEntropy(referenceScores(model, p, x), labels);
          const a = valueAndGrad(fused, model.params);
          const b = valueAndGrad(reference, model.params);
          expect(Math.abs(a.value - b.value)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b.value)));
          a.grads.forEach((g, k) => {
            expect(g.dtype).toBe(dtype);
            expect(maxRelDiff(g, b.grads[k]!)).toBeLessThanOrEqual(tol);
          });
          // A second pass on the pooled work buffers, writing into lent gradient buffers full of NaN, gives the same numbers.
          const buffers = model.params.map((p) => new Tensor(allocate(p.dtype, p.size).fill(Number.NaN), p.shape));
          const again = valueAndGrad(fused, model.params, { gradientBuffers: buffers });
          expect(again.value).toBe(a.value);
          again.grads.forEach((g, k) => {
            expect(g).toBe(buffers[k]);
            expect(Array.from(g.toTypedArray())).toEqual(Array.from(a.grads[k]!.toTypedArray()));
          });
        }
      });
    }
  }

  it('gradients match central finite differences (f64, random shapes, every output position)', () => {
    for (let trial = 0; trial < 9; trial++) {
      const rng = new Random(77 + trial);
      const { model, x, labels } = randomCase(rng, 'f64', (['first', 'middle', 'last'] as const)[trial % 3]!);
      const pool = new ChainWorkspacePool();
      const w = randn([x.shape[0]!, model.outputDim], { rng });
      // A weighted sum of raw scores as well as the cross-entropy, so every score's gradient is exercised.
      const f = (...p: Var[]): Var => {
        const s = mpsChainScores(p, x, model.outputSite, pool);
        return einsum('bc,bc->', s, w);
      };
      expect(checkGradient(f, model.params).relativeError).toBeLessThan(1e-6);
      const ce = (...p: Var[]): Var => softmaxCrossEntropy(mpsChainScores(p, x, model.outputSite, pool), labels);
      expect(checkGradient(ce, model.params).relativeError).toBeLessThan(1e-6);
    }
  });

  it('differentiates only the cores that are variables, leaving the constants alone', () => {
    for (let trial = 0; trial < 6; trial++) {
      const rng = new Random(300 + trial);
      const { model, x, labels } = randomCase(rng, 'f64', (['first', 'middle', 'last'] as const)[trial % 3]!);
      const pool = new ChainWorkspacePool();
      const free = model.params.map(() => rng.uniform() < 0.5);
      free[rng.int(free.length)] = true;
      const which = model.params.flatMap((_, k) => (free[k] ? [k] : []));
      const make = (scores: (all: VarLike[]) => Var) => (...p: Var[]): Var => {
        const all: VarLike[] = [...model.params];
        which.forEach((k, i) => (all[k] = p[i]!));
        return softmaxCrossEntropy(scores(all), labels);
      };
      const chosen = which.map((k) => model.params[k]!);
      const a = valueAndGrad(make((all) => mpsChainScores(all, x, model.outputSite, pool)), chosen);
      const b = valueAndGrad(make((all) => referenceScores(model, all, x)), chosen);
      a.grads.forEach((g, i) => expect(maxRelDiff(g, b.grads[i]!)).toBeLessThanOrEqual(1e-12));
    }
  });

  it('keeps long chains finite by rescaling, and agrees with the model forward on constants', () => {
    for (const dtype of ['f64', 'f32'] as const) {
      const model = MpsModel.create({ sites: 120, physDim: 2, bondDim: 4, outputDim: 3, outputSite: 40, init: randomNormal(1.5), seed: 3, dtype });
      const x = rand([5, 120, 2], { seed: 4, dtype });
      const fused = mpsChainScores(model.params, x, model.outputSite, new ChainWorkspacePool()).value;
      const reference = referenceScores(model, model.params, x).value;
      expect(maxRelDiff(fused, reference)).toBeLessThanOrEqual(dtype === 'f64' ? 1e-12 : 1e-4);
      expect(Array.from(model.forward(model.params, x).value.toTypedArray())).toEqual(Array.from(fused.toTypedArray()));
    }
  });

  it('rejects cores that do not chain or mix dtypes, naming the problem', () => {
    const model = MpsModel.create({ sites: 4, physDim: 2, bondDim: 3, outputDim: 2, outputSite: 1 });
    const x = rand([3, 4, 2], { seed: 1 });
    const pool = new ChainWorkspacePool();
    const mixed = [...model.params];
    mixed[2] = mixed[2]!.astype('f32');
    expect(() => mpsChainScores(mixed, x, 1, pool)).toThrow(/core 2 is f32/);
    const bad = [...model.params];
    bad[2] = randn([5, 2, bad[2]!.shape[2]!], { seed: 2 });
    expect(() => mpsChainScores(bad, x, 1, pool)).toThrow(/left bond 5/);
    expect(() => mpsChainScores(model.params, rand([3, 5, 2], { seed: 1 }), 1, pool)).toThrow(/5 sites/);
  });
});
