import type { Tensor } from '../tensor/tensor.js';

/**
 * Converts chain/ring cores in the "natural" layout [left bond, d, right bond] (core k's
 * left bond joins core k−1, its right bond core k+1, cyclically for a ring) into the
 * rank-matrix layout [d, bonds in increasing neighbour index], dropping size-1 bonds
 * (a bond of dimension 1 is no edge). Rings need at least 3 cores.
 */
export function fromNaturalCores(naturals: readonly Tensor[], ring: boolean): Tensor[] {
  const n = naturals.length;
  return naturals.map((z, k) => {
    const [left, d, right] = z.shape as [number, number, number];
    // In a ring, core 0's left neighbour is n−1 and core n−1's right neighbour is 0:
    // both then list the right bond first.
    const rightFirst = ring && (k === 0 || k === n - 1);
    const view = rightFirst ? z.permute(1, 2, 0) : z.permute(1, 0, 2);
    const bonds = (rightFirst ? [right, left] : [left, right]).filter((r) => r > 1);
    return view.copy().reshape(d, ...bonds);
  });
}

