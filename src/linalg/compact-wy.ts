import type { Kernel } from '../kernels/kernel.js';

/**
 * The compact WY form of b consecutive Householder reflectors (Schreiber–Van Loan):
 * H_0·H_1·…·H_{b−1} = I − V·T·Vᵀ with V unit lower trapezoidal (rows×b) and T upper
 * triangular (b×b). It turns b rank-1 updates into gemms on the kernel.
 */
export interface CompactWy {
  V: Float64Array;
  T: Float64Array;
  rows: number;
  width: number;
}

/** Forms T for the reflector vectors in the columns of V (LAPACK's larft, forward, columnwise). */
export function compactWy(V: Float64Array, rows: number, width: number, taus: readonly number[], kernel: Kernel): CompactWy {
  const b = width;
  // G = VᵀV; column t of T is [−τ_t·T[:t, :t]·G[:t, t]; τ_t].
  const G = new Float64Array(b * b);
  kernel.gemm(true, false, b, b, rows, 1, V, V, 0, G);
  const T = new Float64Array(b * b);
  const z = new Float64Array(b);
  for (let t = 0; t < b; t++) {
    const tau = taus[t]!;
    T[t * b + t] = tau;
    if (tau === 0) continue;
    for (let i = 0; i < t; i++) {
      let s = 0;
      for (let p = i; p < t; p++) s += T[i * b + p]! * G[p * b + t]!;
      z[i] = s;
    }
    for (let i = 0; i < t; i++) T[i * b + t] = -tau * z[i]!;
  }
  return { V, T, rows, width };
}

/**
 * C ← (I − V·op(T)·Vᵀ)·C for a dense rows×cols C: op(T) = Tᵀ applies the block's
 * transpose (Qᵀ·C), op(T) = T applies the block itself (Q·C).
 */
export function applyWyLeft(wy: CompactWy, C: Float64Array, cols: number, transposeT: boolean, kernel: Kernel): void {
  const { V, T, rows, width: b } = wy;
  if (cols === 0 || rows === 0) return;
  const W = new Float64Array(b * cols);
  kernel.gemm(true, false, b, cols, rows, 1, V, C, 0, W);
  triangularTimesRows(T, b, W, cols, transposeT);
  kernel.gemm(false, false, rows, cols, b, -1, V, W, 1, C);
}

/**
 * C ← C·(I − V·op(T)·Vᵀ)ᵀ = C − (C·V)·op(T)ᵀ·Vᵀ for a dense cols-wide C (rows×… where
 * C has `wy.rows` columns). With op(T) = T this is C·(H_0·…·H_{b−1})ᵀ.
 */
export function applyWyRight(wy: CompactWy, C: Float64Array, cRows: number, kernel: Kernel): void {
  const { V, T, rows: len, width: b } = wy;
  if (cRows === 0 || len === 0) return;
  const W = new Float64Array(cRows * b);
  kernel.gemm(false, false, cRows, b, len, 1, C, V, 0, W);
  // W ← W·Tᵀ: W'[r, i] = Σ_{t ≥ i} W[r, t]·T[i, t]; ascending i reads only columns t ≥ i.
  for (let r = 0; r < cRows; r++) {
    const w = r * b;
    for (let i = 0; i < b; i++) {
      let s = 0;
      for (let t = i; t < b; t++) s += W[w + t]! * T[i * b + t]!;
      W[w + i] = s;
    }
  }
  kernel.gemm(false, true, cRows, len, b, -1, W, V, 1, C);
}

/** W ← op(T)·W in place for upper triangular T (b×b) and W b×cols. */
function triangularTimesRows(T: Float64Array, b: number, W: Float64Array, cols: number, transposeT: boolean): void {
  if (transposeT) {
    // Row i of TᵀW uses rows t ≤ i: go bottom-up so they are still the originals.
    for (let i = b - 1; i >= 0; i--) {
      const wi = i * cols;
      const tii = T[i * b + i]!;
      for (let j = 0; j < cols; j++) W[wi + j] = tii * W[wi + j]!;
      for (let t = 0; t < i; t++) {
        const f = T[t * b + i]!;
        if (f === 0) continue;
        const wt = t * cols;
        for (let j = 0; j < cols; j++) W[wi + j] = W[wi + j]! + f * W[wt + j]!;
      }
    }
  } else {
    // Row i of TW uses rows t ≥ i: go top-down.
    for (let i = 0; i < b; i++) {
      const wi = i * cols;
      const tii = T[i * b + i]!;
      for (let j = 0; j < cols; j++) W[wi + j] = tii * W[wi + j]!;
      for (let t = i + 1; t < b; t++) {
        const f = T[i * b + t]!;
        if (f === 0) continue;
        const wt = t * cols;
        for (let j = 0; j < cols; j++) W[wi + j] = W[wi + j]! + f * W[wt + j]!;
      }
    }
  }
}
