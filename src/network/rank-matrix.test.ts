import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { coreShape, fromRankMatrix, paramCount, rankMatrixOf, validateRankMatrix } from './rank-matrix.js';
import {
  binaryTreeRankMatrix, chainRankMatrix, fctn, gridRankMatrix, mpo, mps, peps, ringRankMatrix, tensorRing, treeTensorNetwork,
} from './topologies.js';

function randomRankMatrix(rng: Random, n: number): number[][] {
  const R = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  for (let i = 0; i < n; i++) {
    R[i]![i] = 1 + rng.int(9); // ignored
    for (let j = i + 1; j < n; j++) {
      const r = rng.uniform() < 0.4 ? 1 : 2 + rng.int(3);
      R[i]![j] = r;
      R[j]![i] = r;
    }
  }
  return R;
}

describe('fromRankMatrix', () => {
  it('builds cores whose shapes follow coreShape and whose sizes sum to paramCount (random R)', () => {
    const rng = new Random(31);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + rng.int(6);
      const dims = Array.from({ length: n }, () => 1 + rng.int(4));
      const R = randomRankMatrix(rng, n);
      const net = fromRankMatrix(dims, R, { seed: trial });
      expect(net.size).toBe(n);
      net.tids().forEach((tid, i) => {
        expect(tid).toBe(i);
        expect([...net.get(tid).shape]).toEqual(coreShape(i, dims, R));
        expect(net.get(tid).indices[0]!.hasTag('phys')).toBe(true);
      });
      expect(net.paramCount()).toBe(paramCount(R, dims));
      const back = rankMatrixOf(net);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) expect(back[i]![j]).toBe(i === j ? dims[i] : R[i]![j]);
      }
      expect(net.outerIndices().map((ix) => ix.dim)).toEqual(dims);
    }
  });

  it('orders bonds by increasing neighbour and is reproducible from the seed', () => {
    const R = [[1, 2, 3, 4], [2, 1, 1, 5], [3, 1, 1, 6], [4, 5, 6, 1]];
    const dims = [7, 8, 9, 10];
    expect(coreShape(0, dims, R)).toEqual([7, 2, 3, 4]);
    expect(coreShape(3, dims, R)).toEqual([10, 4, 5, 6]);
    const a = fromRankMatrix(dims, R, { seed: 5, scale: 0.1, dtype: 'f32' });
    const b = fromRankMatrix(dims, R, { seed: 5, scale: 0.1, dtype: 'f32' });
    expect(a.get(2).dtype).toBe('f32');
    expect(Array.from(a.get(2).data.toTypedArray())).toEqual(Array.from(b.get(2).data.toTypedArray()));
    // Core 1's bond to core 3 is core 3's bond to core 1.
    expect(a.get(1).indices[2]!.equals(a.get(3).indices[2]!)).toBe(true);
  });

  it('rejects malformed rank matrices with the offending entry named', () => {
    expect(() => validateRankMatrix([2, 2], [[1, 2]])).toThrow(/2 rows/);
    expect(() => validateRankMatrix([2, 2], [[1, 2], [2]])).toThrow(/row 1 .*square/);
    expect(() => validateRankMatrix([2, 2], [[1, 2], [3, 1]])).toThrow(/not symmetric: R\[0\]\[1\] = 2 but R\[1\]\[0\] = 3/);
    expect(() => validateRankMatrix([2, 2], [[1, 0], [0, 1]])).toThrow(/R\[0\]\[1\] must be a positive integer/);
    expect(() => validateRankMatrix([2, 2], [[1, 1.5], [1.5, 1]])).toThrow(/positive integer/);
    expect(() => validateRankMatrix([2, 0], [[1, 1], [1, 1]])).toThrow(/dims\[1\]/);
    expect(() => fromRankMatrix([2], [[1]], { dtype: 'f16' as never })).toThrow(/dtype/);
    expect(() => coreShape(3, [2, 2], [[1, 1], [1, 1]])).toThrow(/out of range/);
  });
});

describe('named topologies', () => {
  it('have the expected bonds and core shapes', () => {
    expect(chainRankMatrix(4, [2, 3, 4])).toEqual([[1, 2, 1, 1], [2, 1, 3, 1], [1, 3, 1, 4], [1, 1, 4, 1]]);
    expect(ringRankMatrix(3, 2)[0]).toEqual([1, 2, 2]);
    expect(binaryTreeRankMatrix(5, 3)[1]).toEqual([3, 1, 1, 3, 3]);
    const G = gridRankMatrix(2, 3, 2);
    expect(G[4]).toEqual([1, 2, 1, 2, 1, 2]); // site (1,1): up 1, left 3, right 5
    const m = mps([2, 3, 4], 5, { seed: 1 });
    expect(m.tensors().map((t) => [...t.shape])).toEqual([[2, 5], [3, 5, 5], [4, 5]]);
    expect(m.select('MPS')).toEqual([0, 1, 2]);
    expect(tensorRing([2, 2, 2, 2], 3).tensors().map((t) => [...t.shape])).toEqual([[2, 3, 3], [2, 3, 3], [2, 3, 3], [2, 3, 3]]);
    expect(treeTensorNetwork([2, 2, 2, 2], 3).get(1).shape).toEqual([2, 3, 3]);
    const p = peps(2, 2, 2, 3);
    expect(p.select(['ROW1', 'COL0'])).toEqual([2]);
    expect(p.get(0).shape).toEqual([2, 3, 3]);
    expect(fctn([2, 3, 4], 2).get(1).shape).toEqual([3, 2, 2]);
    const o = mpo([2, 3], 4, { dimsIn: [5, 3] });
    expect(o.tensors().map((t) => [...t.shape])).toEqual([[2, 5, 4], [3, 3, 4]]);
    expect(o.get(1).indices[0]!.equals(o.get(1).indices[1]!.prime())).toBe(true);
    expect(() => ringRankMatrix(2, 2)).toThrow(/at least 3 sites/);
    expect(() => mps([2, 2, 2], [2])).toThrow(/expected 2 bond dimensions/);
  });
});
