import { describe, expect, it } from 'vitest';
import { Index } from './tensor-index.js';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { chainNetwork, checkCoreChain, fusedChainBonds, labelNetwork, spareLetter } from './core-layout.js';
import { fromRankMatrix, neighbours } from './rank-matrix.js';
import { randomGraphRankMatrix } from './random-graph.js';
import { einsum } from '../einsum/einsum.js';

/** A random open chain: cores [l, p, r] or, where `hasOut`, [l, p, o, r], with unit boundary bonds. */
function randomChain(rng: Random): { cores: Tensor[]; bonds: number[]; hasOut: boolean[]; p: number } {
  const n = 1 + rng.int(5);
  const p = 1 + rng.int(3);
  const bonds = Array.from({ length: n + 1 }, (_, k) => (k === 0 || k === n ? 1 : 1 + rng.int(3)));
  const hasOut = Array.from({ length: n }, () => rng.uniform() < 0.4);
  const cores = hasOut.map((out, s) => randn(out ? [bonds[s]!, p, 2, bonds[s + 1]!] : [bonds[s]!, p, bonds[s + 1]!], { rng }));
  return { cores, bonds, hasOut, p };
}

/** The same core with another left (`axis` 0) or right (last axis) bond. */
function withBond(core: Tensor, axis: 'left' | 'right', size: number, rng: Random): Tensor {
  const shape = [...core.shape];
  shape[axis === 'left' ? 0 : shape.length - 1] = size;
  return randn(shape, { rng });
}

describe('checkCoreChain', () => {
  it('accepts chains whose bonds join, and names the first core whose left bond does not', () => {
    for (let trial = 0; trial < 30; trial++) {
      const rng = new Random(100 + trial);
      const { cores } = randomChain(rng);
      const visited: number[] = [];
      checkCoreChain(cores, 'Chain', (_, s) => visited.push(s));
      expect(visited).toEqual(cores.map((_, s) => s));
      const s = rng.int(cores.length);
      const bad = [...cores];
      bad[s] = withBond(cores[s]!, 'left', cores[s]!.shape[0]! + 1, rng);
      expect(() => checkCoreChain(bad, 'Chain', () => {})).toThrow(`Chain: core ${s} has left bond ${cores[s]!.shape[0]! + 1} but the bond before it is ${cores[s]!.shape[0]}`);
      // checkCore runs first on each core: an earlier complaint wins.
      expect(() => checkCoreChain(bad, 'Chain', (_, t) => {
        if (t === s) throw new TypeError(`core ${t} refused`);
      })).toThrow(TypeError);
    }
  });

  it('requires a last right bond of 1', () => {
    const rng = new Random(3);
    const { cores } = randomChain(rng);
    const bad = [...cores];
    bad[bad.length - 1] = withBond(cores[cores.length - 1]!, 'right', 3, rng);
    expect(() => checkCoreChain(bad, 'Chain', () => {})).toThrow("Chain: the last core's right bond must be 1, got 3");
  });
});

describe('fusedChainBonds', () => {
  it('returns the bonds of chains that join, and names the first mismatch otherwise', () => {
    for (let trial = 0; trial < 30; trial++) {
      const rng = new Random(200 + trial);
      const { cores, bonds } = randomChain(rng);
      const shapes: number[][] = [];
      expect(fusedChainBonds(cores, 'op', (shape) => shapes.push([...shape]))).toEqual(bonds);
      expect(shapes).toEqual(cores.map((c) => c.shape));
      const s = rng.int(cores.length);
      if (s > 0) {
        const bad = [...cores];
        bad[s] = withBond(cores[s]!, 'left', bonds[s]! + 1, rng);
        expect(() => fusedChainBonds(bad, 'op', () => {})).toThrow(`op: core ${s} has left bond ${bonds[s]! + 1} but the bond before it is ${bonds[s]}`);
      }
      if (cores.length > 1) {
        const mixed = [...cores];
        const t = 1 + rng.int(cores.length - 1);
        mixed[t] = cores[t]!.astype('f32');
        expect(() => fusedChainBonds(mixed, 'op', () => {})).toThrow(`op: core ${t} is f32 but core 0 is f64`);
      }
    }
  });

  it('requires unit boundary bonds', () => {
    const rng = new Random(4);
    const { cores } = randomChain(rng);
    const bad = [...cores];
    bad[0] = withBond(cores[0]!, 'left', 2, rng);
    expect(() => fusedChainBonds(bad, 'op', () => {})).toThrow(/op: the boundary bonds must be 1, got 2 and 1/);
  });
});

