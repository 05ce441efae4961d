/**
 * Differentiable matrix factorizations (thin SVD, QR for m ≥ n) and matmul.
 *
 * SVD gradient (Townsend 2016, "Differentiating the singular value decomposition"),
 * for A = U·diag(s)·Vᵀ (m×n, k = min(m, n)):
 *
 *   Ā = U[(F∘(UᵀŪ − ŪᵀU))S + diag(s̄) + S(F∘(VᵀV̄ − V̄ᵀV))]Vᵀ
 *       + (I − UUᵀ)ŪS⁻¹Vᵀ + US⁻¹V̄ᵀ(I − VVᵀ),     F_ij = 1/(s_j² − s_i²), F_ii = 0.
 *
 * Regularisation (documented choice): F's denominator d = s_j² − s_i² is replaced by
 * sign(d)·max(|d|, ε) with ε = 1e-12·s_max², and F_ij = 0 when d is exactly 0 (that
 * component is a gauge freedom of degenerate singular vectors, which a well-posed loss
 * does not depend on). S⁻¹ uses 1/max(s_i, 1e-12·s_max). Losses that depend only on
 * the singular values (nuclear norm, entropies) thus get exact, finite gradients even
 * for degenerate spectra; losses that depend on individual degenerate singular vectors
 * are ill-defined and get a bounded, regularised gradient instead of Infinity.
 *
 * QR gradient (m ≥ n, A = QR, R with a non-negative diagonal; Liao et al. 2019,
 * "Differentiable programming tensor networks"):
 *
 *   M = R R̄ᵀ − Q̄ᵀQ,   Ā = (Q̄ + Q·copyltu(M)) R⁻ᵀ,
 *
 * where copyltu(M) mirrors M's lower triangle into the upper one.
 */
import { matmul as gemm } from '../../linalg/matmul.js';
import { qr as qrFactor } from '../../linalg/qr.js';
import { svd as svdFactor } from '../../linalg/svd.js';
import type { DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../loops.js';
import { asVar, type VarLike } from '../operand.js';
import { applyMultiOp, defineMultiOp } from '../tape.js';
import type { Var } from '../variable.js';
import { einsum } from './einsum.js';

/** Relative floor of the regularised denominators (see the module comment). */
export const SVD_GRAD_EPS = 1e-12;

interface SvdSaved {
  U: Tensor;
  s: Float64Array;
  Vt: Tensor;
  m: number;
  n: number;
  dtype: DType;
}

const f64 = (t: Tensor): Tensor => t.astype('f64');

export const svdRule = defineMultiOp({
  name: 'svd',
  multiOutput: true,
  forward([a]: readonly Tensor[]) {
    if (a!.ndim !== 2) throw new RangeError(`svd: needs a 2-D matrix, got shape ${fmt(a!.shape)}`);
    const { U, S, Vt } = svdFactor(a!);
    const [m, n] = a!.shape as [number, number];
    return {
      values: [U, S, Vt],
      saved: { U: f64(U), s: Float64Array.from(S.toTypedArray()), Vt: f64(Vt), m, n, dtype: a!.dtype },
    };
  },
  vjp([gU, gS, gVt], { U, s, Vt, m, n, dtype }: SvdSaved) {
    const k = s.length;
    const smax = k > 0 ? s[0]! : 0;
    const eps = SVD_GRAD_EPS * smax * smax;
    const F = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (i === j) continue;
        const d = s[j]! * s[j]! - s[i]! * s[i]!;
        F[i * k + j] = d === 0 ? 0 : 1 / (Math.sign(d) * Math.max(Math.abs(d), eps));
      }
    }
    const sInv = s.map((v) => 1 / Math.max(v, SVD_GRAD_EPS * smax));
    const inner = new Float64Array(k * k);
    let X: Float64Array | null = null;
    if (gU) {
      X = gemm(U, f64(gU), { transA: true }).data as Float64Array;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) inner[i * k + j] += F[i * k + j]! * (X[i * k + j]! - X[j * k + i]!) * s[j]!;
    }
    if (gS) {
      const gs = gS.contiguous().data;
      for (let i = 0; i < k; i++) inner[i * k + i] += gs[i]!;
    }
    if (gVt) {
      const Y = gemm(Vt, f64(gVt), { transB: true }).data;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) inner[i * k + j] += s[i]! * F[i * k + j]! * (Y[i * k + j]! - Y[j * k + i]!);
    }
    const gA = gemm(gemm(U, new Tensor(inner, [k, k])), Vt).data;
    if (gU && m > k) {
      // (I − UUᵀ)Ū S⁻¹ Vᵀ
      const P = f64(gU).copy();
      const UX = gemm(U, new Tensor(X!, [k, k])).data;
      const p = P.data;
      for (let r = 0; r < m; r++) for (let c = 0; c < k; c++) p[r * k + c] = (p[r * k + c]! - UX[r * k + c]!) * sInv[c]!;
      const t = gemm(P, Vt).data;
      for (let i = 0; i < gA.length; i++) gA[i] += t[i]!;
    }
    if (gVt && n > k) {
      // U S⁻¹ V̄ᵀ(I − VVᵀ), with V̄ᵀ = gVt
      const G = f64(gVt);
      const Z = gemm(G, Vt, { transB: true });
      const Q = gemm(Z, Vt).data;
      const g = G.contiguous().data;
      const q = new Float64Array(k * n);
      for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) q[r * n + c] = (g[r * n + c]! - Q[r * n + c]!) * sInv[r]!;
      const t = gemm(U, new Tensor(q, [k, n])).data;
      for (let i = 0; i < gA.length; i++) gA[i] += t[i]!;
    }
    return [new Tensor(gA, [m, n]).astype(dtype)];
  },
});

