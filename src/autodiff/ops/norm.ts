/** Frobenius norm with its VJP. */
import { allocate, type FloatArray } from '../../tensor/dtype.js';
import { norm as tensorNorm } from '../../tensor/reduce.js';
import { Tensor } from '../../tensor/tensor.js';
import { dense } from '../loops.js';
import { asVar, type VarLike } from '../operand.js';
import { applyOp, defineOp } from '../tape.js';
import type { Var } from '../variable.js';

export const normRule = defineOp({
  name: 'norm',
  forward([a]: readonly Tensor[]) {
    const n = tensorNorm(a!);
    const value = new Tensor(a!.dtype === 'f32' ? Float32Array.of(n) : Float64Array.of(n), []);
    return { value, saved: { x: dense(a!), shape: a!.shape, n } };
  },
  /** ∂‖a‖/∂a = a/‖a‖; at a = 0 the subgradient 0 is used. */
  vjp(g, s: { x: FloatArray; shape: readonly number[]; n: number }) {
    const r = allocate(g.dtype, s.x.length);
    const c = s.n === 0 ? 0 : g.item() / s.n;
    for (let i = 0; i < r.length; i++) r[i] = c * s.x[i]!;
    return [new Tensor(r, s.shape)];
  },
});

/** Frobenius norm √(Σ a²) of all elements, as a 0-d variable. */
export function norm(a: VarLike): Var {
  return applyOp(normRule, [asVar(a)], undefined);
}
