import { allocate, type FloatArray } from '../../tensor/dtype.js';
import { shapesEqual } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../loops.js';
import type { Schedule } from './schedule.js';

/** A fixed learning rate or a schedule of the (0-based) step number. */
export type LearningRate = number | Schedule;

/**
 * A pure optimizer: `init` builds the state for some parameters, and `update` returns
 * new parameters and a new state without modifying its arguments.
 */
export interface Optimizer<S> {
  /** The initial state for these parameters (moments at zero, step 0). */
  init(params: readonly Tensor[]): S;
  /** One step: new parameters and state from the gradients (pure: the inputs are not changed). */
  update(grads: readonly Tensor[], state: S, params: readonly Tensor[]): { params: Tensor[]; state: S };
  /**
   * Optional: the same step as `update`, with the same numbers, written into `params` and
   * into the buffers of `state` (both must be contiguous and owned by the caller); returns
   * the new state. Saves allocating fresh parameters and moments every step; callers that
   * hand out the state or parameters copy them first (see `copyState`). It must not keep
   * references to `grads`: the trainer reuses their buffers for the next batch.
   */
  updateInPlace?(grads: readonly Tensor[], state: S, params: readonly Tensor[]): S;
  /** A copy of a state that shares no buffers with it (needed alongside `updateInPlace`). */
  copyState?(state: S): S;
}

/** The learning rate at `step`, checked to be a finite number. */
export function learningRateAt(lr: LearningRate, step: number, who: string): number {
  const v = typeof lr === 'number' ? lr : lr(step);
  if (!Number.isFinite(v)) throw new RangeError(`${who}: learning rate at step ${step} is ${v}`);
  return v;
}

/** Throws unless grads and params pair up with equal shapes, naming the first mismatch. */
export function checkPairs(who: string, grads: readonly Tensor[], params: readonly Tensor[], what = 'gradient'): void {
  if (grads.length !== params.length) throw new RangeError(`${who}: ${grads.length} ${what}s for ${params.length} parameters`);
  grads.forEach((g, k) => {
    if (!shapesEqual(g.shape, params[k]!.shape)) {
      throw new RangeError(`${who}: ${what} ${k} has shape ${fmt(g.shape)} but parameter ${k} has shape ${fmt(params[k]!.shape)}`);
    }
  });
}

/** Checks a hyperparameter lies in [lo, hi) (or [lo, hi] with `closed`). */
export function checkRange(who: string, name: string, v: number, lo: number, hi: number, closed = false): void {
  if (!(v >= lo && (closed ? v <= hi : v < hi))) throw new RangeError(`${who}: ${name} must be in [${lo}, ${hi}${closed ? ']' : ')'}, got ${v}`);
}

/** A zero tensor shaped like `t` (the parameter's dtype). */
export function zerosLike(t: Tensor): Tensor {
  return new Tensor(allocate(t.dtype, t.size), t.shape);
}

/** The buffer of a tensor an in-place update may write: contiguous and spanning exactly its elements. */
export function ownedData(t: Tensor, who: string, what: string): FloatArray {
  if (!t.isContiguous || t.offset !== 0 || t.data.length !== t.size) throw new RangeError(`${who}: ${what} is a view, which an in-place update cannot write (pass a contiguous copy)`);
  return t.data;
}
