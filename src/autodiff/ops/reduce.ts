/** Sums, means and max/min reductions (all elements or chosen axes), each with its VJP. */
import { allocate } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../loops.js';
import { asVar, type VarLike } from '../operand.js';
import { applyOp, defineOp } from '../tape.js';
import type { Var } from '../variable.js';
import { fromRuns, normalizeAxes, reducedShape, toRuns, type Runs } from './axes.js';

interface SumParams {
  axis: number | readonly number[] | undefined;
  keepDims: boolean;
}

interface SumSaved {
  shape: readonly number[];
  keptShape: number[];
  factor: number;
}

function sumForward(op: 'sum' | 'mean', a: Tensor, p: SumParams): { value: Tensor; saved: SumSaved } {
  const axes = normalizeAxes(op, p.axis, a.ndim);
  const r = toRuns(a, axes);
  if (op === 'mean' && r.run === 0) throw new RangeError(`mean: the reduced axes of shape ${fmt(a.shape)} are empty`);
  const factor = op === 'mean' ? 1 / r.run : 1;
  const out = allocate(a.dtype, r.outer);
  const x = r.data;
  for (let o = 0, q = 0; o < r.outer; o++) {
    let s = 0;
    for (let j = 0; j < r.run; j++, q++) s += x[q]!;
    out[o] = s * factor;
  }
  return {
    value: new Tensor(out, reducedShape(a.shape, axes, p.keepDims)),
    saved: { shape: a.shape, keptShape: reducedShape(a.shape, axes, true), factor },
  };
}

/** The upstream gradient spread back over the reduced axes (a broadcast view when no scaling is needed). */
function spread(g: Tensor, s: SumSaved): Tensor {
  let src = g.reshape(...s.keptShape);
  if (s.factor !== 1) {
    const d = src.contiguous().data;
    const scaled = allocate(g.dtype, d.length);
    for (let i = 0; i < d.length; i++) scaled[i] = d[i]! * s.factor;
    src = new Tensor(scaled, s.keptShape);
  }
  return src.broadcastTo(s.shape);
}

export const sumRule = defineOp({
  name: 'sum',
  forward: ([a]: readonly Tensor[], p: SumParams) => sumForward('sum', a!, p),
  vjp: (g, s: SumSaved) => [spread(g, s)],
});

export const meanRule = defineOp({
  name: 'mean',
  forward: ([a]: readonly Tensor[], p: SumParams) => sumForward('mean', a!, p),
  vjp: (g, s: SumSaved) => [spread(g, s)],
});

interface ExtremumSaved {
  runs: Omit<Runs, 'data'>;
  /** Position within each run of the chosen element. */
  arg: Int32Array;
}

function extremumForward(op: 'max' | 'min', a: Tensor, p: SumParams): { value: Tensor; saved: ExtremumSaved } {
  const axes = normalizeAxes(op, p.axis, a.ndim);
  const r = toRuns(a, axes);
  if (r.run === 0 || a.size === 0) throw new RangeError(`${op}: cannot reduce empty axes of shape ${fmt(a.shape)}`);
  const out = allocate(a.dtype, r.outer);
  const arg = new Int32Array(r.outer);
  const x = r.data;
  const sign = op === 'max' ? 1 : -1;
  for (let o = 0; o < r.outer; o++) {
    const base = o * r.run;
    let best = 0;
    let bv = x[base]!;
    // First occurrence wins ties; a NaN is chosen (and propagates) as soon as it appears.
    if (!Number.isNaN(bv)) {
      for (let j = 1; j < r.run; j++) {
        const v = x[base + j]!;
        if (Number.isNaN(v)) {
          best = j;
          bv = v;
          break;
        }
        if (sign * (v - bv) > 0) {
          best = j;
          bv = v;
        }
      }
    }
    out[o] = bv;
    arg[o] = best;
  }
  const { data: _unused, ...runs } = r;
  void _unused;
  return { value: new Tensor(out, reducedShape(a.shape, axes, p.keepDims)), saved: { runs, arg } };
}

/** The subgradient: the whole upstream gradient goes to the first extremal element of each run. */
function extremumVjp(g: Tensor, s: ExtremumSaved): Tensor {
  const gd = g.contiguous().data;
  const { outer, run } = s.runs;
  const r = allocate(g.dtype, outer * run);
  for (let o = 0; o < outer; o++) r[o * run + s.arg[o]!] = gd[o]!;
  return fromRuns(r, { ...s.runs, data: r });
}

export const maxRule = defineOp({
  name: 'max',
  forward: ([a]: readonly Tensor[], p: SumParams) => extremumForward('max', a!, p),
  vjp: (g, s: ExtremumSaved) => [extremumVjp(g, s)],
});

export const minRule = defineOp({
  name: 'min',
  forward: ([a]: readonly Tensor[], p: SumParams) => extremumForward('min', a!, p),
  vjp: (g, s: ExtremumSaved) => [extremumVjp(g, s)],
});

/** Sum of all elements (a 0-d result), or over `axis` (one axis or several). */
export function sum(a: VarLike, axis?: number | readonly number[], keepDims = false): Var {
  return applyOp(sumRule, [asVar(a)], { axis, keepDims });
}

/** Mean of all elements, or over `axis` (one axis or several). */
export function mean(a: VarLike, axis?: number | readonly number[], keepDims = false): Var {
  return applyOp(meanRule, [asVar(a)], { axis, keepDims });
}

/**
 * Largest element, or largest along `axis`. The gradient is a subgradient: it flows to
 * the first maximal element of each reduced run only.
 */
export function max(a: VarLike, axis?: number | readonly number[], keepDims = false): Var {
  return applyOp(maxRule, [asVar(a)], { axis, keepDims });
}

/** Smallest element, or smallest along `axis`; subgradient to the first minimal element. */
export function min(a: VarLike, axis?: number | readonly number[], keepDims = false): Var {
  return applyOp(minRule, [asVar(a)], { axis, keepDims });
}
