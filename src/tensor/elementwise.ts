import { allocate, type DType } from './dtype.js';
import { broadcastShapes, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

/** A tensor or a scalar operand of an elementwise operation. */
export type Operand = Tensor | number;

function resultDType(a: Operand, b: Operand): DType {
  const da = typeof a === 'number' ? undefined : a.dtype;
  const db = typeof b === 'number' ? undefined : b.dtype;
  if (da === 'f64' || db === 'f64') return 'f64';
  return da ?? db ?? 'f64';
}

/**
 * Applies a binary function elementwise with numpy broadcasting. Contiguous
 * same-shape operands take a flat loop; others go through broadcast strides.
 */
export function binary(a: Operand, b: Operand, f: (x: number, y: number) => number): Tensor {
  const dtype = resultDType(a, b);
  if (typeof a === 'number' && typeof b === 'number') return new Tensor(Float64Array.of(f(a, b)), []);
  if (typeof b === 'number') return unary(a as Tensor, (x) => f(x, b), dtype);
  if (typeof a === 'number') return unary(b, (y) => f(a, y), dtype);
  const shape = broadcastShapes(a.shape, b.shape);
  const A = shapesEqual(a.shape, shape) ? a.contiguous() : a.broadcastTo(shape).copy();
  const B = shapesEqual(b.shape, shape) ? b.contiguous() : b.broadcastTo(shape).copy();
  const out = allocate(dtype, A.size);
  const x = A.data;
  const y = B.data;
  for (let i = 0; i < out.length; i++) out[i] = f(x[i]!, y[i]!);
  return new Tensor(out, shape);
}

/** Applies a function to every element, returning a new contiguous tensor. */
export function unary(a: Tensor, f: (x: number) => number, dtype: DType = a.dtype): Tensor {
  const src = a.contiguous().data;
  const out = allocate(dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
  return new Tensor(out, a.shape);
}


/** Elementwise a + b, with numpy broadcasting (either side may be a number). */
export const add = (a: Operand, b: Operand): Tensor => binary(a, b, (x, y) => x + y);
/** Elementwise a − b, with numpy broadcasting. */
export const sub = (a: Operand, b: Operand): Tensor => binary(a, b, (x, y) => x - y);
/** Elementwise a · b, with numpy broadcasting. */
export const mul = (a: Operand, b: Operand): Tensor => binary(a, b, (x, y) => x * y);
/** Elementwise a / b, with numpy broadcasting. */
export const div = (a: Operand, b: Operand): Tensor => binary(a, b, (x, y) => x / y);
/** Elementwise a ** b, with numpy broadcasting. */
export const pow = (a: Operand, b: Operand): Tensor => binary(a, b, (x, y) => x ** y);
/** Elementwise maximum of a and b (NaN wins), with numpy broadcasting. */
export const maximum = (a: Operand, b: Operand): Tensor => binary(a, b, (x, y) => (x > y || Number.isNaN(x) ? x : y));
/** Elementwise minimum of a and b (NaN wins), with numpy broadcasting. */
export const minimum = (a: Operand, b: Operand): Tensor => binary(a, b, (x, y) => (x < y || Number.isNaN(x) ? x : y));

/** Elementwise −a. */
export const neg = (a: Tensor): Tensor => unary(a, (x) => -x);
/** Every element times the number s. */
export const scale = (a: Tensor, s: number): Tensor => unary(a, (x) => s * x);
/** Elementwise |a|. */
export const abs = (a: Tensor): Tensor => unary(a, Math.abs);
/** Elementwise eᵃ. */
export const exp = (a: Tensor): Tensor => unary(a, Math.exp);
/** Elementwise natural logarithm. */
export const log = (a: Tensor): Tensor => unary(a, Math.log);
/** Elementwise square root. */
export const sqrt = (a: Tensor): Tensor => unary(a, Math.sqrt);
/** Elementwise a². */
export const square = (a: Tensor): Tensor => unary(a, (x) => x * x);
/** Elementwise hyperbolic tangent. */
export const tanh = (a: Tensor): Tensor => unary(a, Math.tanh);
/** Elementwise logistic function 1/(1 + e⁻ᵃ), computed without overflow. */
export const sigmoid = (a: Tensor): Tensor => unary(a, (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))));
/** Elementwise max(a, 0). */
export const relu = (a: Tensor): Tensor => unary(a, (x) => (x > 0 ? x : 0));
