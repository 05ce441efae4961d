import { matmul } from '../linalg/matmul.js';
import { qr } from '../linalg/qr.js';
import { norm as frobeniusNorm } from '../tensor/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import type { MatrixProductState } from './matrix-product-state.js';

/**
 * Canonical forms of an MPS by QR sweeps. Moving the orthogonality centre from site i
 * to i+1 factors site i as [(l·p), r] = Q·R, keeps Q (left-orthonormal) and multiplies R
 * into site i+1; moving left does the same with the LQ factorization of [l, (p·r)].
 * Bonds may shrink to min(l·p, r) on the way, never grow; the state is unchanged.
 */

/** Site i made left-orthonormal; the remainder is pushed into site i+1. */
function shiftRight(sites: Tensor[], i: number): void {
  const a = sites[i]!;
  const [l, p, r] = a.shape as [number, number, number];
  const { Q, R } = qr(a.reshape(l * p, r));
  const k = Q.shape[1]!;
  sites[i] = Q.reshape(l, p, k);
  const b = sites[i + 1]!;
  const [, pb, rb] = b.shape as [number, number, number];
  sites[i + 1] = matmul(R, b.reshape(r, pb * rb)).reshape(k, pb, rb);
}

/** Site i made right-orthonormal; the remainder is pushed into site i−1. */
function shiftLeft(sites: Tensor[], i: number): void {
  const a = sites[i]!;
  const [l, p, r] = a.shape as [number, number, number];
  // A = L·Q with Q orthonormal rows: QR of Aᵀ = Q'·R' gives A = R'ᵀ·Q'ᵀ.
  const { Q, R } = qr(a.reshape(l, p * r).T);
  const k = Q.shape[1]!;
  sites[i] = Q.T.reshape(k, p, r);
  const b = sites[i - 1]!;
  const [lb, pb] = b.shape as [number, number, number];
  sites[i - 1] = matmul(b.reshape(lb * pb, l), R, { transB: true }).reshape(lb, pb, k);
}

/**
 * The state in mixed canonical form with orthogonality centre `centre`: sites left of
 * it left-orthonormal, sites right of it right-orthonormal. When the state already has
 * a centre only the sites between the old and the new one are swept.
 * @throws RangeError when `centre` is not a site number.
 */
export function canonicalize(psi: MatrixProductState, centre: number): MatrixProductState {
  const L = psi.length;
  if (!Number.isInteger(centre) || centre < 0 || centre >= L) throw new RangeError(`canonicalize: centre ${centre} is out of range for ${L} sites`);
  const sites = [...psi.sites];
  const from = psi.centre;
  const leftStart = from === null ? 0 : Math.min(from, centre);
  const rightStart = from === null ? L - 1 : Math.max(from, centre);
  for (let i = leftStart; i < centre; i++) shiftRight(sites, i);
  for (let i = rightStart; i > centre; i--) shiftLeft(sites, i);
  return psi.withSites(sites, centre);
}

/** Left-canonical form (centre at the last site). */
export function leftCanonical(psi: MatrixProductState): MatrixProductState {
  return canonicalize(psi, psi.length - 1);
}

/** Right-canonical form (centre at site 0). */
export function rightCanonical(psi: MatrixProductState): MatrixProductState {
  return canonicalize(psi, 0);
}

/**
 * ‖ψ‖ from the canonical form: the Frobenius norm of the centre site (canonicalizing
 * first when the state has no centre).
 */
export function mpsNorm(psi: MatrixProductState): number {
  const c = psi.centre ?? psi.length - 1;
  const canon = psi.centre === null ? canonicalize(psi, c) : psi;
  return frobeniusNorm(canon.sites[c]!);
}

/** The state divided by its norm (kept in canonical form, centre unchanged or the last site). */
export function normalize(psi: MatrixProductState): MatrixProductState {
  const c = psi.centre ?? psi.length - 1;
  const canon = psi.centre === null ? canonicalize(psi, c) : psi;
  const n = frobeniusNorm(canon.sites[c]!);
  if (!(n > 0)) throw new RangeError('normalize: the state has zero norm');
  const sites = [...canon.sites];
  const out = sites[c]!.copy();
  for (let k = 0; k < out.size; k++) out.data[k] = out.data[k]! / n;
  sites[c] = out;
  return canon.withSites(sites, c);
}
