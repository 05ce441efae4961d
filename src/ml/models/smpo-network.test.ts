import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { einsum } from '../../einsum/einsum.js';
import { contractTensors } from '../../network/contract.js';
import { chainSiteLegs } from '../../network/core-layout.js';
import { LabeledTensor } from '../../network/labeled-tensor.js';
import { Index } from '../../network/tensor-index.js';
import { rand, randn } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { randomNormal } from '../init/initializers.js';
import { siteSlices } from './rescale.js';
import { doubleLayerLeftStep, doubleLayerRightStep } from './smpo-chain.js';
import { SmpoModel } from './smpo-model.js';

function randomCase(seed: number) {
  const rng = new Random(seed);
  const sites = 1 + rng.int(6);
  const physDim = 1 + rng.int(3);
  const model = SmpoModel.create({
    sites, physDim, outputDim: 1 + rng.int(3), spacing: 1 + rng.int(3), bondDim: 1 + rng.int(4), init: randomNormal(0.6), seed: rng.int(1000),
  });
  const x = rand([1 + rng.int(6), sites, physDim], { rng, low: -1, high: 1.5 });
  return { model, x, rng };
}

/** The ket layer (the model's network) and a bra layer: bonds primed, and the physical legs too when `primePhys`. */
function doubleLayer(model: SmpoModel, primePhys: boolean): { ket: LabeledTensor[]; bra: LabeledTensor[]; phys: Index[] } {
  const net = model.toNetwork();
  const phys = Array.from({ length: model.sites }, (_, s) => chainSiteLegs(net, s).phys);
  const ket = net.tensors();
  const bra = ket.map((t) => new LabeledTensor(t.data, t.indices.map((ix) => (ix.hasTag('bond') || (primePhys && ix.hasTag('phys')) ? ix.prime() : ix))));
  return { ket, bra, phys };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want[i]!)));
}

describe('the SMPO model network is the one description of its double-layer contractions', () => {
  it('ln ‖P·φ‖² and ln ‖P‖_F²: fused chain = generated einsum steps = plain network contraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 30 }), (seed) => {
        const { model, x } = randomCase(seed);
        const { ket, bra, phys } = doubleLayer(model, true);
        const b = new Index(x.shape[0]!, 'batch');
        const xs = siteSlices(x, x.dtype);
        const inputs = xs.flatMap((phi, s) => [new LabeledTensor(phi, [b, phys[s]!]), new LabeledTensor(phi, [b, phys[s]!.prime()])]);
        const norms = contractTensors([...ket, ...bra, ...inputs], { output: [b] }).data.toTypedArray();
        const want = Array.from(norms, Math.log);
        expectClose(model.logNormSquared(model.params, x).value.toTypedArray(), want);
        expectClose(model.logNormSquaredByEinsum(model.params, x).value.toTypedArray(), want);
        const frob = doubleLayer(model, false);
        const f = Math.log(contractTensors([...frob.ket, ...frob.bra], { output: [] }).data.item());
        expectClose([model.logFrobeniusNormSquared(model.params).value.item()], [f]);
        expectClose([model.logFrobeniusNormSquaredByEinsum(model.params).value.item()], [f]);
      }),
      { numRuns: 25 },
    );
  });

  it('the fused environment steps (both directions, data and operator layers) equal the generated specs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 30 }), (seed) => {
        const { model, rng } = randomCase(seed);
        const { steps } = model;
        model.params.forEach((core, s) => {
          const [l, r] = [core.shape[0]!, core.shape[core.ndim - 1]!];
          const B = 1 + rng.int(5);
          const phi = randn([B, model.physDim], { rng });
          const [envL, envR] = [randn([B, l, l], { rng }), randn([B, r, r], { rng })];
          const [fl, fr] = [randn([1, l, l], { rng }), randn([1, r, r], { rng })];
          expectClose(doubleLayerLeftStep(envL, core, phi).toTypedArray(), einsum(steps.normStep[s]!, envL, core, phi, core, phi).toTypedArray());
          expectClose(doubleLayerRightStep(envR, core, phi).toTypedArray(), einsum(steps.normStepRight[s]!, core, phi, core, phi, envR).toTypedArray());
          expectClose(doubleLayerLeftStep(fl, core, null).toTypedArray(), einsum(steps.frobeniusStep[s]!, fl, core, core).toTypedArray());
          expectClose(doubleLayerRightStep(fr, core, null).toTypedArray(), einsum(steps.frobeniusStepRight[s]!, core, core, fr).toTypedArray());
        });
      }),
      { numRuns: 25 },
    );
  });

  it('the generated specs compute bit-for-bit what the hand-written ones did', () => {
    for (let trial = 0; trial < 40; trial++) {
      const { model, rng } = randomCase(7000 + trial);
      for (let s = 0; s < model.sites; s++) {
        const core: Tensor = model.params[s]!;
        const out = core.ndim === 4;
        const l = core.shape[0]!;
        const B = 1 + rng.int(5);
        const env = randn([B, l, l], { rng });
        const phi = randn([B, model.physDim], { rng });
        const same = (spec: string, old: string, ...ops: Tensor[]): void => {
          expect(Array.from(einsum(spec, ...ops).toTypedArray())).toEqual(Array.from(einsum(old, ...ops).toTypedArray()));
        };
        same(model.steps.normStep[s]!, out ? 'blm,lpor,bp,mqos,bq->brs' : 'blm,lpr,bp,mqs,bq->brs', env, core, phi, core, phi);
        same(model.steps.frobeniusStep[s]!, out ? 'blm,lpor,mpos->brs' : 'blm,lpr,mps->brs', randn([1, l, l], { rng }), core, core);
      }
      // The sweep's local specs at every bond (merged cores k, k+1).
      for (let k = 0; k + 1 < model.sites; k++) {
        const [a, z] = [model.params[k]!, model.params[k + 1]!];
        const o1 = a.ndim === 4 ? 'o' : '';
        const o2 = z.ndim === 4 ? 'u' : '';
        const mshape = [...a.shape.slice(0, -1), ...z.shape.slice(1)];
        const [l, r] = [a.shape[0]!, z.shape[z.ndim - 1]!];
        const B = 1 + rng.int(5);
        const merged = randn(mshape, { rng });
        const [p, q] = [randn([B, model.physDim], { rng }), randn([B, model.physDim], { rng })];
        const [envL, envR] = [randn([B, l, l], { rng }), randn([B, r, r], { rng })];
        const same = (spec: string, old: string, ...ops: Tensor[]): void => {
          expect(Array.from(einsum(spec, ...ops).toTypedArray())).toEqual(Array.from(einsum(old, ...ops).toTypedArray()));
        };
        same(model.steps.localNorm[k]!, `blm,lp${o1}q${o2}r,bp,bq,mx${o1}y${o2}s,bx,by,brs->b`, envL, merged, p, q, merged, p, q, envR);
        same(model.steps.localFrobenius[k]!, `zlm,lp${o1}q${o2}r,mp${o1}q${o2}s,zrs->z`, randn([1, l, l], { rng }), merged, merged, randn([1, r, r], { rng }));
      }
    }
  });
});
