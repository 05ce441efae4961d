import { describe, expect, it } from 'vitest';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import { LabeledTensor } from './labeled-tensor.js';
import { Index } from './tensor-index.js';

function randomLabeled(rng: Random, rank: number): LabeledTensor {
  const indices = Array.from({ length: rank }, () => new Index(1 + rng.int(4)));
  return new LabeledTensor(randn(indices.map((i) => i.dim), { rng }), indices);
}

describe('LabeledTensor', () => {
  it('permuteTo addresses axes by index (property over random ranks)', () => {
    const rng = new Random(1);
    for (let trial = 0; trial < 30; trial++) {
      const t = randomLabeled(rng, 1 + rng.int(4));
      const order = rng.shuffle([...t.indices]);
      const p = t.permuteTo(order);
      expect(p.indices).toEqual(order);
      const at = t.indices.map(() => 0);
      // Compare every element through its index values.
      const total = t.size;
      for (let n = 0; n < total; n++) {
        let rest = n;
        for (let a = t.rank - 1; a >= 0; a--) {
          at[a] = rest % t.shape[a]!;
          rest = Math.floor(rest / t.shape[a]!);
        }
        const value = t.data.get(...at);
        expect(p.data.get(...order.map((ix) => at[t.axisOf(ix)]!))).toBe(value);
      }
    }
  });

  it('fuse then split restores the tensor exactly, and the fused axis is row-major over the parts', () => {
    const rng = new Random(2);
    for (let trial = 0; trial < 30; trial++) {
      const t = randomLabeled(rng, 2 + rng.int(3));
      const k = 1 + rng.int(t.rank);
      const parts = rng.shuffle([...t.indices]).slice(0, k);
      const fused = t.fuse(parts);
      expect(fused.rank).toBe(t.rank - k + 1);
      const back = fused.split(fused.indices.find((ix) => ix.hasTag('fused'))!, parts).permuteTo(t.indices);
      expect(Array.from(back.data.toTypedArray())).toEqual(Array.from(t.data.toTypedArray()));
    }
    const a = new Index(2);
    const b = new Index(3);
    const t = new LabeledTensor(randn([2, 3], { seed: 5 }), [a, b]);
    const f = new Index(6);
    const fused = t.fuse([b, a], f);
    expect(fused.data.get(1 * 2 + 1)).toBe(t.data.get(1, 1));
    expect(fused.data.get(2 * 2 + 0)).toBe(t.data.get(0, 2));
  });

  it('conj is the identity for real data; replaceIndices and prime relabel without copying', () => {
    const t = randomLabeled(new Random(3), 3);
    expect(t.conj()).toBe(t);
    const fresh = t.indices[1]!.sim();
    const r = t.replaceIndices([t.indices[1]!], [fresh]);
    expect(r.indices[1]).toBe(fresh);
    expect(r.data).toBe(t.data);
    expect(t.prime().indices.every((ix) => ix.plev === 1)).toBe(true);
  });

  it('rejects mismatched dims, repeated indices and missing indices by name', () => {
    const i = new Index(2);
    expect(() => new LabeledTensor(randn([3]), [i])).toThrow(/dim 2.*size 3/);
    expect(() => new LabeledTensor(randn([2, 2]), [i, i])).toThrow(/appears twice/);
    expect(() => new LabeledTensor(randn([2]), [])).toThrow(/0 indices/);
    const t = new LabeledTensor(randn([2]), [i]);
    expect(() => t.permuteTo([new Index(2)])).toThrow(/not on the tensor/);
    expect(() => t.fuse([i], new Index(3))).toThrow(/has dim 3/);
    expect(() => t.split(i, [new Index(3)])).toThrow(/total dim 3/);
  });
});
