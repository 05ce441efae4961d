import { allocate, type DType, type FloatArray } from '../tensor/dtype.js';

/** Small dense-matrix helpers shared by the factorizations (row-major throughout). */

/** The transpose of a rows×cols matrix as a new cols×rows matrix of the same dtype. */
export function transposeMatrix<A extends FloatArray>(x: A, rows: number, cols: number): A {
  const out = (x instanceof Float64Array ? new Float64Array(rows * cols) : new Float32Array(rows * cols)) as A;
  const T = 32; // tile so both the reads and the writes stay in cache
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(i0 + T, rows);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(j0 + T, cols);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = x[i * cols + j]!;
    }
  }
  return out;
}

/** A Float64Array copy of `x` (always a copy, so callers may overwrite it). */
export function toFloat64(x: FloatArray): Float64Array {
  return Float64Array.from(x);
}

/** `x` converted to `dtype` (the same array when it already has that dtype). */
export function castTo(x: Float64Array, dtype: DType): FloatArray {
  if (dtype === 'f64') return x;
  const out = allocate(dtype, x.length);
  out.set(x);
  return out;
}

/** The n×n identity. */
export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** Copies the block rows [r0, r1) × cols [c0, c1) of a matrix with `cols` columns into a dense array. */
export function copyBlock(x: Float64Array, cols: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const w = c1 - c0;
  const out = new Float64Array((r1 - r0) * w);
  for (let r = r0; r < r1; r++) out.set(x.subarray(r * cols + c0, r * cols + c1), (r - r0) * w);
  return out;
}

/** Writes a dense block back into rows [r0, …) and cols [c0, c0 + width) of `x`. */
export function storeBlock(x: Float64Array, cols: number, r0: number, c0: number, block: Float64Array, width: number): void {
  const rows = block.length / width;
  for (let r = 0; r < rows; r++) x.set(block.subarray(r * width, (r + 1) * width), (r0 + r) * cols + c0);
}
