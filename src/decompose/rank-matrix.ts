/**
 * Rank-matrix helpers of the decompositions, on top of the network layer's definitions
 * (src/network/rank-matrix.ts holds the convention: R[i][j] = bond between cores i and
 * j, 1 = no edge; core i's axes are [physical, bonds in increasing j]).
 */
import { chainRankMatrix, validateRankMatrix, type RankMatrix } from '../network/index.js';

export type { RankMatrix };

/**
 * Checks that `R` is a valid rank matrix for `n` cores, naming the first problem and
 * what was being checked (`fn`: a function or file name).
 */
export function assertRankMatrix(R: RankMatrix, n: number, fn = 'rank matrix'): void {
  try {
    validateRankMatrix(new Array<number>(n).fill(1), R);
  } catch (e) {
    throw new RangeError(`${fn}: ${(e as Error).message}`);
  }
}

/** Rank matrix of a tensor train: ranks[k] joins cores k and k+1 (n − 1 entries for n modes). */
export function trainRankMatrix(ranks: readonly number[]): number[][] {
  return chainRankMatrix(ranks.length + 1, ranks);
}
