import { allocate } from './dtype.js';
import { frobeniusNorm } from './scaled-norm.js';
import { normalizeAxis } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * Reduces along one axis with `f(acc, x)` starting from `init`, returning a tensor
 * without that axis (or with size 1 there when `keepDims`).
 */
export function reduceAxis(a: Tensor, axis: number, init: number, f: (acc: number, x: number) => number, keepDims = false): Tensor {
  const ax = normalizeAxis(axis, a.ndim);
  // Move the reduced axis last so each output element reduces a contiguous run.
  const order = [...Array(a.ndim).keys()].filter((i) => i !== ax);
  order.push(ax);
  const src = a.permute(...order).contiguous().data;
  const len = a.shape[ax]!;
  const outer = a.shape.reduce((p, d, i) => (i === ax ? p : p * d), 1);
  const out = allocate(a.dtype, outer);
  for (let o = 0; o < out.length; o++) {
    let acc = init;
    for (let i = 0, p = o * len; i < len; i++, p++) acc = f(acc, src[p]!);
    out[o] = acc;
  }
  const shape = [...a.shape];
  if (keepDims) shape[ax] = 1;
  else shape.splice(ax, 1);
  return new Tensor(out, shape);
}

/** Sum of all elements, or along `axis`. Uses pairwise-free Kahan–Babuška summation for the full sum. */
export function sum(a: Tensor): number;
export function sum(a: Tensor, axis: number, keepDims?: boolean): Tensor;
export function sum(a: Tensor, axis?: number, keepDims = false): number | Tensor {
  if (axis === undefined) {
    const x = a.contiguous().data;
    let s = 0;
    let c = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
      s = t;
    }
    return s + c;
  }
  return reduceAxis(a, axis, 0, (acc, x) => acc + x, keepDims);
}

/** Mean of all elements, or along `axis` as a tensor (that axis dropped unless `keepDims`). */
export function mean(a: Tensor): number;
export function mean(a: Tensor, axis: number, keepDims?: boolean): Tensor;
export function mean(a: Tensor, axis?: number, keepDims = false): number | Tensor {
  if (axis === undefined) return sum(a) / a.size;
  const n = a.shape[normalizeAxis(axis, a.ndim)]!;
  const s = sum(a, axis, keepDims);
  const d = s.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i]! / n;
  return s;
}

/** Largest element (NaN if any element is NaN); throws on an empty tensor. */
export function max(a: Tensor): number;
export function max(a: Tensor, axis: number, keepDims?: boolean): Tensor;
export function max(a: Tensor, axis?: number, keepDims = false): number | Tensor {
  const f = (acc: number, x: number): number => (x > acc || Number.isNaN(x) ? x : acc);
  if (axis === undefined) {
    if (a.size === 0) throw new RangeError('max() of an empty tensor');
    const x = a.contiguous().data;
    let m = -Infinity;
    for (let i = 0; i < x.length; i++) m = f(m, x[i]!);
    return m;
  }
  return reduceAxis(a, axis, -Infinity, f, keepDims);
}

/** Smallest element (NaN if any element is NaN), or the minima along `axis`; throws on an empty tensor. */
export function min(a: Tensor): number;
export function min(a: Tensor, axis: number, keepDims?: boolean): Tensor;
export function min(a: Tensor, axis?: number, keepDims = false): number | Tensor {
  const f = (acc: number, x: number): number => (x < acc || Number.isNaN(x) ? x : acc);
  if (axis === undefined) {
    if (a.size === 0) throw new RangeError('min() of an empty tensor');
    const x = a.contiguous().data;
    let m = Infinity;
    for (let i = 0; i < x.length; i++) m = f(m, x[i]!);
    return m;
  }
  return reduceAxis(a, axis, Infinity, f, keepDims);
}

/** Frobenius (2-)norm, scaled to avoid overflow and underflow (see scaled-norm.ts). NaN if an entry is NaN. */
export function norm(a: Tensor): number {
  return frobeniusNorm(a.contiguous().data);
}

/** Index of the largest element along `axis`. */
export function argmax(a: Tensor, axis: number): Tensor {
  const ax = normalizeAxis(axis, a.ndim);
  const order = [...Array(a.ndim).keys()].filter((i) => i !== ax);
  order.push(ax);
  const src = a.permute(...order).contiguous().data;
  const len = a.shape[ax]!;
  if (len === 0) throw new RangeError(`argmax along an empty axis ${axis}`);
  const out = new Float64Array(src.length / len);
  for (let o = 0; o < out.length; o++) {
    let best = 0;
    for (let i = 1; i < len; i++) if (src[o * len + i]! > src[o * len + best]!) best = i;
    out[o] = best;
  }
  return new Tensor(out, a.shape.filter((_, i) => i !== ax));
}
