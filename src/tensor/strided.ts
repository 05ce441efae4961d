import type { FloatArray } from './dtype.js';

/**
 * Walks a strided layout of `shape` one innermost run at a time: `visit(p, q)` gets the
 * strided position `p` of the run's first element (from `offset`) and its position `q`
 * in C order. Outer axes advance an odometer, so the cost is O(size / innermost) calls
 * and the caller's inner loop stays tight. Nothing is visited for an empty shape; a
 * 0-d shape is one run of length 1.
 */
export function forEachInnerRun(shape: readonly number[], strides: readonly number[], offset: number, visit: (p: number, q: number) => void): void {
  const n = shape.length;
  if (n === 0) {
    visit(offset, 0);
    return;
  }
  for (const d of shape) if (d === 0) return;
  const inner = shape[n - 1]!;
  const counter = new Array<number>(n - 1).fill(0);
  let p = offset;
  let q = 0;
  for (;;) {
    visit(p, q);
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

/** Copies a strided view into a contiguous C-order destination. */
export function stridedCopy(
  src: FloatArray,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  dst: FloatArray,
  dstOffset = 0,
): void {
  const inner = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const innerStride = shape.length === 0 ? 1 : strides[strides.length - 1]!;
  forEachInnerRun(shape, strides, offset, (p, q) => {
    if (innerStride === 1) dst.set(src.subarray(p, p + inner), dstOffset + q);
    else for (let i = 0, s = p; i < inner; i++, s += innerStride) dst[dstOffset + q + i] = src[s]!;
  });
}
