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

/**
 * Merges axes that are contiguous with each other in the strided layout (stride of axis k
 * = size × stride of axis k+1) and drops size-1 axes: the same elements in the same C
 * order, with longer inner runs. A shape of size 0 comes back unchanged.
 */
export function coalesceAxes(shape: readonly number[], strides: readonly number[]): { shape: number[]; strides: number[] } {
  const outShape: number[] = [];
  const outStrides: number[] = [];
  for (let k = 0; k < shape.length; k++) {
    const d = shape[k]!;
    if (d === 0) return { shape: [...shape], strides: [...strides] };
    if (d === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && outStrides[last] === d * strides[k]!) {
      outShape[last] = outShape[last]! * d;
      outStrides[last] = strides[k]!;
    } else {
      outShape.push(d);
      outStrides.push(strides[k]!);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Copies a strided view into a contiguous C-order destination. Axes are coalesced first,
 * and the odometer is inlined: permuted copies of many small modes (4^9 tensors, inner
 * runs of 4) were dominated by a callback and a subarray per run.
 */
export function stridedCopy(
  src: FloatArray,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  dst: FloatArray,
  dstOffset = 0,
): void {
  for (const d of shape) if (d === 0) return;
  const { shape: s, strides: st } = coalesceAxes(shape, strides);
  const n = s.length;
  if (n === 0) {
    dst[dstOffset] = src[offset]!;
    return;
  }
  const inner = s[n - 1]!;
  const is = st[n - 1]!;
  const counter = new Int32Array(n);
  let p = offset;
  let q = dstOffset;
  const end = dstOffset + s.reduce((a, d) => a * d, 1);
  while (q < end) {
    if (is === 1 && inner >= 64) dst.set(src.subarray(p, p + inner), q);
    else for (let i = 0, r = p; i < inner; i++, r += is) dst[q + i] = src[r]!;
    q += inner;
    let axis = n - 2;
    while (axis >= 0) {
      counter[axis]!++;
      p += st[axis]!;
      if (counter[axis]! < s[axis]!) break;
      p -= counter[axis]! * st[axis]!;
      counter[axis] = 0;
      axis--;
    }
  }
}
