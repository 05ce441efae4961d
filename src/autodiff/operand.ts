import { Tensor } from '../tensor/tensor.js';
import { constant, Var } from './variable.js';

/** What ops accept: a variable, or a plain tensor used as a constant. */
export type VarLike = Var | Tensor;

/** A variable, a constant tensor, or a constant number. */
export type ScalarOrVar = VarLike | number;

/** Wraps a plain tensor (or number) as a constant; variables pass through. */
export function asVar(x: ScalarOrVar, what = 'operand'): Var {
  if (x instanceof Var) return x;
  if (x instanceof Tensor) return constant(x);
  if (typeof x === 'number') return constant(new Tensor(Float64Array.of(x), []));
  throw new TypeError(`autodiff: ${what} must be a Var, a Tensor or a number, got ${x === null ? 'null' : typeof x}`);
}
