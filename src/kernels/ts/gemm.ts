import type { FloatArray } from '../../tensor/dtype.js';

/*
 * Reference GEMM in plain TypeScript, organised like a BLAS (Goto/BLIS) kernel:
 *
 *   for each NC-wide column panel of op(B):
 *     for each KC-deep slice of k:
 *       pack the KC×NC panel of op(B) into micro-panels of NR columns
 *       for each MC-tall row block of op(A):
 *         pack the MC×KC block of op(A) into micro-panels of MR rows
 *         for every MR×NR tile of C: a register-blocked micro-kernel
 *
 * Packing handles both transposes, pads the edges with zeros (so the micro-kernel
 * only ever sees full tiles) and converts f32 input to f64. The micro-kernel thus
 * only ever reads Float64Array scratch, so V8 compiles one monomorphic loop for both
 * dtypes, and f32 products accumulate in doubles. Only packing and the write-back
 * into C touch the caller's arrays; they come in one function per dtype so each
 * access site sees a single typed-array kind.
 */

/**
 * Rows of C per micro-tile. 3×4 measured fastest in V8 (x64): 12 accumulators plus
 * the 7 operands nearly fit the 16 vector registers; 4×4 spills more.
 */
const MR = 3;
/** Columns of C per micro-tile. */
const NR = 4;
/** Depth of one packed slice: a KC×NR micro-panel of B (8 KiB) stays in L1. */
const KC = 256;
/** Rows of a packed A block (a multiple of MR): MC×KC doubles (288 KiB) stay in L2. */
const MC = 144;
/** Columns of a packed B panel: KC×NC doubles (2 MiB) live in L2/L3. */
const NC = 1024;
/**
 * Up to this many multiply-adds, direct loops beat packing. Measured: packing already
 * wins at 8×8×8, so only the tiniest products take the direct path.
 */
const SMALL_WORK = 64;

/**
 * One scratch array holds the micro-tile result, the packed A block and the packed B
 * panel, in that order: with a single array the micro-kernel's loop checks one map
 * and keeps one base pointer, which V8 turns into measurably faster code. It is reused
 * across calls (gemmTs never re-enters itself) and grown on demand.
 */
let work = new Float64Array(0);
/** Offset of the packed A block in `work` (after the tile). */
const A_AT = MR * NR;

/**
 * C ← alpha·op(A)·op(B) + beta·C for dense row-major matrices, op(A) m×k, op(B) k×n.
 * A is stored m×k (k×m when `transA`), B k×n (n×k when `transB`), C m×n. All three
 * arrays share one dtype. When beta is 0, C is only written, never read. Arguments
 * are assumed valid (the backend checks them with `checkGemmArgs`).
 */
export function gemmTs(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray,
): void {
  if (c instanceof Float64Array) {
    scale64(c, m * n, beta);
    if (k === 0 || alpha === 0 || m === 0 || n === 0) return;
    if (m * n * k <= SMALL_WORK) small64(transA, transB, m, n, k, alpha, a as Float64Array, b as Float64Array, c);
    else blocked(transA, transB, m, n, k, alpha, a, b, c);
  } else {
    scale32(c, m * n, beta);
    if (k === 0 || alpha === 0 || m === 0 || n === 0) return;
    if (m * n * k <= SMALL_WORK) small32(transA, transB, m, n, k, alpha, a as Float32Array, b as Float32Array, c);
    else blocked(transA, transB, m, n, k, alpha, a, b, c);
  }
}

/** The cache-blocked path shared by both dtypes: everything but packing and write-back runs on f64 scratch. */
function blocked(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: FloatArray, b: FloatArray, c: FloatArray,
): void {
  const is64 = c instanceof Float64Array;
  const kcMax = Math.min(KC, k);
  const bAt = A_AT + roundUp(Math.min(MC, m), MR) * kcMax;
  const need = bAt + roundUp(Math.min(NC, n), NR) * kcMax;
  if (work.length < need) work = new Float64Array(need);
  const W = work;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      if (is64) packB64(transB, b as Float64Array, n, k, pc, kc, jc, nc, W, bAt);
      else packB32(transB, b as Float32Array, n, k, pc, kc, jc, nc, W, bAt);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        if (is64) packA64(transA, a as Float64Array, m, k, ic, mc, pc, kc, W, A_AT);
        else packA32(transA, a as Float32Array, m, k, ic, mc, pc, kc, W, A_AT);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bo = bAt + jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(kc, W, A_AT + ir * kc, bo);
            const mr = Math.min(MR, mc - ir);
            const c0 = (ic + ir) * n + jc + jr;
            if (is64) store64(c as Float64Array, c0, n, mr, nr, alpha, W);
            else store32(c as Float32Array, c0, n, mr, nr, alpha, W);
          }
        }
      }
    }
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * W[0…MR·NR) ← Σ_p A[:, p] ⊗ B[p, :] for one 3×4 tile, where the packed A micro-panel
 * starts at W[ao] and the B micro-panel at W[bo]. The 12 accumulators stay in
 * registers for the whole k loop; each step reads 3 values of A and 4 of B for 24
 * flops. Indices are truncated with `| 0` so V8 drops the int32 overflow checks (all
 * offsets are far below 2^31).
 */
