/**
 * Elementwise operations with numpy broadcasting, each forward loop next to its VJP.
 * Broadcast gradients are summed back over the broadcast axes ({@link sumToShape}).
 * Every op is an explicit loop (no per-element callbacks).
 */
import { allocate, type DType, type FloatArray } from '../../tensor/dtype.js';
import { broadcastShapes, shapesEqual } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { dense, resultDType, sumToShape } from '../loops.js';
import { asVar, type ScalarOrVar, type VarLike } from '../operand.js';
import { applyOp, defineOp } from '../tape.js';
import type { Var } from '../variable.js';

// ---------------------------------------------------------------- binary, broadcasting

interface BinarySaved {
  /** Both operands materialized at the broadcast shape. */
  x: FloatArray;
  y: FloatArray;
  out: FloatArray;
  shape: readonly number[];
  aShape: readonly number[];
  bShape: readonly number[];
  dtype: DType;
}

type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'pow';

function broadcastOperands(name: BinaryName, a: Tensor, b: Tensor): { x: FloatArray; y: FloatArray; shape: number[]; dtype: DType } {
  let shape: number[];
  try {
    shape = broadcastShapes(a.shape, b.shape);
  } catch (e) {
    throw new RangeError(`${name}: ${(e as Error).message}`);
  }
  const x = shapesEqual(a.shape, shape) ? dense(a) : a.broadcastTo(shape).copy().data;
  const y = shapesEqual(b.shape, shape) ? dense(b) : b.broadcastTo(shape).copy().data;
  return { x, y, shape, dtype: resultDType(a, b) };
}

function binaryForward(name: BinaryName, [a, b]: readonly Tensor[]): { value: Tensor; saved: BinarySaved } {
  const { x, y, shape, dtype } = broadcastOperands(name, a!, b!);
  const n = x.length;
  const out = allocate(dtype, n);
  switch (name) {
    case 'add': for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!; break;
    case 'sub': for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!; break;
    case 'mul': for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!; break;
    case 'div': for (let i = 0; i < n; i++) out[i] = x[i]! / y[i]!; break;
    case 'pow': for (let i = 0; i < n; i++) out[i] = Math.pow(x[i]!, y[i]!); break;
  }
  return { value: new Tensor(out, shape), saved: { x, y, out, shape, aShape: a!.shape, bShape: b!.shape, dtype } };
}

/** Builds a tensor at the broadcast shape from a loop over the upstream gradient. */
function gradAt(s: BinarySaved, data: FloatArray, toShape: readonly number[]): Tensor {
  return sumToShape(new Tensor(data, s.shape), toShape);
}

export const addRule = defineOp({
  name: 'add',
  forward: (inputs: readonly Tensor[]) => binaryForward('add', inputs),
  vjp(g, s: BinarySaved, needs) {
    return [needs[0] ? sumToShape(g, s.aShape) : null, needs[1] ? sumToShape(g, s.bShape) : null];
  },
});

export const subRule = defineOp({
  name: 'sub',
  forward: (inputs: readonly Tensor[]) => binaryForward('sub', inputs),
  vjp(g, s: BinarySaved, needs) {
    let gb: Tensor | null = null;
    if (needs[1]) {
      const gd = dense(g);
      const r = allocate(s.dtype, gd.length);
      for (let i = 0; i < r.length; i++) r[i] = -gd[i]!;
      gb = gradAt(s, r, s.bShape);
    }
    return [needs[0] ? sumToShape(g, s.aShape) : null, gb];
  },
});

export const mulRule = defineOp({
  name: 'mul',
  forward: (inputs: readonly Tensor[]) => binaryForward('mul', inputs),
  vjp(g, s: BinarySaved, needs) {
    const gd = dense(g);
    const n = gd.length;
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (needs[0]) {
      const r = allocate(s.dtype, n);
      for (let i = 0; i < n; i++) r[i] = gd[i]! * s.y[i]!;
      ga = gradAt(s, r, s.aShape);
    }
    if (needs[1]) {
      const r = allocate(s.dtype, n);
      for (let i = 0; i < n; i++) r[i] = gd[i]! * s.x[i]!;
      gb = gradAt(s, r, s.bShape);
    }
    return [ga, gb];
  },
});

export const divRule = defineOp({
  name: 'div',
  forward: (inputs: readonly Tensor[]) => binaryForward('div', inputs),
  vjp(g, s: BinarySaved, needs) {
    const gd = dense(g);
    const n = gd.length;
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (needs[0]) {
      const r = allocate(s.dtype, n);
      for (let i = 0; i < n; i++) r[i] = gd[i]! / s.y[i]!;
      ga = gradAt(s, r, s.aShape);
    }
    if (needs[1]) {
      // d(x/y)/dy = −(x/y)/y
      const r = allocate(s.dtype, n);
      for (let i = 0; i < n; i++) r[i] = (-gd[i]! * s.out[i]!) / s.y[i]!;
      gb = gradAt(s, r, s.bShape);
    }
    return [ga, gb];
  },
});

