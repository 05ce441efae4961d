import { einsum } from '../einsum/einsum.js';
import { compress, type TruncationOptions } from './compression.js';
import type { MatrixProductOperator } from './matrix-product-operator.js';
import { MatrixProductState } from './matrix-product-state.js';

function assertApplicable(op: MatrixProductOperator, psi: MatrixProductState, what: string): void {
  if (op.length !== psi.length) throw new RangeError(`${what}: the MPO has ${op.length} sites and the MPS ${psi.length}`);
  op.lower.forEach((ix, i) => {
    if (ix.dim !== psi.physical[i]!.dim) throw new RangeError(`${what}: site ${i}: MPO input dim ${ix.dim} ≠ MPS physical dim ${psi.physical[i]!.dim}`);
  });
}

/**
 * O|ψ⟩ as an MPS. Each site is contracted exactly, giving bonds of dimension
 * χ_O·χ_ψ; with `maxRank` or `rse` the result is then SVD-compressed (see
 * {@link compress}). Sites are matched by position. The result's physical indices are
 * ψ's when the operator is square, the MPO's output indices otherwise.
 */
export function applyMpo(op: MatrixProductOperator, psi: MatrixProductState, options: TruncationOptions = {}): MatrixProductState {
  assertApplicable(op, psi, 'applyMpo');
  const sites = op.sites.map((w, i) => {
    const b = psi.sites[i]!;
    const [lw, o, , rw] = w.shape as [number, number, number, number];
    const [lb, , rb] = b.shape as [number, number, number];
    return einsum('woiy,biz->wboyz', w, b).reshape(lw * lb, o, rw * rb);
  });
  const square = op.upper.every((ix, i) => ix.dim === psi.physical[i]!.dim);
  const exact = new MatrixProductState(sites, square ? psi.physical : op.upper);
  if (options.maxRank === undefined && options.rse === undefined) return exact;
  return compress(exact, options).state;
}
