/**
 * Every differentiable operation. The rule table (ops/table.ts) is typed as a
 * record over this union, so a name without a forward + VJP rule fails to compile.
 */
export type OpName =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow'
  | 'addScalar' | 'scale' | 'powScalar'
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'square' | 'abs' | 'tanh' | 'sigmoid' | 'relu'
  | 'sum' | 'mean' | 'max' | 'min'
  | 'logSumExp' | 'logSoftmax' | 'softmax'
  | 'norm'
  | 'reshape' | 'permute' | 'slice' | 'concat' | 'broadcastTo' | 'take' | 'pick'
  | 'einsum'
  | 'svd' | 'qr';