export const powRule = defineOp({
  name: 'pow',
  forward: (inputs: readonly Tensor[]) => binaryForward('pow', inputs),
  vjp(g, s: BinarySaved, needs) {
    const gd = dense(g);
    const n = gd.length;
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (needs[0]) {
      const r = allocate(s.dtype, n);
      for (let i = 0; i < n; i++) {
        const y = s.y[i]!;
        r[i] = y === 0 ? 0 : gd[i]! * y * Math.pow(s.x[i]!, y - 1);
      }
      ga = gradAt(s, r, s.aShape);
    }
    if (needs[1]) {
      // d(x^y)/dy = x^y·log x; taken as 0 where x^y = 0 (x = 0, y > 0), the limit from above.
      const r = allocate(s.dtype, n);
      for (let i = 0; i < n; i++) r[i] = s.out[i] === 0 ? 0 : gd[i]! * s.out[i]! * Math.log(s.x[i]!);
      gb = gradAt(s, r, s.bShape);
    }
    return [ga, gb];
  },
});

// ---------------------------------------------------------------- unary

interface UnarySaved {
  /** The input or the output, whichever the derivative is cheaper from. */
  data: FloatArray;
  shape: readonly number[];
  dtype: DType;
}

/** Saved data of ops whose VJP needs only the shape. */
const NOTHING = new Float64Array(0);

/** Allocates the output of a unary op and returns it with the input's dense data. */
function unaryIO(a: Tensor): { x: FloatArray; out: FloatArray } {
  const x = dense(a);
  return { x, out: allocate(a.dtype, x.length) };
}

function unaryGrad(g: Tensor, s: UnarySaved): { gd: FloatArray; r: FloatArray; t: Tensor } {
  const gd = dense(g);
  const r = allocate(s.dtype, gd.length);
  return { gd, r, t: new Tensor(r, s.shape) };
}

export const addScalarRule = defineOp({
  name: 'addScalar',
  forward([a]: readonly Tensor[], c: number) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = x[i]! + c;
    return { value: new Tensor(out, a!.shape), saved: null };
  },
  vjp: (g) => [g],
});

export const scaleRule = defineOp({
  name: 'scale',
  forward([a]: readonly Tensor[], c: number) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = x[i]! * c;
    return { value: new Tensor(out, a!.shape), saved: { c, data: NOTHING, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved & { c: number }) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) r[i] = gd[i]! * s.c;
    return [t];
  },
});

export const powScalarRule = defineOp({
  name: 'powScalar',
  forward([a]: readonly Tensor[], p: number) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = Math.pow(x[i]!, p);
    return { value: new Tensor(out, a!.shape), saved: { p, data: x, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved & { p: number }) {
    const { gd, r, t } = unaryGrad(g, s);
    const p = s.p;
    for (let i = 0; i < r.length; i++) r[i] = p === 0 ? 0 : gd[i]! * p * Math.pow(s.data[i]!, p - 1);
    return [t];
  },
});

export const negRule = defineOp({
  name: 'neg',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = -x[i]!;
    return { value: new Tensor(out, a!.shape), saved: { data: NOTHING, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) r[i] = -gd[i]!;
    return [t];
  },
});

export const expRule = defineOp({
  name: 'exp',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!);
    return { value: new Tensor(out, a!.shape), saved: { data: out, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) r[i] = gd[i]! * s.data[i]!;
    return [t];
  },
});

export const logRule = defineOp({
  name: 'log',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!);
    return { value: new Tensor(out, a!.shape), saved: { data: x, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) r[i] = gd[i]! / s.data[i]!;
    return [t];
  },
});

export const sqrtRule = defineOp({
  name: 'sqrt',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!);
    return { value: new Tensor(out, a!.shape), saved: { data: out, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) r[i] = (0.5 * gd[i]!) / s.data[i]!;
    return [t];
  },
});

export const squareRule = defineOp({
  name: 'square',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = x[i]! * x[i]!;
    return { value: new Tensor(out, a!.shape), saved: { data: x, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) r[i] = 2 * gd[i]! * s.data[i]!;
    return [t];
  },
});

export const absRule = defineOp({
  name: 'abs',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!);
    return { value: new Tensor(out, a!.shape), saved: { data: x, shape: a!.shape, dtype: a!.dtype } };
  },
  /** Subgradient 0 at x = 0. */
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) {
      const x = s.data[i]!;
      r[i] = x > 0 ? gd[i]! : x < 0 ? -gd[i]! : 0;
    }
    return [t];
  },
});

