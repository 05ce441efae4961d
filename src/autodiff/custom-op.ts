/**
 * Differentiable operations defined outside autodiff's rule table: a forward computation
 * and its hand-written vector–Jacobian product, recorded on the tape as one node. Models
 * use this for fused passes (e.g. a whole MPS contraction sweep) whose generic
 * op-by-op recording would cost more in bookkeeping than in arithmetic.
 */
import type { Tensor } from '../tensor/tensor.js';
import { asVar, type VarLike } from './operand.js';
import { tapeOf, type CustomOpName } from './tape.js';
import { constant, type Var } from './variable.js';

/** A single-output operation with its VJP, for {@link customOp}. */
export interface CustomOp<S> {
  /** Names the operation in error messages (recorded as `custom:<name>`). */
  readonly name: string;
  /** The value from the inputs' values, and whatever the VJP will need. */
  forward(inputs: readonly Tensor[]): { value: Tensor; saved: S };
  /**
   * One gradient per input (null where `needs[i]` is false), each with its input's shape.
   * Each must be a new contiguous buffer that nothing else refers to (or the buffer lent
   * in `into`): the tape hands it to the caller without copying and may add into it.
   * `into[i]`, when given, is a contiguous tensor of input i's shape and dtype (contents
   * undefined) that the gradient of input i may be written into and returned as.
   */
  vjp(g: Tensor, saved: S, needs: readonly boolean[], into: readonly (Tensor | null)[] | null): readonly (Tensor | null)[];
  /** Called instead of the VJP when no input needs a gradient, to release `saved` early (optional). */
  discard?(saved: S): void;
}

/**
 * Applies a {@link CustomOp} to variables or constant tensors, recording it on the tape
 * when an input needs gradients.
 * @throws Error when the inputs come from two different valueAndGrad calls.
 */
export function customOp<S>(op: CustomOp<S>, inputs: readonly VarLike[]): Var {
  const name: CustomOpName = `custom:${op.name}`;
  const vars = inputs.map((x, k) => asVar(x, `${name} input ${k}`));
  const tape = tapeOf(vars, name);
  const { value, saved } = op.forward(vars.map((v) => v.value));
  if (tape === null) {
    op.discard?.(saved);
    return constant(value);
  }
  const needs = vars.map((v) => v.tape !== null);
  return tape.record(name, vars, [value], (gs, into) => op.vjp(gs[0]!, saved, needs, into), true)[0]!;
}
