import type { FloatArray } from '../tensor/dtype.js';

/**
 * Entries within this fraction of a column's largest magnitude count as tied, and the
 * first of them decides the sign. Backends differ by rounding only, so with this slack
 * they pick the same entry unless one sits right at the threshold.
 */
const TIE_SLACK = 1e-3;

/**
 * Makes a factorization's signs deterministic: flips column j of `cols`-wide row-major
 * `u` (rows×cols) so that its first entry of (near-)largest magnitude is positive, and
 * flips row j of `partner` (cols×partnerCols, e.g. Vt) with it so the product is unchanged.
 * Every backend's result goes through this, so they agree column by column.
 */
export function normalizeColumnSigns(u: FloatArray, rows: number, cols: number, partner?: FloatArray, partnerCols = 0): void {
  for (let j = 0; j < cols; j++) {
    let big = 0;
    for (let i = 0; i < rows; i++) big = Math.max(big, Math.abs(u[i * cols + j]!));
    if (big === 0) continue;
    const threshold = big * (1 - TIE_SLACK);
    let i = 0;
    while (Math.abs(u[i * cols + j]!) < threshold) i++;
    if (u[i * cols + j]! > 0) continue;
    for (let p = 0; p < rows; p++) u[p * cols + j] = -u[p * cols + j]!;
    if (partner) {
      const off = j * partnerCols;
      for (let q = 0; q < partnerCols; q++) partner[off + q] = -partner[off + q]!;
    }
  }
}
