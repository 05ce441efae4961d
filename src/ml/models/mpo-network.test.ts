import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { einsum } from '../../einsum/einsum.js';
import { contractProductStates } from '../../network/product-state.js';
import { rand, randn } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { randomNormal } from '../init/initializers.js';
import { MpoModel } from './mpo-model.js';

function randomCase(seed: number) {
  const rng = new Random(seed);
  const sites = 1 + rng.int(4);
  const physDim = 1 + rng.int(3);
  const outDims = Array.from({ length: sites }, () => 1 + rng.int(3));
  const model = MpoModel.create({ sites, physDim, outDims, bondDim: 1 + rng.int(4), init: randomNormal(0.6), seed: rng.int(1000) });
  const x = rand([1 + rng.int(6), sites, physDim], { rng, low: -1, high: 1.5 });
  return { model, x, rng };
}

describe('the MPO model network is the one description of its contraction', () => {
  it('forward = plain contraction of the network with the product states', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 30 }), (seed) => {
        const { model, x } = randomCase(seed);
        const want = contractProductStates(model.toNetwork(), x).data.toTypedArray();
        const got = model.forward(model.params, x).value.toTypedArray();
        expect(got.length).toBe(want.length);
        const scale = Math.max(1e-300, ...Array.from(want, Math.abs));
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!) / scale).toBeLessThan(1e-10);
      }),
      { numRuns: 30 },
    );
  });

  it('the generated specs compute bit-for-bit what the hand-written ones did', () => {
    for (let trial = 0; trial < 30; trial++) {
      const { model, rng } = randomCase(5000 + trial);
      model.params.forEach((core, s) => {
        const B = 1 + rng.int(5);
        const phi = randn([B, model.physDim], { rng });
        const env = randn([B, 1 + rng.int(4), core.shape[0]!], { rng });
        const same = (spec: string, old: string, ...ops: Tensor[]): void => {
          expect(Array.from(einsum(spec, ...ops).toTypedArray())).toEqual(Array.from(einsum(old, ...ops).toTypedArray()));
        };
        same(model.steps.forwardStep[s]!, 'bQl,lpqr,bp->bQqr', env, core, phi);
        same(model.steps.outputCore[s]!, 'lpqr,bp->blqr', core, phi);
      });
    }
  });
});
