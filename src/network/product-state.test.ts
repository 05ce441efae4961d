import { describe, expect, it } from 'vitest';
import { rand, randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import { chainNetwork } from './core-layout.js';
import { contractProductStates } from './product-state.js';
import { Index } from './tensor-index.js';

describe('contractProductStates', () => {
  it('equals the per-sample sum over the physical indices on random chains with output legs', () => {
    for (let trial = 0; trial < 20; trial++) {
      const rng = new Random(trial);
      const n = 1 + rng.int(4);
      const d = 1 + rng.int(3);
      const bonds = Array.from({ length: n + 1 }, (_, k) => (k === 0 || k === n ? 1 : 1 + rng.int(3)));
      const outSite = rng.int(n);
      const c = 1 + rng.int(3);
      const cores = Array.from({ length: n }, (_, s) => randn(s === outSite ? [bonds[s]!, d, c, bonds[s + 1]!] : [bonds[s]!, d, bonds[s + 1]!], { rng }));
      const net = chainNetwork(cores, d, (_, s) => (s === outSite ? new Index(c, 'out') : null));
      const x = rand([1 + rng.int(4), n, d], { rng });
      const got = contractProductStates(net, x).data;
      expect(got.shape).toEqual([x.shape[0], c]);
      // Per sample: contract each core with its vector, then the chain of matrices.
      for (let b = 0; b < x.shape[0]!; b++) {
        let env = [1];
        let outEnv: number[][] | null = null;
        for (let s = 0; s < n; s++) {
          const core = cores[s]!;
          const r = bonds[s + 1]!;
          if (s === outSite) {
            outEnv = Array.from({ length: c }, (_, k) => Array.from({ length: r }, (_, j) => env.reduce((acc, e, l) => acc + e * Array.from({ length: d }, (_, p) => core.get(l, p, k, j) * x.get(b, s, p)).reduce((u, v) => u + v, 0), 0)));
            env = [];
          } else if (outEnv !== null) {
            outEnv = outEnv.map((row) => Array.from({ length: r }, (_, j) => row.reduce((acc, e, l) => acc + e * Array.from({ length: d }, (_, p) => core.get(l, p, j) * x.get(b, s, p)).reduce((u, v) => u + v, 0), 0)));
          } else {
            env = Array.from({ length: r }, (_, j) => env.reduce((acc, e, l) => acc + e * Array.from({ length: d }, (_, p) => core.get(l, p, j) * x.get(b, s, p)).reduce((u, v) => u + v, 0), 0));
          }
        }
        for (let k = 0; k < c; k++) expect(got.get(b, k)).toBeCloseTo(outEnv![k]![0]!, 10);
      }
    }
  });

  it('names the site or shape that does not fit the network', () => {
    const rng = new Random(1);
    const cores = [randn([1, 2, 3], { rng }), randn([3, 2, 1], { rng })];
    const net = chainNetwork(cores, 2, () => null);
    expect(() => contractProductStates(net, rand([2, 2], { rng }))).toThrow(/\[batch, sites, d\]/);
    expect(() => contractProductStates(net, rand([2, 3, 2], { rng }))).toThrow(/site 2/);
    expect(() => contractProductStates(net, rand([2, 1, 2], { rng }))).toThrow(/2 physical indices but x has 1 sites/);
    expect(() => contractProductStates(net, rand([2, 2, 3], { rng }))).toThrow(/site 0 has dimension 2 but x has 3/);
  });
});
