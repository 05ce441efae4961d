import type { Kernel } from '../kernels/kernel.js';
import { applyWyRight, compactWy } from './compact-wy.js';
import { copyBlock, storeBlock } from './dense.js';

/**
 * Householder reflectors H = I − τ·v·vᵀ with v[0] = 1, the building block of the QR,
 * bidiagonal and tridiagonal reductions.
 */

/** β and τ of a reflector made by {@link makeReflector}. */
export interface Reflector {
  /** The value H maps the vector onto: H·[α; x] = [β; 0]. */
  beta: number;
  /** 0 when x is already zero (H = I), else in [1, 2]. */
  tau: number;
}

/**
 * Builds the reflector with H·[α; x] = [β; 0], |β| = ‖[α; x]‖, where x is `len` entries of
 * `data` from `offset` with `stride`. Overwrites x with v[1…] (v[0] = 1 is implicit).
 * β takes the sign opposite to α so that α − β never cancels.
 */
export function makeReflector(alpha: number, data: Float64Array, offset: number, stride: number, len: number): Reflector {
  const xnorm = stridedNorm(data, offset, stride, len);
  if (xnorm === 0) return { beta: alpha, tau: 0 };
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const scale = 1 / (alpha - beta);
  for (let i = 0, p = offset; i < len; i++, p += stride) data[p] = data[p]! * scale;
  return { beta, tau };
}

/** 2-norm of a strided vector, rescaled only when the plain sum of squares would over- or underflow. */
export function stridedNorm(data: Float64Array, offset: number, stride: number, len: number): number {
  let ss = 0;
  for (let i = 0, p = offset; i < len; i++, p += stride) {
    const v = data[p]!;
    ss += v * v;
  }
  if (ss > 1e-290 && ss < 1e290) return Math.sqrt(ss);
  let big = 0;
  for (let i = 0, p = offset; i < len; i++, p += stride) big = Math.max(big, Math.abs(data[p]!));
  if (big === 0 || !Number.isFinite(big)) return big;
  ss = 0;
  for (let i = 0, p = offset; i < len; i++, p += stride) {
    const v = data[p]! / big;
    ss += v * v;
  }
  return big * Math.sqrt(ss);
}

/** Reflectors per gemm block when accumulating a product of reflectors. */
const BLOCK = 32;

/**
 * The n×n product M = H_{p−1}·…·H_1·H_0 of reflectors H_i = I − τ_i·v_i·v_iᵀ acting on
 * indices starts[i]…n−1 (v_i has n − starts[i] entries, v_i[0] = 1; starts increasing).
 *
 * This is Qᵀ for Q = H_0·…·H_{p−1}: its rows are Q's columns, the layout the rotation
 * sweeps want (they combine contiguous rows). Built from the right, M ← M·H_i for i
 * descending, so each step only touches the trailing block from starts[i] on (the rest
 * of M is still the identity there); the reflectors go in blocks of {@link BLOCK} as
 * compact-WY gemms on `kernel`.
 */
export function reflectorProductTransposed(
  n: number, starts: readonly number[], vs: readonly Float64Array[], taus: readonly number[], kernel: Kernel,
): Float64Array {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) M[i * n + i] = 1;
  const p = starts.length;
  for (let end = p; end > 0; end -= BLOCK) {
    const first = Math.max(0, end - BLOCK);
    const b = end - first;
    const s = starts[first]!;
    const len = n - s;
    const V = new Float64Array(len * b);
    for (let t = 0; t < b; t++) {
      const v = vs[first + t]!;
      const off = starts[first + t]! - s;
      for (let j = 0; j < v.length; j++) V[(off + j) * b + t] = v[j]!;
    }
    const wy = compactWy(V, len, b, taus.slice(first, end), kernel);
    // M[s:, s:] ← M[s:, s:]·(H_first·…·H_{end−1})ᵀ.
    const C = copyBlock(M, n, s, n, s, n);
    applyWyRight(wy, C, len, kernel);
    storeBlock(M, n, s, s, C, len);
  }
  return M;
}
