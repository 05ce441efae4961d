import { einsum } from '../einsum/einsum.js';
import { ones } from '../tensor/create.js';
import { overlap } from './overlap.js';
import type { MatrixProductOperator } from './matrix-product-operator.js';
import type { MatrixProductState } from './matrix-product-state.js';

/** Options of {@link expectation}. */
export interface ExpectationOptions {
  /** Divide by ⟨ψ|ψ⟩ (default false: the bare ⟨ψ|O|ψ⟩). */
  normalize?: boolean;
}

/**
 * ⟨ψ|O|ψ⟩ for an MPO with square sites matching ψ (by position). Sweeps a
 * three-leg environment E[bra, mpo, ket] from the left; each site is one einsum whose
 * path the optimizer picks, O(L·χ³·D·d + L·χ²·D²·d²) for bond dims χ (ψ) and D (O).
 */
export function expectation(psi: MatrixProductState, op: MatrixProductOperator, options: ExpectationOptions = {}): number {
  if (op.length !== psi.length) throw new RangeError(`expectation: the MPO has ${op.length} sites and the MPS ${psi.length}`);
  op.sites.forEach((w, i) => {
    const d = psi.physical[i]!.dim;
    if (w.shape[1] !== d || w.shape[2] !== d) throw new RangeError(`expectation: site ${i}: MPO is ${w.shape[1]}×${w.shape[2]}, the MPS physical dim is ${d}`);
  });
  let env = ones([1, 1, 1], { dtype: psi.dtype === 'f64' || op.dtype === 'f64' ? 'f64' : 'f32' });
  for (let i = 0; i < psi.length; i++) {
    const a = psi.sites[i]!;
    // bra a[a, o, x] (conjugate = itself for real data), O w[w, o, i, y], ket a[b, i, z].
    env = einsum('awb,aox,woiy,biz->xyz', env, a, op.sites[i]!, a);
  }
  const value = env.item();
  return options.normalize ? value / overlap(psi, psi) : value;
}
