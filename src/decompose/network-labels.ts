import { type RankMatrix } from './rank-matrix.js';
import { neighbours } from '../network/index.js';

/** einsum index letters, in the order they are handed out. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * einsum labels of a rank-matrix network: one letter per physical mode and one per
 * bond, and each core's axis labels in the core layout ([physical, bonds in increasing j]).
 */
export interface NetworkLabels {
  /** physical[i]: the letter of mode i. */
  physical: string[];
  /** bonds[i]: the letters of core i's bond axes, in axis order. */
  bonds: string[];
  /** core[i] = physical[i] + bonds[i]: the labels of core i's axes. */
  core: string[];
  /** The letter of the bond (i, j), i < j, keyed "i,j". */
  edge: Map<string, string>;
}

/**
 * Assigns einsum letters to a rank-matrix network. `spare` letters are left unassigned
 * at the end of the alphabet's budget for callers that need primed copies of the bonds.
 * @throws RangeError when the network needs more than 52 letters.
 */
export function labelNetwork(R: RankMatrix, spare = 0): NetworkLabels {
  const n = R.length;
  const edge = new Map<string, string>();
  let next = n;
  const physical = [...LETTERS.slice(0, Math.min(n, LETTERS.length))];
  for (let i = 0; i < n; i++) {
    for (const j of neighbours(i, R)) if (j > i) edge.set(`${i},${j}`, LETTERS[next++] ?? '?');
  }
  if (next + spare > LETTERS.length) {
    throw new RangeError(
      `the network has ${n} modes and ${edge.size} bonds: more than the ${LETTERS.length} einsum letters it needs` +
      (spare > 0 ? ` (with ${spare} more for the Gram network)` : ''),
    );
  }
  const bonds = Array.from({ length: n }, (_, i) => neighbours(i, R).map((j) => edge.get(i < j ? `${i},${j}` : `${j},${i}`)!).join(''));
  return { physical, bonds, core: physical.map((p, i) => p + bonds[i]!), edge };
}

/** The letter after those of `labels`, for priming: the k-th spare letter. */
export function spareLetter(labels: NetworkLabels, k: number): string {
  const used = labels.physical.length + labels.edge.size;
  const l = LETTERS[used + k];
  if (l === undefined) throw new RangeError(`no spare einsum letter ${k}: the network already uses ${used} of ${LETTERS.length}`);
  return l;
}
