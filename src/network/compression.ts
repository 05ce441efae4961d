import { matmul } from '../linalg/matmul.js';
import { truncatedSvd } from '../linalg/truncated-svd.js';
import { mul } from '../tensor/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';
import { canonicalize } from './canonical-form.js';
import type { MatrixProductState } from './matrix-product-state.js';

/** How far to truncate the bonds of an MPS. */
export interface TruncationOptions {
  /** Cap on the bond ranks: one positive integer for every bond, or one per bond (L−1 of them; default: no cap). */
  maxRank?: number | readonly number[];
  /**
   * Bound on the relative error ‖ψ − ψ̃‖ / ‖ψ‖ of the whole compression, in [0, 1]
   * (default 0: drop only exact zeros). Each of the L−1 bonds gets rse/√(L−1).
   */
  rse?: number;
}

/** The result of {@link compress}. */
export interface CompressionResult {
  state: MatrixProductState;
  /** √(Σ discarded s²) at each bond, in sweep order (bond 0 first). */
  discardedNorms: number[];
  /**
   * √(Σ discardedNorms²): equal to ‖ψ − ψ̃‖ in exact arithmetic, because each truncation
   * is an orthogonal projection applied in canonical form.
   */
  errorBound: number;
}

function checkOptions(options: TruncationOptions, bonds: number): void {
  const { maxRank, rse } = options;
  if (Array.isArray(maxRank)) {
    if (maxRank.length !== bonds) throw new RangeError(`compress: maxRank needs ${bonds} entries (one per bond), got ${maxRank.length}`);
    maxRank.forEach((r, k) => {
      if (!Number.isInteger(r) || r < 1) throw new RangeError(`compress: maxRank[${k}] must be a positive integer, got ${r}`);
    });
  } else if (maxRank !== undefined && (!Number.isInteger(maxRank) || (maxRank as number) < 1)) {
    throw new RangeError(`compress: maxRank must be a positive integer or one per bond, got ${String(maxRank)}`);
  }
  if (rse !== undefined && !(rse >= 0 && rse <= 1)) throw new RangeError(`compress: rse must be in [0, 1], got ${rse}`);
}

/**
 * SVD compression of an MPS: bring it to right-canonical form, then sweep left to right
 * truncating each bond with {@link truncatedSvd} to `maxRank` values and/or a tail
 * norm of rse/√(L−1) of the current centre norm (Oseledets' TT-SVD bound), so
 * ‖ψ − ψ̃‖ ≤ rse·‖ψ‖ when no `maxRank` cap binds. The result is left-canonical
 * (centre at the last site). A state whose bonds already exceed its true rank is
 * compressed exactly to that rank (up to rounding).
 */
export function compress(psi: MatrixProductState, options: TruncationOptions = {}): CompressionResult {
  const L = psi.length;
  checkOptions(options, Math.max(0, L - 1));
  const rse = options.rse ?? 0;
  const perBond = L > 1 ? rse / Math.sqrt(L - 1) : 0;
  const sites: Tensor[] = [...canonicalize(psi, 0).sites];
  const discardedNorms: number[] = [];
  for (let i = 0; i < L - 1; i++) {
    const a = sites[i]!;
    const [l, p, r] = a.shape as [number, number, number];
    const cap = typeof options.maxRank === 'number' ? options.maxRank : options.maxRank?.[i];
    const svdOptions = cap === undefined ? { rse: perBond } : { rse: perBond, maxRank: cap };
    const { U, S, Vt, rank, discardedNorm } = truncatedSvd(a.reshape(l * p, r), svdOptions);
    discardedNorms.push(discardedNorm);
    sites[i] = U.reshape(l, p, rank);
    const sv = mul(Vt, S.reshape(rank, 1)); // diag(S)·Vt
    const b = sites[i + 1]!;
    const [, pb, rb] = b.shape as [number, number, number];
    sites[i + 1] = matmul(sv, b.reshape(r, pb * rb)).reshape(rank, pb, rb);
  }
  const errorBound = Math.sqrt(discardedNorms.reduce((s, d) => s + d * d, 0));
  return { state: psi.withSites(sites, L - 1), discardedNorms, errorBound };
}
