import type { Kernel } from '../kernels/kernel.js';
import { applyWyLeft, compactWy, type CompactWy } from './compact-wy.js';
import { copyBlock, storeBlock } from './dense.js';
import { makeReflector } from './householder.js';

/** Columns per panel of the blocked QR: the trailing updates are gemms with this inner size. */
const PANEL = 32;

/**
 * Thin Householder QR of an m×n row-major f64 matrix, k = min(m, n): A = Q·R with Q m×k
 * (orthonormal columns) and R k×n upper trapezoidal with a non-negative diagonal.
 *
 * Blocked (LAPACK geqrf/orgqr style): each panel of {@link PANEL} columns is factored
 * with level-2 updates, its reflectors are gathered into compact WY form, and the
 * trailing matrix, and later Q, are updated with three gemms on the active kernel.
 * `a` is overwritten.
 */
export function householderQr(a: Float64Array, m: number, n: number, kernel: Kernel): { q: Float64Array; r: Float64Array } {
  const k = Math.min(m, n);
  const blocks: CompactWy[] = [];
  const blockStarts: number[] = [];
  const w = new Float64Array(PANEL);
  for (let j0 = 0; j0 < k; j0 += PANEL) {
    const jb = Math.min(PANEL, k - j0);
    const taus = factorPanel(a, m, n, j0, jb, w);
    const block = panelWy(a, m, n, j0, jb, taus, kernel);
    blocks.push(block);
    blockStarts.push(j0);
    const c0 = j0 + jb;
    if (c0 < n) {
      // Trailing columns ← (I − V·Tᵀ·Vᵀ)·C, i.e. the panel's reflectors applied as Qᵀ.
      const C = copyBlock(a, n, j0, m, c0, n);
      applyWyLeft(block, C, n - c0, true, kernel);
      storeBlock(a, n, j0, c0, C, n - c0);
    }
  }

  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) r.set(a.subarray(i * n + i, i * n + n), i * n + i);

  // Q = H_0·…·H_{k−1}·I[:, :k], applied block by block from the last one, so each block
  // only touches the rows and columns from its start on (the rest is still the identity).
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let b = blocks.length - 1; b >= 0; b--) {
    const s = blockStarts[b]!;
    const C = copyBlock(q, k, s, m, s, k);
    applyWyLeft(blocks[b]!, C, k - s, false, kernel);
    storeBlock(q, k, s, s, C, k - s);
  }

  // Make the diagonal of R non-negative so the factorization is unique for full-rank A.
  for (let i = 0; i < k; i++) {
    if (r[i * n + i]! < 0) {
      for (let j = i; j < n; j++) r[i * n + j] = -r[i * n + j]!;
      for (let p = 0; p < m; p++) q[p * k + i] = -q[p * k + i]!;
    }
  }
  return { q, r };
}

/** Householder QR of the panel columns [j0, j0 + jb) (rows j0…m−1) in place; returns the τs. */
function factorPanel(a: Float64Array, m: number, n: number, j0: number, jb: number, w: Float64Array): number[] {
  const taus: number[] = [];
  const cEnd = j0 + jb;
  for (let c = j0; c < cEnd; c++) {
    const { beta, tau } = makeReflector(a[c * n + c]!, a, (c + 1) * n + c, n, m - c - 1);
    a[c * n + c] = beta;
    taus.push(tau);
    const c1 = c + 1;
    const width = cEnd - c1;
    if (tau === 0 || width === 0) continue;
    // w = τ·vᵀ·A[c:, c1:cEnd], then A[c:, c1:cEnd] −= v·w (v[c] = 1 is implicit).
    for (let j = 0; j < width; j++) w[j] = a[c * n + c1 + j]!;
    for (let r = c + 1; r < m; r++) {
      const vr = a[r * n + c]!;
      if (vr === 0) continue;
      const row = r * n + c1;
      for (let j = 0; j < width; j++) w[j] = w[j]! + vr * a[row + j]!;
    }
    for (let j = 0; j < width; j++) {
      w[j] = tau * w[j]!;
      a[c * n + c1 + j] = a[c * n + c1 + j]! - w[j]!;
    }
    for (let r = c + 1; r < m; r++) {
      const vr = a[r * n + c]!;
      if (vr === 0) continue;
      const row = r * n + c1;
      for (let j = 0; j < width; j++) a[row + j] = a[row + j]! - vr * w[j]!;
    }
  }
  return taus;
}

/** Gathers a factored panel's reflector vectors (unit lower trapezoidal) into compact WY form. */
function panelWy(a: Float64Array, m: number, n: number, j0: number, jb: number, taus: number[], kernel: Kernel): CompactWy {
  const rows = m - j0;
  const V = new Float64Array(rows * jb);
  for (let i = 0; i < rows; i++) {
    const src = (j0 + i) * n + j0;
    for (let t = 0; t < jb; t++) V[i * jb + t] = i > t ? a[src + t]! : i === t ? 1 : 0;
  }
  return compactWy(V, rows, jb, taus, kernel);
}
