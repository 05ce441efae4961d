/**
 * The public op set: one `add`, one `sum`, one `einsum`… for plain tensors and variables
 * alike (as tfjs-core's ops). On plain tensors (and numbers) each op is the tensor /
 * linalg / einsum layer's function and returns a Tensor (or a number, for a full
 * reduction); as soon as one operand is a {@link Var} it is the differentiable op of
 * autodiff/ops, recorded on the tape, and returns a Var. The library's own code imports
 * the layer it needs directly; this module is what `tnkit` (top level and the `autodiff`
 * namespace) exports, so a user never chooses between two `sum`s.
 */
import { einsum as einsumTensors, type EinsumOptions } from '../einsum/einsum.js';
import { matmul as matmulTensors, type MatmulOptions } from '../linalg/matmul.js';
import { qr as qrTensor, type QrFactors } from '../linalg/qr.js';
import { svd as svdTensor, type SvdFactors } from '../linalg/svd.js';
import * as t from '../tensor/elementwise.js';
import * as r from '../tensor/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ScalarOrVar, VarLike } from './operand.js';
import * as e from './ops/elementwise.js';
import { einsum as einsumVars } from './ops/einsum.js';
import { matmul as matmulVars, qr as qrVar, svd as svdVar } from './ops/linalg.js';
import { norm as normVar } from './ops/norm.js';
import * as rv from './ops/reduce.js';
import { Var } from './variable.js';

type Plain = Tensor | number;
const anyVar = (...xs: readonly unknown[]): boolean => xs.some((x) => x instanceof Var);

/** a + b with broadcasting. */
export function add(a: Plain, b: Plain): Tensor;
export function add(a: ScalarOrVar, b: ScalarOrVar): Var;
export function add(a: ScalarOrVar, b: ScalarOrVar): Tensor | Var {
  return anyVar(a, b) ? e.add(a, b) : t.add(a as Plain, b as Plain);
}

/** a − b with broadcasting. */
export function sub(a: Plain, b: Plain): Tensor;
export function sub(a: ScalarOrVar, b: ScalarOrVar): Var;
export function sub(a: ScalarOrVar, b: ScalarOrVar): Tensor | Var {
  return anyVar(a, b) ? e.sub(a, b) : t.sub(a as Plain, b as Plain);
}

/** a · b elementwise, with broadcasting. */
export function mul(a: Plain, b: Plain): Tensor;
export function mul(a: ScalarOrVar, b: ScalarOrVar): Var;
export function mul(a: ScalarOrVar, b: ScalarOrVar): Tensor | Var {
  return anyVar(a, b) ? e.mul(a, b) : t.mul(a as Plain, b as Plain);
}

/** a / b elementwise, with broadcasting. */
export function div(a: Plain, b: Plain): Tensor;
export function div(a: ScalarOrVar, b: ScalarOrVar): Var;
export function div(a: ScalarOrVar, b: ScalarOrVar): Tensor | Var {
  return anyVar(a, b) ? e.div(a, b) : t.div(a as Plain, b as Plain);
}

/** a^b elementwise, with broadcasting. */
export function pow(a: Plain, b: Plain): Tensor;
export function pow(a: ScalarOrVar, b: ScalarOrVar): Var;
export function pow(a: ScalarOrVar, b: ScalarOrVar): Tensor | Var {
  return anyVar(a, b) ? e.pow(a, b) : t.pow(a as Plain, b as Plain);
}

/** c · a. */
export function scale(a: Tensor, c: number): Tensor;
export function scale(a: VarLike, c: number): Var;
export function scale(a: VarLike, c: number): Tensor | Var {
  return a instanceof Var ? e.scale(a, c) : t.scale(a, c);
}

/** One elementwise function on plain tensors and variables. */
interface Unary {
  (a: Tensor): Tensor;
  (a: VarLike): Var;
}
const unary = (onTensor: (a: Tensor) => Tensor, onVar: (a: VarLike) => Var): Unary =>
  ((a: VarLike) => (a instanceof Var ? onVar(a) : onTensor(a))) as Unary;

/** −a. */
export const neg: Unary = unary(t.neg, e.neg);
/** eᵃ elementwise. */
export const exp: Unary = unary(t.exp, e.exp);
/** ln a elementwise. */
export const log: Unary = unary(t.log, e.log);
/** √a elementwise. */
export const sqrt: Unary = unary(t.sqrt, e.sqrt);
/** a² elementwise. */
export const square: Unary = unary(t.square, e.square);
/** |a| elementwise. */
export const abs: Unary = unary(t.abs, e.abs);
/** tanh a elementwise. */
export const tanh: Unary = unary(t.tanh, e.tanh);
/** The logistic function 1/(1 + e⁻ᵃ) elementwise. */
export const sigmoid: Unary = unary(t.sigmoid, e.sigmoid);
/** max(a, 0) elementwise. */
export const relu: Unary = unary(t.relu, e.relu);

