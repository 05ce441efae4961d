import { normalizeAxis } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { dense, moveAxesLast } from '../loops.js';
import type { FloatArray } from '../../tensor/dtype.js';

/**
 * A tensor rearranged so the reduced axes form contiguous runs at the end: element
 * `j` of run `o` is `data[o·run + j]`. Reductions and softmax loop over these runs.
 */
export interface Runs {
  data: FloatArray;
  /** Number of runs (product of the kept axes). */
  outer: number;
  /** Length of each run (product of the reduced axes). */
  run: number;
  /** The permutation applied (kept axes, then reduced axes). */
  perm: number[];
  /** Shape after the permutation. */
  permutedShape: number[];
  /** Sorted, normalized reduced axes. */
  axes: number[];
}

/** Normalizes an axis list (undefined = all axes), rejecting repeats. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, ndim: number): number[] {
  if (axis === undefined) return [...Array(ndim).keys()];
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const axes = list.map((a) => {
    try {
      return normalizeAxis(a, ndim);
    } catch (e) {
      throw new RangeError(`${op}: ${(e as Error).message}`);
    }
  });
  if (new Set(axes).size !== axes.length) throw new RangeError(`${op}: axes [${list.join(', ')}] repeat an axis`);
  return axes.sort((x, y) => x - y);
}

export function toRuns(a: Tensor, axes: readonly number[]): Runs {
  const perm = moveAxesLast(a.ndim, axes);
  const p = a.permute(...perm);
  let run = 1;
  for (const ax of axes) run *= a.shape[ax]!;
  return { data: dense(p), outer: run === 0 ? 0 : a.size / run, run, perm, permutedShape: [...p.shape], axes: [...axes] };
}

/** The shape of a reduction's result. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Undoes {@link toRuns}: a tensor in run layout viewed back in the original axis order. */
export function fromRuns(data: FloatArray, r: Runs): Tensor {
  const inv = new Array<number>(r.perm.length);
  r.perm.forEach((p, i) => (inv[p] = i));
  return new Tensor(data, r.permutedShape).permute(...inv);
}
