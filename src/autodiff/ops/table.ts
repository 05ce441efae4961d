/**
 * The rule table: one forward + VJP rule per {@link OpName}. Its type is a record over
 * the whole union, so adding an op name without a rule (or a rule under the wrong
 * name) is a compile error.
 */
import type { OpName } from '../op-names.js';
import type { MultiOpRule, OpRule } from '../tape.js';
import { addRule, subRule, mulRule, divRule, powRule, addScalarRule, scaleRule, powScalarRule, negRule, expRule, logRule, sqrtRule, squareRule, absRule, tanhRule, sigmoidRule, reluRule } from './elementwise.js';
import { sumRule, meanRule, maxRule, minRule } from './reduce.js';
import { logSumExpRule, logSoftmaxRule, softmaxRule } from './softmax.js';
import { normRule } from './norm.js';
import { reshapeRule, permuteRule, sliceRule, concatRule, broadcastToRule, takeRule, pickRule } from './shape.js';
import { einsumRule } from './einsum.js';
import { svdRule, qrRule } from './linalg.js';

// biome-ignore lint/suspicious/noExplicitAny: the table holds rules of every operand type; each rule is checked where it is defined
type AnyRule = OpRule<any, any> | MultiOpRule<any, any>;

export const OP_RULES: { readonly [K in OpName]: AnyRule & { readonly name: K } } = {
  add: addRule,
  sub: subRule,
  mul: mulRule,
  div: divRule,
  pow: powRule,
  addScalar: addScalarRule,
  scale: scaleRule,
  powScalar: powScalarRule,
  neg: negRule,
  exp: expRule,
  log: logRule,
  sqrt: sqrtRule,
  square: squareRule,
  abs: absRule,
  tanh: tanhRule,
  sigmoid: sigmoidRule,
  relu: reluRule,
  sum: sumRule,
  mean: meanRule,
  max: maxRule,
  min: minRule,
  logSumExp: logSumExpRule,
  logSoftmax: logSoftmaxRule,
  softmax: softmaxRule,
  norm: normRule,
  reshape: reshapeRule,
  permute: permuteRule,
  slice: sliceRule,
  concat: concatRule,
  broadcastTo: broadcastToRule,
  take: takeRule,
  pick: pickRule,
  einsum: einsumRule,
  svd: svdRule,
  qr: qrRule,
};

/** Names of every differentiable operation. */
export function differentiableOps(): OpName[] {
  return Object.keys(OP_RULES) as OpName[];
}
