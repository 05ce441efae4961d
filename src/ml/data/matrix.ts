import { allocate, type DType, type FloatArray } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/** A [rows, cols] tensor read as a row-major array (shared when contiguous). */
export interface Matrix {
  data: FloatArray;
  rows: number;
  cols: number;
  dtype: DType;
}

/** Checks that `x` is a 2-D [samples, features] tensor with finite entries, naming `who` and the first bad cell. */
export function asSampleMatrix(x: Tensor, who: string): Matrix {
  if (!(x instanceof Tensor) || x.ndim !== 2) {
    throw new RangeError(`${who}: expected a 2-D tensor [samples, features], got ${x instanceof Tensor ? `shape [${x.shape.join(', ')}]` : typeof x}`);
  }
  const data = x.toTypedArray();
  const rows = x.shape[0]!;
  const cols = x.shape[1]!;
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    if (v - v !== 0) throw new RangeError(`${who}: sample ${Math.floor(p / cols)}, feature ${p % cols} is ${v}; expected finite values`);
  }
  return { data, rows, cols, dtype: x.dtype };
}

/**
 * The rows `indices` of a tensor [n, ...] as a new contiguous tensor [indices.length, ...]
 * (samples picked by a split or a mini-batch).
 */
export function takeRows(x: Tensor, indices: ArrayLike<number>): Tensor {
  if (!(x instanceof Tensor) || x.ndim === 0) throw new RangeError('takeRows: expected a tensor with a leading sample axis');
  const n = x.shape[0]!;
  const rowSize = n === 0 ? 0 : x.size / n;
  const src = x.toTypedArray();
  const out = allocate(x.dtype, indices.length * rowSize);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new RangeError(`takeRows: index ${r} at position ${i} is out of range for ${n} samples`);
    out.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
  return new Tensor(out, [indices.length, ...x.shape.slice(1)]);
}

/** The labels at `indices` as a new Int32Array. */
export function takeLabels(y: ArrayLike<number>, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= y.length) throw new RangeError(`takeLabels: index ${r} at position ${i} is out of range for ${y.length} labels`);
    out[i] = y[r]!;
  }
  return out;
}