/** One reduction on plain tensors (all elements → a number, or one axis) and variables (any axes). */
interface Reduction {
  (a: Tensor): number;
  (a: Tensor, axis: number, keepDims?: boolean): Tensor;
  (a: Var, axis?: number | readonly number[], keepDims?: boolean): Var;
}
const reduction = (
  onTensor: (a: Tensor, axis: number, keepDims?: boolean) => Tensor,
  onTensorAll: (a: Tensor) => number,
  onVar: (a: VarLike, axis?: number | readonly number[], keepDims?: boolean) => Var,
  name: string,
): Reduction =>
  ((a: VarLike, axis?: number | readonly number[], keepDims: boolean = false) => {
    if (a instanceof Var) return onVar(a, axis, keepDims);
    if (axis === undefined) return onTensorAll(a);
    if (typeof axis !== 'number') throw new TypeError(`${name}: a plain tensor is reduced over all elements or one axis; wrap it in constant() to reduce several`);
    return onTensor(a, axis, keepDims);
  }) as Reduction;

/** Σ over all elements (a number for a plain tensor) or over the given axes. */
export const sum: Reduction = reduction((a, axis, k) => r.sum(a, axis, k), (a) => r.sum(a), rv.sum, 'sum');
/** The mean over all elements or the given axes. */
export const mean: Reduction = reduction((a, axis, k) => r.mean(a, axis, k), (a) => r.mean(a), rv.mean, 'mean');
/** The largest element, overall or along the given axes. */
export const max: Reduction = reduction((a, axis, k) => r.max(a, axis, k), (a) => r.max(a), rv.max, 'max');
/** The smallest element, overall or along the given axes. */
export const min: Reduction = reduction((a, axis, k) => r.min(a, axis, k), (a) => r.min(a), rv.min, 'min');

/** The Frobenius norm ‖a‖ (a number for a plain tensor). */
export function norm(a: Tensor): number;
export function norm(a: Var): Var;
export function norm(a: VarLike): number | Var {
  return a instanceof Var ? normVar(a) : r.norm(a);
}

/**
 * Einstein summation (`'ij,jk->ik'`), numpy-compatible. Plain tensors are contracted along
 * the optimizer's path (options: `optimize`); with a variable among the operands each
 * pairwise step is recorded for the gradient.
 */
export function einsum(spec: string, ...operands: Tensor[]): Tensor;
export function einsum(spec: string, ...args: [...Tensor[], EinsumOptions]): Tensor;
export function einsum(spec: string, ...operands: VarLike[]): Var;
export function einsum(spec: string, ...args: (VarLike | EinsumOptions)[]): Tensor | Var {
  if (anyVar(...args)) return einsumVars(spec, ...(args as VarLike[]));
  return (einsumTensors as (s: string, ...rest: (Tensor | EinsumOptions)[]) => Tensor)(spec, ...(args as (Tensor | EinsumOptions)[]));
}

/** The (batched) matrix product a·b. */
export function matmul(a: Tensor, b: Tensor, options?: MatmulOptions): Tensor;
export function matmul(a: VarLike, b: VarLike): Var;
export function matmul(a: VarLike, b: VarLike, options?: MatmulOptions): Tensor | Var {
  return anyVar(a, b) ? matmulVars(a, b) : matmulTensors(a as Tensor, b as Tensor, options);
}

/** The thin SVD A = U·diag(S)·Vt of a 2-D tensor (differentiable for a variable). */
export function svd(a: Tensor): SvdFactors;
export function svd(a: Var): { U: Var; S: Var; Vt: Var };
export function svd(a: VarLike): SvdFactors | { U: Var; S: Var; Vt: Var } {
  return a instanceof Var ? svdVar(a) : svdTensor(a);
}

/** The thin QR decomposition A = Q·R of a 2-D tensor (differentiable for a variable). */
export function qr(a: Tensor): QrFactors;
export function qr(a: Var): { Q: Var; R: Var };
export function qr(a: VarLike): QrFactors | { Q: Var; R: Var } {
  return a instanceof Var ? qrVar(a) : qrTensor(a);
}
