import { Random } from '../tensor/random.js';

/** Options of {@link randomGraphRankMatrix}. */
export interface RandomGraphOptions {
  /** Probability that each pair of cores not joined by the spanning tree gets a bond too (in [0, 1]). */
  edgeProb: number;
  /**
   * The range [lo, hi] the bond dimensions are drawn from, uniformly on the integers
   * (2 ≤ lo ≤ hi: a bond of 1 is no bond). A range of drawn values, not a truncation cap.
   */
  rankRange: readonly [number, number];
  /** Seed of the graph and the bond dimensions (default 0). */
  seed?: number;
}

/**
 * The rank matrix of a random connected tensor network on `order` cores.
 *
 * The graph is a uniformly attached random spanning tree (cores visited in a random
 * order, each joined to a uniformly chosen earlier one), so it is always connected, plus
 * every other pair with probability `edgeProb` independently; each bond's dimension is
 * uniform on the integers of `rankRange` (lo…hi). The diagonal is 1, as in the named builders.
 * `edgeProb = 0` gives a tree, `edgeProb = 1` the fully connected network. The same
 * arguments give the same matrix.
 * @throws RangeError naming the offending argument.
 * @example randomGraphRankMatrix(5, { edgeProb: 0.3, rankRange: [2, 4], seed: 1 })
 */
export function randomGraphRankMatrix(order: number, options: RandomGraphOptions): number[][] {
  const { edgeProb, rankRange, seed = 0 } = options;
  if (!Array.isArray(rankRange) || rankRange.length !== 2) {
    throw new RangeError(`randomGraphRankMatrix: rankRange must be [lo, hi], got ${JSON.stringify(rankRange)}`);
  }
  const [lo, hi] = rankRange;
  if (!Number.isInteger(order) || order < 2) throw new RangeError(`randomGraphRankMatrix: order must be an integer ≥ 2, got ${order}`);
  if (typeof edgeProb !== 'number' || !(edgeProb >= 0 && edgeProb <= 1)) {
    throw new RangeError(`randomGraphRankMatrix: edgeProb must be a probability in [0, 1], got ${edgeProb}`);
  }
  if (!Number.isInteger(lo) || lo < 2) {
    throw new RangeError(`randomGraphRankMatrix: rankRange[0] must be an integer ≥ 2 (a bond of dimension 1 is no bond), got ${lo}`);
  }
  if (!Number.isInteger(hi) || hi < lo) {
    throw new RangeError(`randomGraphRankMatrix: rankRange[1] must be an integer ≥ rankRange[0] (${lo}), got ${hi}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`randomGraphRankMatrix: seed must be a finite number, got ${seed}`);

  const rng = new Random(seed);
  const R = Array.from({ length: order }, () => new Array<number>(order).fill(1));
  const rank = (): number => lo + rng.int(hi - lo + 1);
  const join = (i: number, j: number): void => {
    const r = rank();
    R[i]![j] = r;
    R[j]![i] = r;
  };
  // Spanning tree first so that every draw of the extra edges stays connected.
  const visit = rng.shuffle(Array.from({ length: order }, (_, k) => k));
  for (let k = 1; k < order; k++) join(visit[k]!, visit[rng.int(k)]!);
  for (let i = 0; i < order; i++) {
    for (let j = i + 1; j < order; j++) if (R[i]![j] === 1 && rng.uniform() < edgeProb) join(i, j);
  }
  return R;
}
