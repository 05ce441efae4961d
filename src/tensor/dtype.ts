/** Floating-point element types a {@link Tensor} can hold. `f64` is the default. */
export type DType = 'f64' | 'f32';

/** The typed array behind a tensor of a given dtype. */
export type FloatArray = Float64Array | Float32Array;

/** Maps a dtype to its typed-array type, so APIs can be precise where it matters. */
export type ArrayOf<D extends DType> = D extends 'f64' ? Float64Array : Float32Array;

/** Allocates a zero-filled array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'f64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a typed array. */
export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float64Array ? 'f64' : 'f32';
}

/** Checks a user-supplied dtype string and names it in the error. */
export function assertDType(dtype: string): asserts dtype is DType {
  if (dtype !== 'f64' && dtype !== 'f32') {
    throw new TypeError(`unknown dtype '${dtype}': expected 'f64' or 'f32'`);
  }
}

/** Bytes per element. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'f64' ? 8 : 4;
}
