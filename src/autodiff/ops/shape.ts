/**
 * Shape operations: reshape, permute, slice, concat/stack, broadcastTo, and integer
 * indexing (take, pick). Forward results are views where the Tensor class allows;
 * VJPs scatter the upstream gradient back with strided loops.
 */
import { allocate, type DType } from '../../tensor/dtype.js';
import { normalizeAxis, shapesEqual, sizeOf } from '../../tensor/shape.js';
import { Tensor, type SliceSpec } from '../../tensor/tensor.js';
import { dense, fmt, inversePermutation, resultDType, scatter, sumToShape, zerosOf } from '../loops.js';
import { asVar, type VarLike } from '../operand.js';
import { applyOp, defineOp } from '../tape.js';
import type { Var } from '../variable.js';
import { toRuns, fromRuns, type Runs } from './axes.js';

function withOp<T>(op: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`${op}: ${e.message}`);
    throw e;
  }
}

export const reshapeRule = defineOp({
  name: 'reshape',
  forward: ([a]: readonly Tensor[], shape: readonly number[]) => ({ value: withOp('reshape', () => a!.reshape(...shape)), saved: a!.shape }),
  vjp: (g, shape: readonly number[]) => [g.reshape(...shape)],
});

export const permuteRule = defineOp({
  name: 'permute',
  forward([a]: readonly Tensor[], axes: readonly number[]) {
    const value = withOp('permute', () => a!.permute(...axes));
    const perm = axes.length === 0 ? [...Array(a!.ndim).keys()].reverse() : axes.map((x) => normalizeAxis(x, a!.ndim));
    return { value, saved: perm };
  },
  vjp: (g, perm: number[]) => [g.permute(...inversePermutation(perm))],
});

export const sliceRule = defineOp({
  name: 'slice',
  forward([a]: readonly Tensor[], specs: readonly SliceSpec[]) {
    return { value: withOp('slice', () => a!.slice(...specs)), saved: { shape: a!.shape, dtype: a!.dtype, specs } };
  },
  /** Zeros with the upstream gradient written into the sliced positions. */
  vjp(g, s: { shape: readonly number[]; dtype: DType; specs: readonly SliceSpec[] }) {
    const out = zerosOf(s.shape, s.dtype);
    const view = out.slice(...s.specs);
    scatter(dense(g), view.shape, out.data, view.offset, view.strides, false);
    return [out];
  },
});

interface ConcatSaved {
  axis: number;
  offsets: number[];
  sizes: number[];
  ndim: number;
}

export const concatRule = defineOp({
  name: 'concat',
  forward(parts: readonly Tensor[], axisIn: number) {
    if (parts.length === 0) throw new RangeError('concat: needs at least one tensor');
    const first = parts[0]!;
    const axis = withOp('concat', () => normalizeAxis(axisIn, first.ndim));
    parts.forEach((p, k) => {
      const same = p.ndim === first.ndim && p.shape.every((d, i) => i === axis || d === first.shape[i]);
      if (!same) throw new RangeError(`concat: tensor ${k} has shape ${fmt(p.shape)}, which does not match ${fmt(first.shape)} off axis ${axis}`);
    });
    const sizes = parts.map((p) => p.shape[axis]!);
    const shape = [...first.shape];
    shape[axis] = sizes.reduce((x, y) => x + y, 0);
    const out = zerosOf(shape, resultDType(...parts));
    const offsets: number[] = [];
    let at = 0;
    for (const p of parts) {
      offsets.push(at);
      const spec: SliceSpec[] = shape.map(() => null);
      spec[axis] = [at, at + p.shape[axis]!];
      const view = out.slice(...spec);
      scatter(dense(p), view.shape, out.data, view.offset, view.strides, false);
      at += p.shape[axis]!;
    }
    return { value: out, saved: { axis, offsets, sizes, ndim: first.ndim } };
  },
  vjp(g, s: ConcatSaved, needs) {
    return s.offsets.map((o, k) => {
      if (!needs[k]) return null;
      const spec: SliceSpec[] = new Array(s.ndim).fill(null);
      spec[s.axis] = [o, o + s.sizes[k]!];
      return g.slice(...spec);
    });
  },
});

export const broadcastToRule = defineOp({
  name: 'broadcastTo',
  forward: ([a]: readonly Tensor[], shape: readonly number[]) => ({ value: withOp('broadcastTo', () => a!.broadcastTo(shape)), saved: a!.shape }),
  vjp: (g, shape: readonly number[]) => [sumToShape(g, shape)],
});

/** Checks integer indices against an axis length, naming the first bad one. */
function checkIndices(op: string, indices: ArrayLike<number>, len: number): Int32Array {
  const idx = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    let k = indices[i]!;
    if (k < 0) k += len;
    if (!Number.isInteger(k) || k < 0 || k >= len) throw new RangeError(`${op}: index ${indices[i]} at position ${i} is out of range for an axis of size ${len}`);
    idx[i] = k;
  }
  return idx;
}

interface TakeSaved {
  shape: readonly number[];
  dtype: DType;
  idx: Int32Array;
  outer: number;
  inner: number;
  len: number;
}

