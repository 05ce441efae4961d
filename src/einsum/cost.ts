/**
 * Exact cost arithmetic for contraction planning. Sizes and FLOP counts are
 * BigInt: products of many label sizes pass 2^53 (and even the double range)
 * for large networks, and comparisons between paths must stay exact.
 */

/** Number of elements of a tensor with these labels. */
export function labelsSize(labels: Iterable<string>, sizes: ReadonlyMap<string, number>): bigint {
  let n = 1n;
  for (const l of labels) n *= BigInt(sizes.get(l)!);
  return n;
}

/**
 * Element count of a label set given as a bit mask (bit i ↔ `labelSize[i]`), memoized
 * per mask: the subset optimizers cost the same label sets many times.
 */
export function maskSizer(labelSize: readonly bigint[]): (mask: bigint) => bigint {
  const cache = new Map<bigint, bigint>();
  return (mask) => {
    let s = cache.get(mask);
    if (s === undefined) {
      s = 1n;
      for (let m = mask, i = 0; m !== 0n; m >>= 1n, i++) if (m & 1n) s *= labelSize[i]!;
      cache.set(mask, s);
    }
    return s;
  };
}

/**
 * FLOPs of one contraction in the opt_einsum convention: the size of the index
 * space it loops over, times the number of multiplications per point
 * (`terms − 1`, at least 1), times 2 when some index is summed (multiply + add).
 */
export function flopCount(indexSpace: bigint, summed: boolean, terms: number): bigint {
  return indexSpace * BigInt(Math.max(terms - 1, 1)) * (summed ? 2n : 1n);
}

/** a / b as a double (Infinity when it passes the double range, or when only b is 0). */
export function ratio(a: bigint, b: bigint): number {
  if (b === 0n) return a === 0n ? 1 : Infinity;
  // Keep ~60 leading bits of each and put the binary exponents back at the end.
  const sa = Math.max(0, a.toString(2).length - 60);
  const sb = Math.max(0, b.toString(2).length - 60);
  return (Number(a >> BigInt(sa)) / Number(b >> BigInt(sb))) * 2 ** (sa - sb);
}
