import type { FloatArray } from './dtype.js';

/**
 * Copies a strided view into a contiguous C-order destination. The innermost axis is
 * a tight loop; outer axes advance an odometer, so cost is O(size) with no per-element
 * index arithmetic beyond one add.
 */
export function stridedCopy(
  src: FloatArray,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  dst: FloatArray,
  dstOffset = 0,
): void {
  const n = shape.length;
  if (n === 0) {
    dst[dstOffset] = src[offset]!;
    return;
  }
  for (const d of shape) if (d === 0) return;
  const inner = shape[n - 1]!;
  const innerStride = strides[n - 1]!;
  const counter = new Array<number>(n - 1).fill(0);
  let p = offset;
  let q = dstOffset;
  for (;;) {
    if (innerStride === 1) {
      dst.set(src.subarray(p, p + inner), q);
    } else {
      for (let i = 0, s = p; i < inner; i++, s += innerStride) dst[q + i] = src[s]!;
    }
    q += inner;
    let axis = n - 2;
    while (axis >= 0) {
      counter[axis]!++;
      p += strides[axis]!;
      if (counter[axis]! < shape[axis]!) break;
      p -= counter[axis]! * strides[axis]!;
      counter[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
}
