/**
 * Dense loops shared by the forward and VJP rules: contiguous data access, strided
 * scatter/accumulate, and reduction of a broadcast gradient back to an operand's
 * shape. Each is one odometer over the outer axes with a tight inner loop, so no
 * per-element closures or index arithmetic beyond one add.
 */
import { allocate, type DType, type FloatArray } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { forEachInnerRun } from '../tensor/strided.js';
import { Tensor } from '../tensor/tensor.js';

/** The elements of `t` in C order (shares memory when `t` is contiguous). */
export function dense(t: Tensor): FloatArray {
  return t.contiguous().data;
}

/** The dtype of a result computed from tensors of these dtypes (f64 wins). */
export function resultDType(...ts: readonly Tensor[]): DType {
  return ts.some((t) => t.dtype === 'f64') || ts.length === 0 ? 'f64' : 'f32';
}

/**
 * Writes (or, with `accumulate`, adds) the contiguous `src` of `shape` into `dst`
 * laid out with `dstStrides` from `dstOffset`. Strides may be 0 (several source
 * elements land on one destination: only meaningful with `accumulate`).
 */
export function scatter(
  src: FloatArray, shape: readonly number[], dst: FloatArray, dstOffset: number, dstStrides: readonly number[], accumulate: boolean,
): void {
  const inner = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const is = shape.length === 0 ? 1 : dstStrides[dstStrides.length - 1]!;
  forEachInnerRun(shape, dstStrides, dstOffset, (p, q) => {
    if (!accumulate) {
      for (let i = 0, r = p; i < inner; i++, r += is) dst[r] = src[q + i]!;
    } else if (is === 0) {
      let s = 0;
      for (let i = 0; i < inner; i++) s += src[q + i]!;
      dst[p] = dst[p]! + s;
    } else {
      for (let i = 0, r = p; i < inner; i++, r += is) dst[r] = dst[r]! + src[q + i]!;
    }
  });
}

/**
 * Sums a gradient of a broadcast result back to the operand's `shape` (numpy
 * broadcasting: leading axes and size-1 axes are summed). Returns `g` itself
 * when the shapes already agree.
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const out = new Tensor(allocate(g.dtype, shape.reduce((p, d) => p * d, 1)), shape);
  const view = out.broadcastTo(g.shape);
  scatter(dense(g), g.shape, out.data, 0, view.strides, true);
  return out;
}

/**
 * `a` + `b` as a new tensor, or added into `a` in place when `ownA` (the caller owns
 * `a`'s contiguous buffer). Used to accumulate gradients of a variable used many times.
 */
export function addTensors(a: Tensor, b: Tensor, ownA: boolean): Tensor {
  const out = ownA ? a : a.copy();
  const x = out.data;
  if (b.isContiguous) {
    const y = b.data;
    const o = b.offset;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + y[o + i]!;
  } else {
    // A broadcast or permuted gradient view: add it without materializing a copy.
    addStrided(b, x);
  }
  return out;
}

/** dst (contiguous, C order of `src.shape`) += src (any strides). */
function addStrided(src: Tensor, dst: FloatArray): void {
  const inner = src.ndim === 0 ? 1 : src.shape[src.ndim - 1]!;
  const is = src.ndim === 0 ? 1 : src.strides[src.ndim - 1]!;
  const data = src.data;
  forEachInnerRun(src.shape, src.strides, src.offset, (p, q) => {
    for (let i = 0, r = p; i < inner; i++, r += is) dst[q + i] = dst[q + i]! + data[r]!;
  });
}

/** Inverse of an axis permutation. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** The permutation moving `axes` (in the order given) to the end, keeping the rest in order. */
export function moveAxesLast(ndim: number, axes: readonly number[]): number[] {
  const rest = [...Array(ndim).keys()].filter((i) => !axes.includes(i));
  return [...rest, ...axes];
}

/** Zero-filled contiguous tensor. */
export function zerosOf(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(allocate(dtype, shape.reduce((p, d) => p * d, 1)), shape);
}

/** Formats a shape for error messages. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
