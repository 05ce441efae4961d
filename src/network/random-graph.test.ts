import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { randomGraphRankMatrix } from './random-graph.js';
import { neighbours, validateRankMatrix } from './rank-matrix.js';

/** Cores reachable from core 0 through bonds. */
function reachable(R: number[][]): Set<number> {
  const seen = new Set([0]);
  const stack = [0];
  while (stack.length > 0) {
    for (const j of neighbours(stack.pop()!, R)) if (!seen.has(j)) { seen.add(j); stack.push(j); }
  }
  return seen;
}

function edgeCount(R: number[][]): number {
  let m = 0;
  for (let i = 0; i < R.length; i++) for (let j = i + 1; j < R.length; j++) if (R[i]![j]! > 1) m++;
  return m;
}

/** 200 random argument sets, drawn from a fixed seed. */
function cases(): { order: number; edgeProb: number; rankRange: [number, number]; seed: number }[] {
  const rng = new Random(7);
  return Array.from({ length: 200 }, () => {
    const minRank = 2 + rng.int(3);
    return { order: 2 + rng.int(9), edgeProb: rng.uniform(), rankRange: [minRank, minRank + rng.int(4)], seed: rng.int(1e6) };
  });
}

describe('randomGraphRankMatrix', () => {
  it('gives a valid, connected rank matrix with bonds in range and a diagonal of 1', () => {
    for (const c of cases()) {
      const R = randomGraphRankMatrix(c.order, c);
      expect(() => validateRankMatrix(new Array<number>(c.order).fill(2), R)).not.toThrow();
      expect(reachable(R).size).toBe(c.order);
      for (let i = 0; i < c.order; i++) {
        expect(R[i]![i]).toBe(1);
        for (const j of neighbours(i, R)) {
          expect(R[i]![j]).toBeGreaterThanOrEqual(c.rankRange[0]);
          expect(R[i]![j]).toBeLessThanOrEqual(c.rankRange[1]);
        }
      }
      expect(edgeCount(R)).toBeGreaterThanOrEqual(c.order - 1);
    }
  });

  it('is a tree at edgeProb 0 and fully connected at edgeProb 1', () => {
    for (const c of cases()) {
      expect(edgeCount(randomGraphRankMatrix(c.order, { ...c, edgeProb: 0 }))).toBe(c.order - 1);
      expect(edgeCount(randomGraphRankMatrix(c.order, { ...c, edgeProb: 1 }))).toBe((c.order * (c.order - 1)) / 2);
    }
  });

  it('adds each non-tree pair with about the given probability', () => {
    // 400 graphs of order 8: 21 non-tree pairs each, so 8400 Bernoulli(p) draws.
    for (const p of [0.2, 0.5, 0.8]) {
      let extra = 0;
      for (let s = 0; s < 400; s++) extra += edgeCount(randomGraphRankMatrix(8, { edgeProb: p, rankRange: [2, 2], seed: s })) - 7;
      expect(Math.abs(extra / (400 * 21) - p)).toBeLessThan(0.03);
    }
  });

  it('uses every rank of the range and every tree shape, not only a chain or a star', () => {
    const ranks = new Set<number>();
    const maxDegrees = new Set<number>();
    for (let s = 0; s < 300; s++) {
      const R = randomGraphRankMatrix(6, { edgeProb: 0, rankRange: [2, 4], seed: s });
      for (let i = 0; i < 6; i++) for (const j of neighbours(i, R)) ranks.add(R[i]![j]!);
      maxDegrees.add(Math.max(...R.map((_, i) => neighbours(i, R).length)));
    }
    expect([...ranks].sort()).toEqual([2, 3, 4]);
    expect(maxDegrees.has(2) && maxDegrees.has(5)).toBe(true);
  });

  it('is deterministic in its seed and varies with it', () => {
    const opts = { edgeProb: 0.4, rankRange: [2, 5] as [number, number] };
    expect(randomGraphRankMatrix(7, { ...opts, seed: 3 })).toEqual(randomGraphRankMatrix(7, { ...opts, seed: 3 }));
    const distinct = new Set(Array.from({ length: 20 }, (_, s) => JSON.stringify(randomGraphRankMatrix(7, { ...opts, seed: s }))));
    expect(distinct.size).toBeGreaterThan(15);
  });

  it('names the offending argument', () => {
    const ok = { edgeProb: 0.5, rankRange: [2, 4] as [number, number] };
    expect(() => randomGraphRankMatrix(1, ok)).toThrow(/order must be an integer ≥ 2, got 1/);
    expect(() => randomGraphRankMatrix(3.5, ok)).toThrow(/order/);
    expect(() => randomGraphRankMatrix(4, { ...ok, edgeProb: 1.5 })).toThrow(/edgeProb must be a probability in \[0, 1\], got 1.5/);
    expect(() => randomGraphRankMatrix(4, { ...ok, edgeProb: Number.NaN })).toThrow(/edgeProb/);
    expect(() => randomGraphRankMatrix(4, { ...ok, rankRange: [1, 4] })).toThrow(/rankRange\[0\] must be an integer ≥ 2/);
    expect(() => randomGraphRankMatrix(4, { ...ok, rankRange: [2, 1] })).toThrow(/rankRange\[1\] must be an integer ≥ rankRange\[0\] \(2\), got 1/);
    expect(() => randomGraphRankMatrix(4, { ...ok, seed: Number.POSITIVE_INFINITY })).toThrow(/seed/);
  });
});
