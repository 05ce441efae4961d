import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant, einsum } from '../../autodiff/index.js';
import { einsum as tensorEinsum } from '../../einsum/einsum.js';
import { contractTensors } from '../../network/contract.js';
import { contractProductStates } from '../../network/product-state.js';
import { LabeledTensor } from '../../network/labeled-tensor.js';
import { rand, randn } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { randomNormal } from '../init/initializers.js';
import { softmaxCrossEntropy } from '../losses/classification.js';
import { mpsSweepProblem, mpsSweepSource } from '../training/sweep-mps.js';
import { MpsModel } from './mps-model.js';
import { chainSiteLegs } from '../../network/core-layout.js';
import { applyScale, siteSlices, zeroScale } from './rescale.js';

/** A random model (sites, bonds, output site, classes) and batch of product states. */
function randomCase(seed: number) {
  const rng = new Random(seed);
  const sites = 2 + rng.int(6);
  const physDim = 1 + rng.int(4);
  const model = MpsModel.create({
    sites, physDim, bondDim: 1 + rng.int(5), outputDim: 1 + rng.int(4), outputSite: rng.int(sites), init: randomNormal(0.6), seed: rng.int(1000),
  });
  const batch = 1 + rng.int(9);
  const x = rand([batch, sites, physDim], { rng, low: -1, high: 1.5 });
  const labels = Array.from({ length: batch }, () => rng.int(model.outputDim));
  return { model, x, labels, rng };
}

function expectClose(a: Tensor, b: Tensor, rtol = 1e-10): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  const scale = Math.max(1e-300, ...Array.from(y, Math.abs));
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!) / scale).toBeLessThan(rtol);
}

describe('the MPS model network is the one description of its contraction', () => {
  it('fused forward, op-by-op forward, network contraction and the sweep local loss agree to rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 30 }), (seed) => {
        const { model, x, labels } = randomCase(seed);
        const reference = contractProductStates(model.toNetwork(), x).data;
        // The fused pass (all cores one dtype).
        expectClose(model.forward(model.params, x).value, reference);
        // The op-by-op pass over the generated specs.
        const xs = siteSlices(x, 'f64');
        const scale = zeroScale(x.shape[0]!);
        const left = model.leftEnvironment(model.params, xs, model.outputSite, scale);
        const right = model.rightEnvironment(model.params, xs, model.outputSite + 1, scale);
        expectClose(applyScale(einsum(model.steps.scores, left, model.params[model.outputSite]!, xs[model.outputSite]!, right), scale).value, reference);
        // The sweep's local loss at every bond (cores k, k+1 merged) is the model's loss.
        const want = softmaxCrossEntropy(constant(reference), labels).value.item();
        const problem = mpsSweepProblem(model);
        const batch = mpsSweepSource(x, labels).batch(Int32Array.from({ length: x.shape[0]! }, (_, i) => i));
        const n = model.sites;
        for (let k = 0; k + 1 < n; k++) {
          let l = problem.leftBoundary(batch);
          for (let s = 0; s < k; s++) l = problem.extendLeft(l, model.params[s]!, s, batch);
          let r = problem.rightBoundary(batch);
          for (let s = n - 1; s > k + 1; s--) r = problem.extendRight(r, model.params[s]!, s, batch);
          const net = model.toNetwork();
          const [a, z] = [chainSiteLegs(net, k), chainSiteLegs(net, k + 1)];
          const merged = contractTensors([new LabeledTensor(model.params[k]!, a.all), new LabeledTensor(model.params[k + 1]!, z.all)], {
            output: [...a.all.slice(0, -1), ...z.all.slice(1)],
          }).data;
          const got = problem.localLoss(constant(merged), l, r, k, batch).value.item();
          expect(Math.abs(got - want)).toBeLessThan(1e-9 * Math.max(1, Math.abs(want)));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('the generated specs compute bit-for-bit what the hand-written ones did', () => {
    for (let trial = 0; trial < 40; trial++) {
      const { model, rng } = randomCase(9000 + trial);
      const { steps, outputSite: out, sites: n, physDim: p, outputDim: c } = model;
      const B = 1 + rng.int(7);
      const phi = randn([B, p], { rng });
      const core = (s: number): Tensor => model.params[s]!;
      const bondL = (s: number): number => core(s).shape[0]!;
      const bondR = (s: number): number => core(s).shape[core(s).ndim - 1]!;
      const same = (spec: string, old: string, ...ops: Tensor[]): void => {
        expect(Array.from(tensorEinsum(spec, ...ops).toTypedArray())).toEqual(Array.from(tensorEinsum(old, ...ops).toTypedArray()));
      };
      for (let s = 0; s < n; s++) {
        if (s !== out) {
          same(steps.leftStep[s]!, 'bl,lpr,bp->br', randn([B, bondL(s)], { rng }), core(s), phi);
          same(steps.rightStep[s]!, 'lpr,bp,br->bl', core(s), phi, randn([B, bondR(s)], { rng }));
          const cl = s > out ? c : 1;
          same(steps.extendLeft[s]!, 'bcl,lpr,bp->bcr', randn([B, cl, bondL(s)], { rng }), core(s), phi);
          const cr = s < out ? c : 1;
          same(steps.extendRight[s]!, 'lpr,bp,bcr->bcl', core(s), phi, randn([B, cr, bondR(s)], { rng }));
        } else {
          same(steps.scores, 'bl,lpcr,bp,br->bc', randn([B, bondL(s)], { rng }), core(s), phi, randn([B, bondR(s)], { rng }));
          same(steps.extendLeft[s]!, 'bzl,lpcr,bp->bcr', randn([B, 1, bondL(s)], { rng }), core(s), phi);
          same(steps.extendRight[s]!, 'lpcr,bp,bzr->bcl', core(s), phi, randn([B, 1, bondR(s)], { rng }));
        }
      }
      for (let k = 0; k + 1 < n; k++) {
        const l = out < k ? 'bcl' : 'bzl';
        const r = out > k + 1 ? 'bcr' : 'bwr';
        const m = `lp${k === out ? 'c' : ''}q${k + 1 === out ? 'c' : ''}r`;
        const mshape = [bondL(k), p, ...(k === out ? [c] : []), p, ...(k + 1 === out ? [c] : []), bondR(k + 1)];
        same(steps.localScores[k]!, `${l},${m},bp,bq,${r}->bc`,
          randn([B, out < k ? c : 1, bondL(k)], { rng }), randn(mshape, { rng }), phi, randn([B, p], { rng }), randn([B, out > k + 1 ? c : 1, bondR(k + 1)], { rng }));
      }
    }
  });
});
