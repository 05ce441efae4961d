/** Floating-point element types a {@link Tensor} can hold. `f64` is the default. */
export type DType = 'f64' | 'f32';

/** The typed array behind a tensor of a given dtype. */
export type FloatArray = Float64Array | Float32Array;

/** Allocates a zero-filled array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'f64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a typed array. */
export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float64Array ? 'f64' : 'f32';
}

/** Bytes per element. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'f64' ? 8 : 4;
}
