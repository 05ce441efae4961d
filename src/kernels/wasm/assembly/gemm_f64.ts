// Double-precision GEMM: C ← alpha·op(A)·op(B) + beta·C, row-major, with the classic
// three-level cache blocking (Goto/BLIS): a KC×NC panel of op(B) and an MC×KC block of
// op(A) are packed into contiguous micro-panels, and a register-blocked MR×NR
// micro-kernel keeps its C tile in v128 accumulators across the whole KC loop.
// Transposes are absorbed by the packing routines, alpha is folded into packed A.

import { roundUp } from './util';

/** Rows of the register tile. */
const MR = 4;
/** Columns of the register tile (two f64x2 vectors). */
const NR = 4;
/** Depth of a packed panel: a KC×NR micro-panel of B (8 KiB) stays in L1. */
const KC = 256;
/** Rows of a packed A block: MC×KC×8 = 256 KiB, resident in L2. */
const MC = 128;
/** Columns of a packed B panel: KC×NC×8 = 4 MiB, resident in L3. */
const NC = 2048;
/** Bytes per element. */
const E: usize = 8;

/** Bytes of scratch the driver needs for an m×n×k product (tile + packed A + packed B). */
export function workspaceBytesF64(m: i32, n: i32, k: i32): usize {
  const kc = min(k, KC);
  const mc = roundUp(min(m, MC), MR);
  const nc = roundUp(min(n, NC), NR);
  return <usize>(MR * NR + mc * kc + kc * nc) * E;
}

/**
 * Packs alpha·op(A)[i0:i0+mc, p0:p0+kc] into MR-row micro-panels; within a panel the
 * layout is p-major (MR consecutive values per p). Rows past `mc` are zero.
 */
function packA(transA: bool, a: usize, m: i32, k: i32, i0: i32, p0: i32, mc: i32, kc: i32, alpha: f64, dst: usize): void {
  const va = f64x2.splat(alpha);
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    let d = dst + <usize>(ir * kc) * E;
    if (rows == MR && transA) {
      // A is stored k×m: the MR values of one p are contiguous.
      let src = a + (<usize>p0 * <usize>m + <usize>(i0 + ir)) * E;
      const step = <usize>m * E;
      for (let p = 0; p < kc; p++) {
        v128.store(d, f64x2.mul(v128.load(src), va));
        v128.store(d, f64x2.mul(v128.load(src, 16), va), 16);
        src += step;
        d += <usize>MR * E;
      }
    } else if (rows == MR) {
      // A is stored m×k: walk MR rows side by side.
      const step = <usize>k * E;
      let r0 = a + (<usize>(i0 + ir) * <usize>k + <usize>p0) * E;
      let r1 = r0 + step;
      let r2 = r1 + step;
      let r3 = r2 + step;
      for (let p = 0; p < kc; p++) {
        store<f64>(d, load<f64>(r0) * alpha);
        store<f64>(d, load<f64>(r1) * alpha, 8);
        store<f64>(d, load<f64>(r2) * alpha, 16);
        store<f64>(d, load<f64>(r3) * alpha, 24);
        r0 += E; r1 += E; r2 += E; r3 += E;
        d += <usize>MR * E;
      }
    } else {
      // Ragged last panel: zero-pad to MR rows.
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          let v: f64 = 0;
          if (r < rows) {
            const i = <usize>(i0 + ir + r);
            const q = <usize>(p0 + p);
            v = alpha * (transA ? load<f64>(a + (q * <usize>m + i) * E) : load<f64>(a + (i * <usize>k + q) * E));
          }
          store<f64>(d + <usize>r * E, v);
        }
        d += <usize>MR * E;
      }
    }
  }
}

/**
 * Packs op(B)[p0:p0+kc, j0:j0+nc] into NR-column micro-panels, p-major within a panel
 * (NR consecutive values per p). Columns past `nc` are zero.
 */
function packB(transB: bool, b: usize, n: i32, k: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    let d = dst + <usize>(jr * kc) * E;
    if (cols == NR && !transB) {
      // B is stored k×n: the NR values of one p are contiguous.
      let src = b + (<usize>p0 * <usize>n + <usize>(j0 + jr)) * E;
      const step = <usize>n * E;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        src += step;
        d += <usize>NR * E;
      }
    } else if (cols == NR) {
      // B is stored n×k: walk NR rows of storage side by side.
      const step = <usize>k * E;
      let r0 = b + (<usize>(j0 + jr) * <usize>k + <usize>p0) * E;
      let r1 = r0 + step;
      let r2 = r1 + step;
      let r3 = r2 + step;
      for (let p = 0; p < kc; p++) {
        store<f64>(d, load<f64>(r0));
        store<f64>(d, load<f64>(r1), 8);
        store<f64>(d, load<f64>(r2), 16);
        store<f64>(d, load<f64>(r3), 24);
        r0 += E; r1 += E; r2 += E; r3 += E;
        d += <usize>NR * E;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) {
          let v: f64 = 0;
          if (c < cols) {
            const j = <usize>(j0 + jr + c);
            const q = <usize>(p0 + p);
            v = transB ? load<f64>(b + (j * <usize>k + q) * E) : load<f64>(b + (q * <usize>n + j) * E);
          }
          store<f64>(d + <usize>c * E, v);
        }
        d += <usize>NR * E;
      }
    }
  }
}

