/**
 * Structures as rank matrices (src/network convention: R[i][j] = bond between cores i
 * and j, 1 = no edge) and the small helpers every search strategy shares.
 */
import { paramCount, type RankMatrix } from '../network/index.js';

/** A mutable copy of a rank matrix. */
export function cloneRanks(R: RankMatrix): number[][] {
  return R.map((row) => [...row]);
}

/** A canonical string for a structure (its upper triangle), for caches and dedup. */
export function structureKey(R: RankMatrix): string {
  const parts: number[] = [];
  for (let i = 0; i < R.length; i++) for (let j = i + 1; j < R.length; j++) parts.push(R[i]![j]!);
  return parts.join(',');
}

/** Every unordered pair (i < j) of n cores: the candidate edges of a fully connected network. */
export function allPairs(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
  return out;
}

/** The pairs (i < j) joined by a bond of rank > 1. */
export function activeEdges(R: RankMatrix): [number, number][] {
  return allPairs(R.length).filter(([i, j]) => R[i]![j]! > 1);
}

/** A copy of R with bond (i, j) set to r (symmetric). */
export function withBond(R: RankMatrix, i: number, j: number, r: number): number[][] {
  const out = cloneRanks(R);
  out[i]![j] = r;
  out[j]![i] = r;
  return out;
}

/** A fully connected rank matrix with every bond r (the diagonal 1). */
export function fullyConnected(n: number, r: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : r)));
}

/** Parameters of R over dims, and the compression ratio params / entries. */
export function structureSize(R: RankMatrix, dims: readonly number[]): { params: number; cr: number } {
  const params = paramCount(R, dims);
  return { params, cr: params / dims.reduce((p, d) => p * d, 1) };
}