interface QrSaved {
  Q: Tensor;
  R: Tensor;
  m: number;
  n: number;
  dtype: DType;
}

export const qrRule = defineMultiOp({
  name: 'qr',
  multiOutput: true,
  forward([a]: readonly Tensor[]) {
    if (a!.ndim !== 2) throw new RangeError(`qr: needs a 2-D matrix, got shape ${fmt(a!.shape)}`);
    const { Q, R } = qrFactor(a!);
    const [m, n] = a!.shape as [number, number];
    return { values: [Q, R], saved: { Q: f64(Q), R: f64(R), m, n, dtype: a!.dtype } };
  },
  vjp([gQ, gR], { Q, R, m, n, dtype }: QrSaved) {
    if (m < n) throw new RangeError(`qr: the gradient is implemented for m ≥ n only, got a ${m}×${n} matrix`);
    const r = R.data;
    for (let i = 0; i < n; i++) {
      if (r[i * n + i] === 0) throw new RangeError(`qr: the gradient needs a full-rank matrix, but R[${i}, ${i}] = 0`);
    }
    const M = new Float64Array(n * n);
    if (gR) {
      const t = gemm(R, f64(gR), { transB: true }).data;
      for (let i = 0; i < M.length; i++) M[i] += t[i]!;
    }
    if (gQ) {
      const t = gemm(f64(gQ), Q, { transA: true }).data;
      for (let i = 0; i < M.length; i++) M[i] -= t[i]!;
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) M[i * n + j] = M[j * n + i]!;
    const B = gemm(Q, new Tensor(M, [n, n])).data;
    if (gQ) {
      const g = f64(gQ).contiguous().data;
      for (let i = 0; i < B.length; i++) B[i] += g[i]!;
    }
    // Ā = B R⁻ᵀ: each row x solves R xᵀ = bᵀ by back substitution.
    for (let row = 0; row < m; row++) {
      const o = row * n;
      for (let i = n - 1; i >= 0; i--) {
        let v = B[o + i]!;
        for (let j = i + 1; j < n; j++) v -= r[i * n + j]! * B[o + j]!;
        B[o + i] = v / r[i * n + i]!;
      }
    }
    return [new Tensor(B, [m, n]).astype(dtype)];
  },
});

/**
 * Thin SVD A = U·diag(S)·Vt of a 2-D variable (k = min(m, n)), differentiable through
 * all three factors; see the module comment for the handling of (near-)degenerate
 * singular values.
 */
export function svd(a: VarLike): { U: Var; S: Var; Vt: Var } {
  const [U, S, Vt] = applyMultiOp(svdRule, [asVar(a)], undefined);
  return { U: U!, S: S!, Vt: Vt! };
}

/** Thin QR A = Q·R of a 2-D variable; differentiable for m ≥ n and full rank. */
export function qr(a: VarLike): { Q: Var; R: Var } {
  const v = asVar(a);
  if (v.requiresGrad && v.ndim === 2 && v.shape[0]! < v.shape[1]!) {
    throw new RangeError(`qr: the gradient is implemented for m ≥ n only, got shape ${fmt(v.shape)}`);
  }
  const [Q, R] = applyMultiOp(qrRule, [v], undefined);
  return { Q: Q!, R: R! };
}

/** Matrix product of the last two axes (leading axes broadcast as batch dimensions). */
export function matmul(a: VarLike, b: VarLike): Var {
  const x = asVar(a);
  const y = asVar(b);
  for (const [label, v] of [['A', x], ['B', y]] as const) {
    if (v.ndim < 2) throw new RangeError(`matmul: ${label} must have at least 2 dimensions, got shape ${fmt(v.shape)}`);
  }
  if (x.shape[x.ndim - 1] !== y.shape[y.ndim - 2]) {
    throw new RangeError(`matmul: inner dimensions differ: A is ${fmt(x.shape)} and B is ${fmt(y.shape)}`);
  }
  return x.ndim === 2 && y.ndim === 2 ? einsum('ij,jk->ik', x, y) : einsum('...ij,...jk->...ik', x, y);
}
