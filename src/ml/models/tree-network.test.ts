import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { einsum } from '../../einsum/einsum.js';
import { contractProductStates } from '../../network/product-state.js';
import { rand, randn } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import { randomNormal } from '../init/initializers.js';
import { TreeModel } from './tree-model.js';

function randomCase(seed: number) {
  const rng = new Random(seed);
  const sites = 2 + rng.int(7);
  const physDim = 1 + rng.int(3);
  const model = TreeModel.create({ sites, physDim, bondDim: 1 + rng.int(4), outputDim: 1 + rng.int(3), init: randomNormal(0.6), seed: rng.int(1000) });
  const x = rand([1 + rng.int(5), sites, physDim], { rng, low: -1, high: 1.5 });
  return { model, x, rng };
}

describe('the tree model network is the one description of its contraction', () => {
  it('forward = plain contraction of the network with the product states', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 30 }), (seed) => {
        const { model, x } = randomCase(seed);
        const want = contractProductStates(model.toNetwork(), x).data.toTypedArray();
        const got = model.forward(model.params, x).value.toTypedArray();
        const scale = Math.max(1e-300, ...Array.from(want, Math.abs));
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!) / scale).toBeLessThan(1e-10);
      }),
      { numRuns: 30 },
    );
  });

  it('the generated specs compute bit-for-bit what the hand-written ones did', () => {
    for (let trial = 0; trial < 30; trial++) {
      const { model, rng } = randomCase(4000 + trial);
      model.params.forEach((core, k) => {
        const B = 1 + rng.int(4);
        const kids = core.shape.slice(0, -1).map((d) => randn([B, d], { rng }));
        const old = kids.length === 2 ? 'bp,bq,pqu->bu' : 'bp,pu->bu';
        expect(Array.from(einsum(model.steps.step[k]!, ...kids, core).toTypedArray())).toEqual(Array.from(einsum(old, ...kids, core).toTypedArray()));
      });
    }
  });
});