export const takeRule = defineOp({
  name: 'take',
  forward([a]: readonly Tensor[], p: { indices: ArrayLike<number>; axis: number }) {
    const axis = withOp('take', () => normalizeAxis(p.axis, a!.ndim));
    const len = a!.shape[axis]!;
    const idx = checkIndices('take', p.indices, len);
    const outer = sizeOf(a!.shape.slice(0, axis));
    const inner = sizeOf(a!.shape.slice(axis + 1));
    const x = dense(a!);
    const n = idx.length;
    const out = allocate(a!.dtype, outer * n * inner);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) out.set(x.subarray((o * len + idx[k]!) * inner, (o * len + idx[k]! + 1) * inner), (o * n + k) * inner);
    }
    const shape = [...a!.shape];
    shape[axis] = n;
    return { value: new Tensor(out, shape), saved: { shape: a!.shape, dtype: a!.dtype, idx, outer, inner, len } };
  },
  /** Scatter-add: an index picked twice receives both gradients. */
  vjp(g, s: TakeSaved) {
    const gd = dense(g);
    const r = allocate(s.dtype, sizeOf(s.shape));
    const n = s.idx.length;
    for (let o = 0; o < s.outer; o++) {
      for (let k = 0; k < n; k++) {
        const dst = (o * s.len + s.idx[k]!) * s.inner;
        const src = (o * n + k) * s.inner;
        for (let j = 0; j < s.inner; j++) r[dst + j] = r[dst + j]! + gd[src + j]!;
      }
    }
    return [new Tensor(r, s.shape)];
  },
});

interface PickSaved {
  runs: Omit<Runs, 'data'>;
  idx: Int32Array;
  dtype: DType;
}

export const pickRule = defineOp({
  name: 'pick',
  forward([a]: readonly Tensor[], p: { indices: ArrayLike<number>; axis: number }) {
    const axis = withOp('pick', () => normalizeAxis(p.axis, a!.ndim));
    const runs = toRuns(a!, [axis]);
    if (p.indices.length !== runs.outer) {
      const rest = a!.shape.filter((_, i) => i !== axis);
      throw new RangeError(`pick: ${p.indices.length} indices given but shape ${fmt(a!.shape)} without axis ${axis} has ${runs.outer} positions (shape ${fmt(rest)})`);
    }
    const idx = checkIndices('pick', p.indices, runs.run);
    const out = allocate(a!.dtype, runs.outer);
    for (let o = 0; o < runs.outer; o++) out[o] = runs.data[o * runs.run + idx[o]!]!;
    const { data: _unused, ...rest } = runs;
    void _unused;
    return { value: new Tensor(out, a!.shape.filter((_, i) => i !== axis)), saved: { runs: rest, idx, dtype: a!.dtype } };
  },
  vjp(g, s: PickSaved) {
    const gd = dense(g);
    const { outer, run } = s.runs;
    const r = allocate(s.dtype, outer * run);
    for (let o = 0; o < outer; o++) r[o * run + s.idx[o]!] = gd[o]!;
    return [fromRuns(r, { ...s.runs, data: r })];
  },
});

/** Reshape (one dimension may be -1). */
export function reshape(a: VarLike, shape: readonly number[]): Var {
  return applyOp(reshapeRule, [asVar(a)], shape);
}

/** Permutes the axes; no axes reverses them. */
export function permute(a: VarLike, axes: readonly number[] = []): Var {
  return applyOp(permuteRule, [asVar(a)], axes);
}

/** Matrix transpose of a 2-D variable (reverses the axes in general). */
export function transpose(a: VarLike): Var {
  return permute(a);
}

/** Slices each axis with the `Tensor.slice` spec: a number picks (and drops) an axis, `[start, stop, step]` keeps it. */
export function slice(a: VarLike, ...specs: SliceSpec[]): Var {
  return applyOp(sliceRule, [asVar(a)], specs);
}

/** Joins tensors along an existing axis; the others must agree. */
export function concat(parts: readonly VarLike[], axis = 0): Var {
  return applyOp(concatRule, parts.map((p) => asVar(p)), axis);
}

/** Stacks same-shape tensors along a new axis. */
export function stack(parts: readonly VarLike[], axis = 0): Var {
  if (parts.length === 0) throw new RangeError('stack: needs at least one tensor');
  const vs = parts.map((p) => asVar(p));
  const shape = vs[0]!.shape;
  vs.forEach((v, k) => {
    if (!shapesEqual(v.shape, shape)) throw new RangeError(`stack: tensor ${k} has shape ${fmt(v.shape)} but tensor 0 has ${fmt(shape)}`);
  });
  const ax = withOp('stack', () => normalizeAxis(axis, shape.length + 1));
  const expanded = [...shape.slice(0, ax), 1, ...shape.slice(ax)];
  return concat(vs.map((v) => reshape(v, expanded)), ax);
}

/** Inserts a unit axis at `axis`. */
export function expandDims(a: VarLike, axis: number): Var {
  const v = asVar(a);
  const ax = withOp('expandDims', () => normalizeAxis(axis, v.ndim + 1));
  return reshape(v, [...v.shape.slice(0, ax), 1, ...v.shape.slice(ax)]);
}

/** Views `a` broadcast (numpy rules) to `shape`; the gradient sums over the broadcast axes. */
export function broadcastTo(a: VarLike, shape: readonly number[]): Var {
  return applyOp(broadcastToRule, [asVar(a)], shape);
}

/** numpy `take`: the slices at integer `indices` along `axis` (repeats allowed, negative counts from the end). */
export function take(a: VarLike, indices: ArrayLike<number>, axis = 0): Var {
  return applyOp(takeRule, [asVar(a)], { indices, axis });
}

/**
 * One element per position of the other axes: `out[…] = a[…, indices[…], …]` with the
 * index along `axis` (numpy `take_along_axis` with a squeezed index). For a batch of
 * logits [B, C] and labels [B], `pick(logp, labels, 1)` gives the [B] log-likelihoods.
 * `indices` are in C order of the remaining axes.
 */
export function pick(a: VarLike, indices: ArrayLike<number>, axis = -1): Var {
  return applyOp(pickRule, [asVar(a)], { indices, axis });
}
