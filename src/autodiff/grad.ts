/** The user-facing entry points: valueAndGrad and grad. */
import { Tensor } from '../tensor/tensor.js';
import { fmt } from './loops.js';
import { Tape, type TapeOptions } from './tape.js';
import { Var } from './variable.js';

/** Options of {@link valueAndGrad}. */
export interface ValueAndGradOptions extends TapeOptions {
  /**
   * Buffers the gradients may be written into instead of new allocations: one per
   * parameter, of its shape and dtype, contiguous, sharing no memory with the parameters
   * (typically the gradients of an earlier call that are no longer needed). Their contents
   * are overwritten; the returned gradients may be these very tensors. Ops with a
   * hand-written backward pass (customOp) use them; others allocate as usual.
   */
  gradientBuffers?: readonly Tensor[];
}

/** The value of a scalar function and its gradient with respect to each parameter. */
export interface ValueAndGrad {
  value: number;
  /** One gradient per parameter, same shape and dtype, freshly allocated. */
  grads: Tensor[];
}

/**
 * Evaluates `f(...params)` while recording it, then runs the reverse pass. `f`
 * receives one {@link Var} per parameter and must return a variable with a single
 * element (shape [] or all ones). Plain tensors and numbers used inside `f` are
 * constants. A parameter used several times accumulates its gradient; one `f` does
 * not use gets zeros.
 * @throws RangeError naming the shape when `f` returns more than one element;
 *   `NonFiniteError` naming the op with `checkFinite` when a NaN/Infinity appears.
 * @example
 * const { value, grads } = valueAndGrad((w, b) => sum(square(add(matmul(x, w), b))), [w0, b0]);
 */
export function valueAndGrad(f: (...params: Var[]) => Var, params: readonly Tensor[], options: ValueAndGradOptions = {}): ValueAndGrad {
  if (typeof f !== 'function') throw new TypeError(`valueAndGrad: f must be a function, got ${typeof f}`);
  params.forEach((p, k) => {
    if (!(p instanceof Tensor)) throw new TypeError(`valueAndGrad: parameter ${k} is not a Tensor`);
  });
  const buffers = options.gradientBuffers ? checkedBuffers(options.gradientBuffers, params) : null;
  const tape = new Tape(options);
  const leaves = params.map((p) => tape.leaf(p));
  const out = f(...leaves);
  if (!(out instanceof Var)) {
    throw new TypeError(`valueAndGrad: f must return a Var (the result of autodiff ops), got ${out === null ? 'null' : typeof out}`);
  }
  if (out.size !== 1) throw new RangeError(`valueAndGrad: f must return a scalar, but its result has shape ${fmt(out.shape)} (${out.size} elements)`);
  const value = out.value.item();
  if (options.checkFinite && !Number.isFinite(value)) {
    throw new RangeError(`checkFinite: f returned ${value}`);
  }
  const grads = tape.backward(out, leaves, buffers);
  return { value, grads };
}

/** The gradients of scalar `f` with respect to each parameter (see {@link valueAndGrad}). */
export function grad(f: (...params: Var[]) => Var, params: readonly Tensor[], options: ValueAndGradOptions = {}): Tensor[] {
  return valueAndGrad(f, params, options).grads;
}

/** The gradient buffers, checked to match the parameters and not to alias them. */
function checkedBuffers(buffers: readonly Tensor[], params: readonly Tensor[]): readonly Tensor[] {
  if (buffers.length !== params.length) throw new RangeError(`valueAndGrad: ${buffers.length} gradient buffers for ${params.length} parameters`);
  const paramMemory = new Set(params.map((p) => p.data.buffer));
  const bufferMemory = new Set<ArrayBufferLike>();
  buffers.forEach((b, k) => {
    const p = params[k]!;
    if (!(b instanceof Tensor) || b.dtype !== p.dtype || b.shape.length !== p.shape.length || b.shape.some((d, i) => d !== p.shape[i])) {
      throw new RangeError(`valueAndGrad: gradient buffer ${k} must be a ${p.dtype} tensor of shape ${fmt(p.shape)}`);
    }
    if (!b.isContiguous || b.offset !== 0 || b.data.length !== b.size) throw new RangeError(`valueAndGrad: gradient buffer ${k} is a view; pass a contiguous tensor of its own`);
    if (paramMemory.has(b.data.buffer)) throw new RangeError(`valueAndGrad: gradient buffer ${k} shares memory with a parameter`);
    if (bufferMemory.has(b.data.buffer)) throw new RangeError(`valueAndGrad: gradient buffer ${k} shares memory with another gradient buffer`);
    bufferMemory.add(b.data.buffer);
  });
  return buffers;
}