describe('chainNetwork', () => {
  it('holds the cores as they are, joined by their bonds, with physical and output indices', () => {
    for (let trial = 0; trial < 20; trial++) {
      const rng = new Random(300 + trial);
      const { cores, bonds, hasOut, p } = randomChain(rng);
      const net = chainNetwork(cores, p, (core, s) => (hasOut[s] ? new Index(core.shape[2]!, ['out', `site${s}`]) : null));
      expect(net.size).toBe(cores.length);
      const tensors = cores.map((_, s) => net.get(net.selectOne([`PARAM${s}`, `I${s}`])));
      tensors.forEach((t, s) => {
        expect(t.data).toBe(cores[s]);
        const [left, phys, ...rest] = t.indices;
        const right = rest[rest.length - 1]!;
        expect([left!.dim, phys!.dim, right.dim]).toEqual([bonds[s], p, bonds[s + 1]]);
        expect(phys!.tags).toEqual(['phys', `site${s}`]);
        expect(rest.length).toBe(hasOut[s] ? 2 : 1);
        // A bond is shared exactly with the neighbour on its side.
        if (s > 0) expect(left!.equals(tensors[s - 1]!.indices[tensors[s - 1]!.indices.length - 1]!)).toBe(true);
      });
      expect(net.tidsWithIndex(tensors[0]!.indices[0]!)).toHaveLength(1);
    }
  });
});

/** labelNetwork as it was before it read the letters off the labelled indices: the letters must not change. */
function oldLabels(R: readonly (readonly number[])[]): { physical: string[]; bonds: string[]; core: string[]; edge: Map<string, string> } {
  const L = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const n = R.length;
  const edge = new Map<string, string>();
  let next = n;
  const physical = [...L.slice(0, n)];
  for (let i = 0; i < n; i++) for (const j of neighbours(i, R)) if (j > i) edge.set(`${i},${j}`, L[next++]!);
  const bonds = Array.from({ length: n }, (_, i) => neighbours(i, R).map((j) => edge.get(i < j ? `${i},${j}` : `${j},${i}`)!).join(''));
  return { physical, bonds, core: physical.map((p, i) => p + bonds[i]!), edge };
}

describe('labelNetwork', () => {
  it('names the indices of the rank-matrix network: the same letters as before, one per index, contracting to the dense tensor', () => {
    for (let trial = 0; trial < 60; trial++) {
      const rng = new Random(500 + trial);
      const n = 2 + rng.int(5);
      const R = randomGraphRankMatrix(n, { edgeProb: 0.3 + 0.6 * rng.uniform(), rankRange: [2, 3], seed: trial });
      const labels = labelNetwork(R, 2);
      expect(labels).toEqual(oldLabels(R));
      const dims = Array.from({ length: n }, () => 1 + rng.int(3));
      const net = fromRankMatrix(dims, R, { seed: trial });
      const letterOf = new Map<string, string>();
      net.tensors().forEach((t, i) => {
        t.indices.forEach((ix, k) => {
          const l = labels.core[i]![k]!;
          expect(letterOf.get(ix.key) ?? l).toBe(l);
          letterOf.set(ix.key, l);
        });
      });
      expect(new Set(letterOf.values()).size).toBe(letterOf.size);
      const dense = einsum(`${labels.core.join(',')}->${labels.physical.join('')}`, ...net.tensors().map((t) => t.data));
      const want = net.toDense(net.tensors().map((t) => t.indices[0]!));
      expect(Array.from(dense.toTypedArray())).toEqual(Array.from(want.toTypedArray()));
      expect(labels.core.join('')).not.toContain(spareLetter(labels, 0));
    }
  });

  it('refuses networks that need more than 52 letters', () => {
    expect(() => labelNetwork(randomGraphRankMatrix(40, { edgeProb: 1, rankRange: [2, 2] }))).toThrow(/more than the 52 einsum letters/);
  });
});