/**
 * The 4×4 micro-kernel: C[0:4, 0:4] ← Apanel·Bpanel + beta·C over kc steps, with the
 * tile in eight f64x2 accumulators. beta = 0 writes without reading C.
 */
function micro4x4(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, beta: f64): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    pa += <usize>MR * E;
    pb += <usize>NR * E;
  }
  if (beta == 0) {
    v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
    v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
    v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
    v128.store(c, c30); v128.store(c, c31, 16);
  } else {
    const vb = f64x2.splat(beta);
    v128.store(c, f64x2.add(c00, f64x2.mul(vb, v128.load(c))));
    v128.store(c, f64x2.add(c01, f64x2.mul(vb, v128.load(c, 16))), 16);
    c += ldc;
    v128.store(c, f64x2.add(c10, f64x2.mul(vb, v128.load(c))));
    v128.store(c, f64x2.add(c11, f64x2.mul(vb, v128.load(c, 16))), 16);
    c += ldc;
    v128.store(c, f64x2.add(c20, f64x2.mul(vb, v128.load(c))));
    v128.store(c, f64x2.add(c21, f64x2.mul(vb, v128.load(c, 16))), 16);
    c += ldc;
    v128.store(c, f64x2.add(c30, f64x2.mul(vb, v128.load(c))));
    v128.store(c, f64x2.add(c31, f64x2.mul(vb, v128.load(c, 16))), 16);
  }
}

/** Merges the valid rows×cols corner of a full MR×NR tile into C. */
function mergeTile(rows: i32, cols: i32, tile: usize, c: usize, ldc: usize, beta: f64): void {
  for (let r = 0; r < rows; r++) {
    const t = tile + <usize>(r * NR) * E;
    const cr = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j * E;
      const v = load<f64>(t + o);
      store<f64>(cr + o, beta == 0 ? v : v + beta * load<f64>(cr + o));
    }
  }
}

/** C ← beta·C for the degenerate products (k = 0 or alpha = 0); beta = 0 writes zeros. */
function scaleF64(size: i32, beta: f64, c: usize): void {
  if (beta == 1) return;
  for (let i = 0; i < size; i++) {
    const p = c + <usize>i * E;
    store<f64>(p, beta == 0 ? 0 : beta * load<f64>(p));
  }
}

/**
 * One product on pointers into linear memory. A is m×k (k×m when transA), B is k×n
 * (n×k when transB), C is m×n; `work` holds {@link workspaceBytesF64}(m, n, k) bytes.
 */
export function gemmF64(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  alpha: f64, a: usize, b: usize, beta: f64, c: usize, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    scaleF64(m * n, beta, c);
    return;
  }
  const tile = work;
  const pa = tile + <usize>(MR * NR) * E;
  const pb = pa + <usize>(roundUp(min(m, MC), MR) * min(k, KC)) * E;
  const ldc = <usize>n * E;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // The first k-block applies beta; later ones accumulate.
      const betaBlock = pc == 0 ? beta : 1.0;
      packB(transB, b, n, k, pc, jc, kc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, a, m, k, ic, pc, mc, kc, alpha, pa);
        const cBlock = c + (<usize>ic * <usize>n + <usize>jc) * E;
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pbj = pb + <usize>(jr * kc) * E;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pai = pa + <usize>(ir * kc) * E;
            const cij = cBlock + <usize>ir * ldc + <usize>jr * E;
            if (rows == MR && cols == NR) {
              micro4x4(kc, pai, pbj, cij, ldc, betaBlock);
            } else {
              micro4x4(kc, pai, pbj, tile, <usize>NR * E, 0);
              mergeTile(rows, cols, tile, cij, ldc, betaBlock);
            }
          }
        }
      }
    }
  }
}

/**
 * `batch` products C_i ← alpha·op(A_i)·op(B_i) + beta·C_i with A_i = a + i·strideA,
 * B_i = b + i·strideB (element strides; 0 broadcasts) and C_i = c + i·m·n.
 */
export function gemmBatchedF64(
  transA: bool, transB: bool, batch: i32, m: i32, n: i32, k: i32,
  alpha: f64, a: usize, strideA: i32, b: usize, strideB: i32, beta: f64, c: usize, work: usize,
): void {
  const sa = <usize>strideA * E;
  const sb = <usize>strideB * E;
  const sc = <usize>m * <usize>n * E;
  for (let i = 0; i < batch; i++) {
    gemmF64(transA, transB, m, n, k, alpha, a, b, beta, c, work);
    a += sa;
    b += sb;
    c += sc;
  }
}
