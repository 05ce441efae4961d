import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { einsum } from '../../einsum/einsum.js';
import { contractProductStates } from '../../network/product-state.js';
import { rand, randn } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import { randomNormal } from '../init/initializers.js';
import { PepsModel } from './peps-model.js';

function randomCase(seed: number) {
  const rng = new Random(seed);
  const grid: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
  const physDim = 1 + rng.int(3);
  const model = PepsModel.create({ grid, physDim, bondDim: 1 + rng.int(3), outputDim: 1 + rng.int(3), outputSite: rng.int(grid[0] * grid[1]), init: randomNormal(0.6), seed: rng.int(1000) });
  const x = rand([1 + rng.int(5), grid[0] * grid[1], physDim], { rng, low: -1, high: 1.5 });
  return { model, x, rng };
}

/** The row-by-row sweep's step as it was hand-labelled before the specs came from the network. */
function oldStep(W: number, s: number, outputSite: number): string {
  const cols = [...'abcdefghijklmnop'.slice(0, W)];
  const j = s % W;
  const isOut = s === outputSite;
  const outCols = cols.map((c, k) => (k === j ? 'u' : c)).join('');
  return `zYx${cols.join('')},${cols[j]}xv${isOut ? 'U' : ''}wu,zv->z${isOut ? 'U' : 'Y'}w${outCols}`;
}

describe('the PEPS model network is the one description of its contraction', () => {
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
      const { model, rng } = randomCase(3000 + trial);
      const [H, W] = model.grid;
      for (let s = 0; s < H * W; s++) {
        const core = model.params[s]!;
        const i = Math.floor(s / W);
        const j = s % W;
        const B = 1 + rng.int(4);
        // The state's shape: class (outputDim once past the output site), left bond, one vertical bond per column.
        const cls = s > model.outputSite ? model.outputDim : 1;
        const vert = Array.from({ length: W }, (_, k) => {
          const c = model.params[i * W + k]!;
          return k < j ? c.shape[c.ndim - 1]! : c.shape[0]!;
        });
        const state = randn([B, cls, core.shape[1]!, ...vert], { rng });
        const phi = randn([B, model.physDim], { rng });
        const a = einsum(model.steps.step[s]!, state, core, phi).toTypedArray();
        const e = einsum(oldStep(W, s, model.outputSite), state, core, phi).toTypedArray();
        expect(Array.from(a)).toEqual(Array.from(e));
      }
    }
  });
});
