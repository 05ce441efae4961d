/**
 * The `autodiff` namespace of the public entries: everything of ./index.ts, with the ops
 * that also exist for plain tensors (add, sum, einsum, svd…) taken from ./public-ops.ts —
 * the same functions as tnkit's top-level ones, so `autodiff.sum === sum`.
 * @packageDocumentation
 */
export * from './index.js';
export {
  add, sub, mul, div, pow, scale, neg, exp, log, sqrt, square, abs, tanh, sigmoid, relu,
  sum, mean, max, min, norm, einsum, matmul, svd, qr,
} from './public-ops.js';
