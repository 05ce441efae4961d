import type { FloatArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** A 2-D tensor seen as a dense row-major matrix. */
export interface MatrixView {
  /** rows·cols elements in C order (shares memory with the tensor when it is contiguous: do not write). */
  data: FloatArray;
  rows: number;
  cols: number;
}

/** Checks that `a` is 2-D (naming `fn` and the shape otherwise) and returns its row-major data. */
export function asMatrix(a: Tensor, fn: string): MatrixView {
  if (a.ndim !== 2) {
    throw new RangeError(`${fn}: expected a 2-D matrix, got a tensor of shape [${a.shape.join(', ')}] (${a.ndim}-D)`);
  }
  return { data: a.toTypedArray(), rows: a.shape[0]!, cols: a.shape[1]! };
}

/** Like {@link asMatrix}, and also rejects NaN and ±Infinity, naming the first bad entry. */
export function asFiniteMatrix(a: Tensor, fn: string): MatrixView {
  const view = asMatrix(a, fn);
  assertFinite(view.data, view.rows, view.cols, fn);
  return view;
}

/** Throws naming the first non-finite entry [i, j] of a row-major rows×cols matrix. */
export function assertFinite(data: FloatArray, rows: number, cols: number, fn: string): void {
  const size = rows * cols;
  for (let p = 0; p < size; p++) {
    const v = data[p]!;
    // v − v is 0 for finite v and NaN for NaN and ±Infinity: one comparison per entry.
    if (v - v !== 0) {
      const i = Math.floor(p / cols);
      throw new RangeError(`${fn}: the matrix has a non-finite entry ${v} at [${i}, ${p - i * cols}] (shape ${rows}×${cols})`);
    }
  }
}
