/**
 * Reverse-mode automatic differentiation on tensors, and optimizers.
 *
 * `valueAndGrad(f, params)` runs `f` on {@link Var}s, records each op on a tape and
 * returns f's value with one gradient per parameter. Ops: einsum (pairwise along the
 * optimizer's path), broadcasting arithmetic, elementwise functions, reductions,
 * (log-)softmax, norm, shape ops, integer indexing, SVD and QR.
 * @packageDocumentation
 */
export { Var, constant } from './variable.js';
export { valueAndGrad, grad, type ValueAndGrad, type ValueAndGradOptions } from './grad.js';
export { NonFiniteError, type OpRule, type MultiOpRule, type CustomOpName, type RecordedOpName } from './tape.js';
export { customOp, type CustomOp } from './custom-op.js';
export type { OpName } from './op-names.js';
export type { VarLike, ScalarOrVar } from './operand.js';
export { checkGradient, type GradientCheck, type GradientCheckOptions } from './gradcheck.js';
export { differentiableOps } from './ops/table.js';
export { add, sub, mul, div, pow, scale, neg, exp, log, sqrt, square, abs, tanh, sigmoid, relu } from './ops/elementwise.js';
export { sum, mean, max, min } from './ops/reduce.js';
export { logSumExp, logSoftmax, softmax } from './ops/softmax.js';
export { norm } from './ops/norm.js';
export { reshape, permute, transpose, slice, concat, stack, expandDims, broadcastTo, take, pick } from './ops/shape.js';
export { einsum } from './ops/einsum.js';
export { svd, qr, matmul, SVD_GRAD_EPS } from './ops/linalg.js';
export * from './optim/index.js';