function microKernel(kc: number, W: Float64Array, ao: number, bo: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  const end = (ao + kc * MR) | 0;
  for (; ao < end; ao = (ao + MR) | 0, bo = (bo + NR) | 0) {
    const a0 = W[ao]!, a1 = W[(ao + 1) | 0]!, a2 = W[(ao + 2) | 0]!;
    const b0 = W[bo]!, b1 = W[(bo + 1) | 0]!, b2 = W[(bo + 2) | 0]!, b3 = W[(bo + 3) | 0]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
  }
  W[0] = c00; W[1] = c01; W[2] = c02; W[3] = c03;
  W[4] = c10; W[5] = c11; W[6] = c12; W[7] = c13;
  W[8] = c20; W[9] = c21; W[10] = c22; W[11] = c23;
}

// ---- Per-dtype code. The f64 and f32 versions are identical apart from the array
// ---- type: keep them in step when editing.

/** C ← beta·C over the first `size` elements; beta = 0 overwrites (NaN in C does not survive). */
function scale64(c: Float64Array, size: number, beta: number): void {
  if (beta === 0) c.fill(0, 0, size);
  else if (beta !== 1) for (let i = 0; i < size; i++) c[i] = beta * c[i]!;
}

function scale32(c: Float32Array, size: number, beta: number): void {
  if (beta === 0) c.fill(0, 0, size);
  else if (beta !== 1) for (let i = 0; i < size; i++) c[i] = beta * c[i]!;
}

/** C[c0 + i·ldc + j] += alpha·T[i·NR + j] for the valid mr×nr corner of the tile at the start of T. */
function store64(c: Float64Array, c0: number, ldc: number, mr: number, nr: number, alpha: number, T: Float64Array): void {
  for (let i = 0; i < mr; i++) {
    const r = c0 + i * ldc;
    const t = i * NR;
    for (let j = 0; j < nr; j++) c[r + j] += alpha * T[t + j]!;
  }
}

function store32(c: Float32Array, c0: number, ldc: number, mr: number, nr: number, alpha: number, T: Float64Array): void {
  for (let i = 0; i < mr; i++) {
    const r = c0 + i * ldc;
    const t = i * NR;
    // Add in double precision and round once.
    for (let j = 0; j < nr; j++) c[r + j] = c[r + j]! + alpha * T[t + j]!;
  }
}

/**
 * Packs rows ic…ic+mc and columns pc…pc+kc of op(A) into out[at…] as micro-panels of
 * MR rows: panel q holds op(A)[ic+q·MR+r, pc+p] at q·MR·kc + p·MR + r, zero-padded
 * to MR rows.
 */
function packA64(trans: boolean, a: Float64Array, m: number, k: number, ic: number, mc: number, pc: number, kc: number, out: Float64Array, at: number): void {
  let o = at;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const i0 = ic + ir;
    if (rows === MR) {
      if (!trans) {
        // op(A)[i, p] = a[i·k + p]: MR rows of the stored A advance together.
        let s0 = i0 * k + pc, s1 = s0 + k, s2 = s1 + k;
        for (let p = 0; p < kc; p++, o += MR) {
          out[o] = a[s0++]!; out[o + 1] = a[s1++]!; out[o + 2] = a[s2++]!;
        }
      } else {
        // op(A)[i, p] = a[p·m + i]: the MR values of one p are contiguous.
        for (let p = 0, s = pc * m + i0; p < kc; p++, o += MR, s += m) {
          out[o] = a[s]!; out[o + 1] = a[s + 1]!; out[o + 2] = a[s + 2]!;
        }
      }
    } else {
      // Last, partial panel: zero rows beyond m.
      const rs = trans ? 1 : k, ps = trans ? m : 1;
      for (let p = 0; p < kc; p++, o += MR) {
        for (let r = 0; r < MR; r++) out[o + r] = r < rows ? a[(i0 + r) * rs + (pc + p) * ps]! : 0;
      }
    }
  }
}

