import { describe, expect, it } from 'vitest';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { chainSiteArrays, chainSitesNetwork } from './matrix-product-state.js';
import { Index } from './tensor-index.js';

/** Random chain sites `[l, ...outer, r]` (unit boundary bonds, inner bonds 1–3) with fresh outer indices. */
function randomSites(rng: Random, outerPerSite: number): { sites: Tensor[]; outer: Index[][]; bonds: number[] } {
  const n = 1 + rng.int(5);
  const bonds = Array.from({ length: n + 1 }, (_, k) => (k === 0 || k === n ? 1 : 1 + rng.int(3)));
  const outer = Array.from({ length: n }, (_, i) => Array.from({ length: outerPerSite }, () => new Index(1 + rng.int(3), ['phys', `I${i}`])));
  const sites = outer.map((ixs, i) => randn([bonds[i]!, ...ixs.map((ix) => ix.dim), bonds[i + 1]!], { rng, dtype: rng.uniform() < 0.5 ? 'f64' : 'f32' }));
  return { sites, outer, bonds };
}

describe('chainSitesNetwork', () => {
  it('is undone by chainSiteArrays, and drops bonds of size 1', () => {
    for (let trial = 0; trial < 30; trial++) {
      const rng = new Random(40 + trial);
      const outerPerSite = 1 + (trial % 2);
      const { sites, outer, bonds } = randomSites(rng, outerPerSite);
      const net = chainSitesNetwork(sites, outer, 'CHAIN');
      expect(net.select('CHAIN')).toHaveLength(sites.length);
      sites.forEach((s, i) => {
        const t = net.get(net.selectOne(`I${i}`));
        const kept = [bonds[i]!, bonds[i + 1]!].filter((d) => d > 1);
        // Axes: the outer indices first, then the bonds that are kept.
        expect(t.indices.slice(0, outerPerSite)).toEqual(outer[i]);
        expect(t.data.shape).toEqual([...s.shape.slice(1, -1), ...kept]);
        expect(t.data.dtype).toBe(s.dtype);
      });
      const back = chainSiteArrays(net, outerPerSite, 'test');
      expect(back.outer).toEqual(outer);
      back.sites.forEach((s, i) => {
        expect(s.shape).toEqual(sites[i]!.shape);
        expect(Array.from(s.toTypedArray())).toEqual(Array.from(sites[i]!.toTypedArray()));
      });
    }
  });
});
