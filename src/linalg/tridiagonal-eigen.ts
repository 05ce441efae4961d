import { makeRotation, rotateRows, rotation } from './givens.js';

const EPS = Number.EPSILON / 2;
const TINY = 2.2250738585072014e-308;
/** Implicit QR steps allowed per eigenvalue, on average. */
const MAX_STEPS = 30;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix (diagonal d,
 * off-diagonal e) by implicit QR steps with the Wilkinson shift (Golub & Van Loan,
 * Algorithm 8.3.3), chasing the bulge with plane rotations. The rotations are applied to
 * the rows of `qt` (n×cols, holding Qᵀ from A = Q·T·Qᵀ), which then holds the
 * eigenvectors as rows. On return d holds the eigenvalues in ascending order (rows of
 * qt permuted to match) and e is destroyed.
 */
export function tridiagonalEigen(d: Float64Array, e: Float64Array, qt: Float64Array, cols: number): void {
  const n = d.length;
  const cs = new Float64Array(n);
  const sn = new Float64Array(n);
  let steps = 0;
  let m = n - 1;
  while (m > 0) {
    // The unreduced block l…m at the bottom.
    let l = m;
    while (l > 0) {
      const off = Math.abs(e[l - 1]!);
      if (off <= EPS * (Math.abs(d[l - 1]!) + Math.abs(d[l]!)) || off < TINY) {
        e[l - 1] = 0;
        break;
      }
      l--;
    }
    if (l === m) {
      m--;
      continue;
    }
    if (++steps > MAX_STEPS * n) {
      throw new Error(`eigh: the tridiagonal QR iteration did not converge after ${steps} steps (n = ${n})`);
    }
    // Wilkinson shift: the eigenvalue of the trailing 2×2 block closer to d[m].
    const delta = (d[m - 1]! - d[m]!) / 2;
    const b = e[m - 1]!;
    const root = Math.hypot(delta, b);
    const mu = d[m]! - (b * b) / (delta + (delta >= 0 ? root : -root));
    let x = d[l]! - mu;
    let z = e[l]!;
    for (let k = l; k < m; k++) {
      makeRotation(x, z);
      const c = rotation[0]!;
      const s = rotation[1]!;
      if (k > l) e[k - 1] = rotation[2]!;
      const dk = d[k]!;
      const ek = e[k]!;
      const dk1 = d[k + 1]!;
      d[k] = c * c * dk + 2 * c * s * ek + s * s * dk1;
      d[k + 1] = s * s * dk - 2 * c * s * ek + c * c * dk1;
      e[k] = c * s * (dk1 - dk) + (c * c - s * s) * ek;
      if (k < m - 1) {
        z = s * e[k + 1]!;
        e[k + 1] = c * e[k + 1]!;
        x = e[k]!;
      }
      // qt rows (k, k+1): row_k ← c·row_k + s·row_{k+1}, row_{k+1} ← c·row_{k+1} − s·row_k.
      cs[k - l] = c;
      sn[k - l] = s;
    }
    rotateRows(qt, cols, l, m - l, cs, sn, true);
  }
  // Ascending order.
  for (let i = 0; i < n - 1; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (d[j]! < d[best]!) best = j;
    if (best === i) continue;
    const t = d[i]!;
    d[i] = d[best]!;
    d[best] = t;
    for (let q = 0; q < cols; q++) {
      const u = qt[i * cols + q]!;
      qt[i * cols + q] = qt[best * cols + q]!;
      qt[best * cols + q] = u;
    }
  }
}
