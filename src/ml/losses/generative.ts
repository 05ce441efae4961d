import { abs, add, constant, einsum, log, mean, neg, reshape, scale, type Var, type VarLike } from '../../autodiff/index.js';
import { Tensor } from '../../tensor/tensor.js';
import { dtypeOfParams, onesColumn } from '../models/mps-model.js';
import { checkBatch, rescaleRows, siteSlices, zeroScale } from '../models/rescale.js';

const LN2 = Math.LN2;

function checkChain(cores: readonly VarLike[], who: string): void {
  if (cores.length === 0) throw new RangeError(`${who}: no cores`);
  cores.forEach((c, s) => {
    if (c.shape.length !== 3) throw new RangeError(`${who}: core ${s} must be [left, phys, right], got shape [${c.shape.join(', ')}]`);
  });
}

/**
 * log|ψ(x_b)| for each product state of a batch `[batch, sites, d]`: the amplitude
 * ⟨φ(x_b)|ψ⟩ of an MPS with cores `[l, p, r]`, swept left to right with power-of-two
 * rescaling, returned as `[batch]`.
 */
export function mpsLogAmplitudes(cores: readonly VarLike[], x: Tensor): Var {
  checkChain(cores, 'mpsLogAmplitudes');
  checkBatch(x, cores.length, cores[0]!.shape[1]!, 'mpsLogAmplitudes');
  const dtype = dtypeOfParams(cores);
  const xs = siteSlices(x, dtype);
  const exps = zeroScale(x.shape[0]!);
  let env: VarLike = onesColumn(x.shape[0]!, dtype);
  cores.forEach((c, s) => (env = rescaleRows(einsum('bl,lpr,bp->br', env, c, xs[s]!), exps)));
  const amp = reshape(env, [x.shape[0]!]);
  const offset = new Tensor(exps.map((k) => k * LN2), [exps.length]).astype(dtype);
  return add(log(abs(amp)), constant(offset));
}

/** log⟨ψ|ψ⟩ of an MPS with real cores `[l, p, r]`, by transfer matrices rescaled at every site. */
export function mpsLogNormSquared(cores: readonly VarLike[]): Var {
  checkChain(cores, 'mpsLogNormSquared');
  const dtype = dtypeOfParams(cores);
  let env: VarLike = onesColumn(1, dtype).reshape(1, 1);
  let exponent = 0;
  for (const c of cores) {
    const next = einsum('xy,xpr,yps->rs', env, c, c);
    const holder = new Float64Array(1);
    env = rescaleRows(reshape(next, [1, -1]), holder);
    env = reshape(env, next.shape);
    exponent += holder[0]!;
  }
  return add(log(abs(reshape(env, []))), exponent * LN2);
}

/**
 * Negative log-likelihood of a normalised MPS Born machine: p(x) = |⟨φ(x)|ψ⟩|² / ⟨ψ|ψ⟩, so
 * NLL = mean_b(−2 log|ψ(x_b)|) + log⟨ψ|ψ⟩. Exact when the embedding's site vectors form an
 * orthonormal basis of the states being modelled (e.g. one-hot for discrete data).
 */
export function mpsNegativeLogLikelihood(cores: readonly VarLike[], x: Tensor): Var {
  const amps = mpsLogAmplitudes(cores, x);
  return add(neg(scale(mean(amps), 2)), mpsLogNormSquared(cores));
}