function packA32(trans: boolean, a: Float32Array, m: number, k: number, ic: number, mc: number, pc: number, kc: number, out: Float64Array, at: number): void {
  let o = at;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const i0 = ic + ir;
    if (rows === MR) {
      if (!trans) {
        // op(A)[i, p] = a[i·k + p]: MR rows of the stored A advance together.
        let s0 = i0 * k + pc, s1 = s0 + k, s2 = s1 + k;
        for (let p = 0; p < kc; p++, o += MR) {
          out[o] = a[s0++]!; out[o + 1] = a[s1++]!; out[o + 2] = a[s2++]!;
        }
      } else {
        // op(A)[i, p] = a[p·m + i]: the MR values of one p are contiguous.
        for (let p = 0, s = pc * m + i0; p < kc; p++, o += MR, s += m) {
          out[o] = a[s]!; out[o + 1] = a[s + 1]!; out[o + 2] = a[s + 2]!;
        }
      }
    } else {
      // Last, partial panel: zero rows beyond m.
      const rs = trans ? 1 : k, ps = trans ? m : 1;
      for (let p = 0; p < kc; p++, o += MR) {
        for (let r = 0; r < MR; r++) out[o + r] = r < rows ? a[(i0 + r) * rs + (pc + p) * ps]! : 0;
      }
    }
  }
}

/**
 * Packs rows pc…pc+kc and columns jc…jc+nc of op(B) into out[at…] as micro-panels of
 * NR columns: panel q holds op(B)[pc+p, jc+q·NR+j] at q·NR·kc + p·NR + j, zero-padded
 * to NR columns.
 */
function packB64(trans: boolean, b: Float64Array, n: number, k: number, pc: number, kc: number, jc: number, nc: number, out: Float64Array, at: number): void {
  let o = at;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const j0 = jc + jr;
    if (cols === NR) {
      if (!trans) {
        // op(B)[p, j] = b[p·n + j]: the NR values of one p are contiguous.
        for (let p = 0, s = pc * n + j0; p < kc; p++, o += NR, s += n) {
          out[o] = b[s]!; out[o + 1] = b[s + 1]!; out[o + 2] = b[s + 2]!; out[o + 3] = b[s + 3]!;
        }
      } else {
        // op(B)[p, j] = b[j·k + p]: NR rows of the stored B advance together.
        let s0 = j0 * k + pc, s1 = s0 + k, s2 = s1 + k, s3 = s2 + k;
        for (let p = 0; p < kc; p++, o += NR) {
          out[o] = b[s0++]!; out[o + 1] = b[s1++]!; out[o + 2] = b[s2++]!; out[o + 3] = b[s3++]!;
        }
      }
    } else {
      // Last, partial panel: zero columns beyond n.
      const ps = trans ? 1 : n, cs = trans ? k : 1;
      for (let p = 0; p < kc; p++, o += NR) {
        for (let j = 0; j < NR; j++) out[o + j] = j < cols ? b[(pc + p) * ps + (j0 + j) * cs]! : 0;
      }
    }
  }
}

function packB32(trans: boolean, b: Float32Array, n: number, k: number, pc: number, kc: number, jc: number, nc: number, out: Float64Array, at: number): void {
  let o = at;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const j0 = jc + jr;
    if (cols === NR) {
      if (!trans) {
        // op(B)[p, j] = b[p·n + j]: the NR values of one p are contiguous.
        for (let p = 0, s = pc * n + j0; p < kc; p++, o += NR, s += n) {
          out[o] = b[s]!; out[o + 1] = b[s + 1]!; out[o + 2] = b[s + 2]!; out[o + 3] = b[s + 3]!;
        }
      } else {
        // op(B)[p, j] = b[j·k + p]: NR rows of the stored B advance together.
        let s0 = j0 * k + pc, s1 = s0 + k, s2 = s1 + k, s3 = s2 + k;
        for (let p = 0; p < kc; p++, o += NR) {
          out[o] = b[s0++]!; out[o + 1] = b[s1++]!; out[o + 2] = b[s2++]!; out[o + 3] = b[s3++]!;
        }
      }
    } else {
      // Last, partial panel: zero columns beyond n.
      const ps = trans ? 1 : n, cs = trans ? k : 1;
      for (let p = 0; p < kc; p++, o += NR) {
        for (let j = 0; j < NR; j++) out[o + j] = j < cols ? b[(pc + p) * ps + (j0 + j) * cs]! : 0;
      }
    }
  }
}

/**
 * Direct loops for tiny products, where packing would dominate: each C[i, j] is one
 * dot product in double precision over op(A)[i, p] = a[i·ars + p·acs] and
 * op(B)[p, j] = b[p·brs + j·bcs].
 */
function small64(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  const ars = transA ? 1 : k, acs = transA ? m : 1;
  const brs = transB ? 1 : n, bcs = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let pa = i * ars, pb = j * bcs;
      for (let p = 0; p < k; p++, pa += acs, pb += brs) s += a[pa]! * b[pb]!;
      c[i * n + j] += alpha * s;
    }
  }
}

function small32(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  const ars = transA ? 1 : k, acs = transA ? m : 1;
  const brs = transB ? 1 : n, bcs = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let pa = i * ars, pb = j * bcs;
      for (let p = 0; p < k; p++, pa += acs, pb += brs) s += a[pa]! * b[pb]!;
      c[i * n + j] = c[i * n + j]! + alpha * s;
    }
  }
}
