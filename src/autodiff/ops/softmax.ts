/** Numerically stable logSumExp, logSoftmax and softmax along one axis, each with its VJP. */
import { allocate, type FloatArray } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../loops.js';
import { asVar, type VarLike } from '../operand.js';
import { applyOp, defineOp } from '../tape.js';
import type { Var } from '../variable.js';
import { fromRuns, normalizeAxes, reducedShape, toRuns, type Runs } from './axes.js';

/** log Σ exp over each run, shifted by the run's maximum so nothing overflows. */
function runLogSumExp(x: FloatArray, outer: number, run: number, out: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    const base = o * run;
    let m = -Infinity;
    for (let j = 0; j < run; j++) if (x[base + j]! > m || Number.isNaN(x[base + j]!)) m = x[base + j]!;
    if (m === -Infinity || m === Infinity || Number.isNaN(m)) {
      out[o] = m; // all −∞ (empty mass), or a +∞/NaN that dominates
      continue;
    }
    let s = 0;
    for (let j = 0; j < run; j++) s += Math.exp(x[base + j]! - m);
    out[o] = m + Math.log(s);
  }
}

function runsFor(op: string, a: Tensor, axis: number): Runs {
  const r = toRuns(a, normalizeAxes(op, axis, a.ndim));
  if (r.run === 0) throw new RangeError(`${op}: axis ${axis} of shape ${fmt(a.shape)} is empty`);
  return r;
}

/** Upstream gradient in run layout (the reduced axis last, contiguous). */
function gradRuns(g: Tensor, r: Runs): FloatArray {
  return g.permute(...r.perm).contiguous().data;
}

interface LseSaved {
  runs: Runs;
  lse: FloatArray;
}

export const logSumExpRule = defineOp({
  name: 'logSumExp',
  forward([a]: readonly Tensor[], p: { axis: number; keepDims: boolean }) {
    const runs = runsFor('logSumExp', a!, p.axis);
    const lse = allocate(a!.dtype, runs.outer);
    runLogSumExp(runs.data, runs.outer, runs.run, lse);
    return { value: new Tensor(lse, reducedShape(a!.shape, runs.axes, p.keepDims)), saved: { runs, lse } };
  },
  /** ∂/∂x_j = softmax_j = exp(x_j − lse). */
  vjp(g, s: LseSaved) {
    const { outer, run, data: x } = s.runs;
    const gd = g.contiguous().data;
    const r = allocate(g.dtype, outer * run);
    for (let o = 0, q = 0; o < outer; o++) {
      const l = s.lse[o]!;
      const go = gd[o]!;
      for (let j = 0; j < run; j++, q++) r[q] = l === -Infinity ? 0 : go * Math.exp(x[q]! - l);
    }
    return [fromRuns(r, s.runs)];
  },
});

interface SoftmaxSaved {
  runs: Runs;
  /** The softmax probabilities in run layout. */
  prob: FloatArray;
}

export const logSoftmaxRule = defineOp({
  name: 'logSoftmax',
  forward([a]: readonly Tensor[], axis: number) {
    const runs = runsFor('logSoftmax', a!, axis);
    const { outer, run, data: x } = runs;
    const lse = allocate(a!.dtype, outer);
    runLogSumExp(x, outer, run, lse);
    const out = allocate(a!.dtype, outer * run);
    const prob = allocate(a!.dtype, outer * run);
    for (let o = 0, q = 0; o < outer; o++) {
      const l = lse[o]!;
      for (let j = 0; j < run; j++, q++) {
        out[q] = x[q]! - l;
        prob[q] = Math.exp(out[q]!);
      }
    }
    return { value: fromRuns(out, runs), saved: { runs, prob } };
  },
  /** ∂ = g − softmax · Σ g over the axis. */
  vjp(g, s: SoftmaxSaved) {
    const { outer, run } = s.runs;
    const gd = gradRuns(g, s.runs);
    const r = allocate(g.dtype, outer * run);
    for (let o = 0; o < outer; o++) {
      const base = o * run;
      let total = 0;
      for (let j = 0; j < run; j++) total += gd[base + j]!;
      for (let j = 0; j < run; j++) r[base + j] = gd[base + j]! - s.prob[base + j]! * total;
    }
    return [fromRuns(r, s.runs)];
  },
});

export const softmaxRule = defineOp({
  name: 'softmax',
  forward([a]: readonly Tensor[], axis: number) {
    const runs = runsFor('softmax', a!, axis);
    const { outer, run, data: x } = runs;
    const lse = allocate(a!.dtype, outer);
    runLogSumExp(x, outer, run, lse);
    const prob = allocate(a!.dtype, outer * run);
    for (let o = 0, q = 0; o < outer; o++) for (let j = 0; j < run; j++, q++) prob[q] = Math.exp(x[q]! - lse[o]!);
    return { value: fromRuns(prob, runs), saved: { runs, prob } };
  },
  /** ∂ = p ∘ (g − Σ p·g). */
  vjp(g, s: SoftmaxSaved) {
    const { outer, run } = s.runs;
    const gd = gradRuns(g, s.runs);
    const p = s.prob;
    const r = allocate(g.dtype, outer * run);
    for (let o = 0; o < outer; o++) {
      const base = o * run;
      let dot = 0;
      for (let j = 0; j < run; j++) dot += p[base + j]! * gd[base + j]!;
      for (let j = 0; j < run; j++) r[base + j] = p[base + j]! * (gd[base + j]! - dot);
    }
    return [fromRuns(r, s.runs)];
  },
});

/** log Σ exp(a) along `axis` (default the last), computed stably. */
export function logSumExp(a: VarLike, axis = -1, keepDims = false): Var {
  return applyOp(logSumExpRule, [asVar(a)], { axis, keepDims });
}

/** a − logSumExp(a) along `axis` (default the last): log-probabilities. */
export function logSoftmax(a: VarLike, axis = -1): Var {
  return applyOp(logSoftmaxRule, [asVar(a)], axis);
}

/** exp(a) / Σ exp(a) along `axis` (default the last). */
export function softmax(a: VarLike, axis = -1): Var {
  return applyOp(softmaxRule, [asVar(a)], axis);
}
