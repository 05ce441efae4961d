import type { Tensor } from '../tensor/tensor.js';

/**
 * Checks a tensor to decompose: at least `minModes` axes, no empty axis, every entry
 * finite. Returns ‖X‖_F² (in f64). One pass over the data.
 * @throws RangeError naming the problem (too few modes, empty axis, the first non-finite entry).
 */
export function checkInputTensor(x: Tensor, fn: string, minModes = 1): number {
  if (x.ndim < minModes) {
    throw new RangeError(`${fn}: needs a tensor with at least ${minModes} modes, got shape [${x.shape.join(', ')}]`);
  }
  const empty = x.shape.indexOf(0);
  if (empty >= 0) throw new RangeError(`${fn}: axis ${empty} of the tensor (shape [${x.shape.join(', ')}]) is empty`);
  const data = x.toTypedArray();
  let sq = 0;
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    // v − v is NaN for NaN and ±Infinity.
    if (v - v !== 0) throw new RangeError(`${fn}: the tensor has a non-finite entry ${v} at flat index ${p}`);
    sq += v * v;
  }
  return sq;
}

/** Checks a relative tolerance option in [0, 1]. */
export function checkRelTol(relTol: number, fn: string): void {
  if (typeof relTol !== 'number' || !(relTol >= 0 && relTol <= 1)) throw new RangeError(`${fn}: relTol must be a number in [0, 1], got ${relTol}`);
}

/**
 * Expands a rank cap: one number for every bond, or one per bond (`count` of them).
 * Infinity entries mean "no cap".
 */
export function expandRanks(ranks: number | readonly number[] | undefined, count: number, fn: string, what = 'maxRanks'): number[] {
  if (ranks === undefined) return new Array<number>(count).fill(Infinity);
  const list = typeof ranks === 'number' ? new Array<number>(count).fill(ranks) : [...ranks];
  if (list.length !== count) throw new RangeError(`${fn}: ${what} needs ${count} entries, got ${list.length} ([${list.join(', ')}])`);
  list.forEach((r, k) => {
    if (r !== Infinity && (!Number.isInteger(r) || r < 1)) throw new RangeError(`${fn}: ${what}[${k}] = ${r} is not an integer ≥ 1`);
  });
  return list;
}
