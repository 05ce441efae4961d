import { Random } from '../tensor/random.js';

/** Options of {@link randomGraphRankMatrix}. */
export interface RandomGraphOptions {
  /** Probability that each pair of cores not joined by the spanning tree gets a bond too (in [0, 1]). */
  edgeProb: number;
  /** Smallest bond dimension drawn (integer ≥ 2: a bond of 1 is no bond). */
  minRank: number;
  /** Largest bond dimension drawn (integer ≥ minRank). */
  maxRank: number;
  /** Seed of the graph and the bond dimensions (default 0). */
  seed?: number;
}

/**
 * The rank matrix of a random connected tensor network on `order` cores.
 *
 * The graph is a uniformly attached random spanning tree (cores visited in a random
 * order, each joined to a uniformly chosen earlier one), so it is always connected, plus
 * every other pair with probability `edgeProb` independently; each bond's dimension is
 * uniform on the integers minRank…maxRank. The diagonal is 1, as in the named builders.
 * `edgeProb = 0` gives a tree, `edgeProb = 1` the fully connected network. The same
 * arguments give the same matrix.
 * @throws RangeError naming the offending argument.
 * @example randomGraphRankMatrix(5, { edgeProb: 0.3, minRank: 2, maxRank: 4, seed: 1 })
 */
export function randomGraphRankMatrix(order: number, options: RandomGraphOptions): number[][] {
  const { edgeProb, minRank, maxRank, seed = 0 } = options;
  if (!Number.isInteger(order) || order < 2) throw new RangeError(`randomGraphRankMatrix: order must be an integer ≥ 2, got ${order}`);
  if (typeof edgeProb !== 'number' || !(edgeProb >= 0 && edgeProb <= 1)) {
    throw new RangeError(`randomGraphRankMatrix: edgeProb must be a probability in [0, 1], got ${edgeProb}`);
  }
  if (!Number.isInteger(minRank) || minRank < 2) {
    throw new RangeError(`randomGraphRankMatrix: minRank must be an integer ≥ 2 (a bond of dimension 1 is no bond), got ${minRank}`);
  }
  if (!Number.isInteger(maxRank) || maxRank < minRank) {
    throw new RangeError(`randomGraphRankMatrix: maxRank must be an integer ≥ minRank (${minRank}), got ${maxRank}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`randomGraphRankMatrix: seed must be a finite number, got ${seed}`);

  const rng = new Random(seed);
  const R = Array.from({ length: order }, () => new Array<number>(order).fill(1));
  const rank = (): number => minRank + rng.int(maxRank - minRank + 1);
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
