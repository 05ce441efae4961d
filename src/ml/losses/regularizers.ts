import { add, reshape, scale, square, sum, svd, type Var, type VarLike } from '../../autodiff/index.js';

function checkLambda(lambda: number, who: string): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`${who}: lambda must be a non-negative finite number, got ${lambda}`);
}

/** λ Σ_k ‖A_k‖²_F over all cores (weight decay as a loss term). */
export function l2Penalty(params: readonly VarLike[], lambda: number): Var {
  checkLambda(lambda, 'l2Penalty');
  if (params.length === 0) throw new RangeError('l2Penalty: no parameters');
  let total: Var | null = null;
  for (const p of params) {
    const t = sum(square(p));
    total = total === null ? t : add(total, t);
  }
  return scale(total!, lambda);
}

/**
 * λ Σ_k ‖A_k‖_* : the nuclear norm (sum of singular values) of each core reshaped to a
 * matrix [first `rowAxes` axes, rest] (default: all axes but the last, i.e. the
 * left-bond×physical vs right-bond unfolding of an MPS core). Encourages low bond rank.
 */
export function nuclearNormPenalty(params: readonly VarLike[], lambda: number, rowAxes?: (core: number, ndim: number) => number): Var {
  checkLambda(lambda, 'nuclearNormPenalty');
  if (params.length === 0) throw new RangeError('nuclearNormPenalty: no parameters');
  let total: Var | null = null;
  params.forEach((p, k) => {
    const shape = p.shape;
    const split = rowAxes ? rowAxes(k, shape.length) : shape.length - 1;
    if (split < 1 || split >= shape.length) throw new RangeError(`nuclearNormPenalty: core ${k} of shape [${shape.join(', ')}] cannot be split after axis ${split}`);
    const rows = shape.slice(0, split).reduce((a, b) => a * b, 1);
    const t = sum(svd(reshape(p, [rows, -1])).S);
    total = total === null ? t : add(total, t);
  });
  return scale(total!, lambda);
}