export const tanhRule = defineOp({
  name: 'tanh',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
    return { value: new Tensor(out, a!.shape), saved: { data: out, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) {
      const y = s.data[i]!;
      r[i] = gd[i]! * (1 - y * y);
    }
    return [t];
  },
});

export const sigmoidRule = defineOp({
  name: 'sigmoid',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      // Two branches so exp never overflows.
      if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        out[i] = e / (1 + e);
      }
    }
    return { value: new Tensor(out, a!.shape), saved: { data: out, shape: a!.shape, dtype: a!.dtype } };
  },
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) {
      const y = s.data[i]!;
      r[i] = gd[i]! * y * (1 - y);
    }
    return [t];
  },
});

export const reluRule = defineOp({
  name: 'relu',
  forward([a]: readonly Tensor[]) {
    const { x, out } = unaryIO(a!);
    for (let i = 0; i < x.length; i++) out[i] = x[i]! > 0 ? x[i]! : 0;
    return { value: new Tensor(out, a!.shape), saved: { data: x, shape: a!.shape, dtype: a!.dtype } };
  },
  /** Subgradient 0 at x = 0. */
  vjp(g, s: UnarySaved) {
    const { gd, r, t } = unaryGrad(g, s);
    for (let i = 0; i < r.length; i++) r[i] = s.data[i]! > 0 ? gd[i]! : 0;
    return [t];
  },
});

// ---------------------------------------------------------------- public functions

/** a + b with numpy broadcasting; either side may be a number. */
export function add(a: ScalarOrVar, b: ScalarOrVar): Var {
  if (typeof b === 'number') return applyOp(addScalarRule, [asVar(a)], b);
  if (typeof a === 'number') return applyOp(addScalarRule, [asVar(b)], a);
  return applyOp(addRule, [asVar(a), asVar(b)], undefined);
}

/** a − b with numpy broadcasting; either side may be a number. */
export function sub(a: ScalarOrVar, b: ScalarOrVar): Var {
  if (typeof b === 'number') return applyOp(addScalarRule, [asVar(a)], -b);
  if (typeof a === 'number') return applyOp(addScalarRule, [neg(asVar(b))], a);
  return applyOp(subRule, [asVar(a), asVar(b)], undefined);
}

/** a · b elementwise with numpy broadcasting; either side may be a number. */
export function mul(a: ScalarOrVar, b: ScalarOrVar): Var {
  if (typeof b === 'number') return applyOp(scaleRule, [asVar(a)], b);
  if (typeof a === 'number') return applyOp(scaleRule, [asVar(b)], a);
  return applyOp(mulRule, [asVar(a), asVar(b)], undefined);
}

/** a / b elementwise with numpy broadcasting; either side may be a number. */
export function div(a: ScalarOrVar, b: ScalarOrVar): Var {
  if (typeof b === 'number') return applyOp(scaleRule, [asVar(a)], 1 / b);
  return applyOp(divRule, [asVar(a), asVar(b)], undefined);
}

/** a ** b elementwise; a number exponent takes the cheaper scalar path. */
export function pow(a: ScalarOrVar, b: ScalarOrVar): Var {
  if (typeof b === 'number') return applyOp(powScalarRule, [asVar(a)], b);
  return applyOp(powRule, [asVar(a), asVar(b)], undefined);
}

/** c · a for a number c. */
export const scale = (a: VarLike, c: number): Var => applyOp(scaleRule, [asVar(a)], c);
/** −a (differentiable). */
export const neg = (a: VarLike): Var => applyOp(negRule, [asVar(a)], undefined);
/** eᵃ elementwise (differentiable). */
export const exp = (a: VarLike): Var => applyOp(expRule, [asVar(a)], undefined);
/** Natural logarithm elementwise (differentiable). */
export const log = (a: VarLike): Var => applyOp(logRule, [asVar(a)], undefined);
/** Square root elementwise (differentiable). */
export const sqrt = (a: VarLike): Var => applyOp(sqrtRule, [asVar(a)], undefined);
/** a² elementwise (differentiable). */
export const square = (a: VarLike): Var => applyOp(squareRule, [asVar(a)], undefined);
/** |a|, with subgradient 0 at 0. */
export const abs = (a: VarLike): Var => applyOp(absRule, [asVar(a)], undefined);
/** Hyperbolic tangent elementwise (differentiable). */
export const tanh = (a: VarLike): Var => applyOp(tanhRule, [asVar(a)], undefined);
/** Logistic function 1/(1 + e⁻ᵃ) elementwise (differentiable). */
export const sigmoid = (a: VarLike): Var => applyOp(sigmoidRule, [asVar(a)], undefined);
/** max(a, 0), with subgradient 0 at 0. */
export const relu = (a: VarLike): Var => applyOp(reluRule, [asVar(a)], undefined);
