// Single-precision GEMM: the same Goto/BLIS blocking as gemm_f64.ts, with a 4×8 register
// tile of f32x4 accumulators (two vectors per row), so each k step does 16 lane-wide
// multiply-adds from one 8-wide B row and four broadcast A values.

import { roundUp } from './util';

/** Rows of the register tile. */
const MR = 4;
/** Columns of the register tile (two f32x4 vectors). */
const NR = 8;
/** Depth of a packed panel: a KC×NR micro-panel of B (8 KiB) stays in L1. */
const KC = 256;
/** Rows of a packed A block: MC×KC×4 = 128 KiB, resident in L2. */
const MC = 128;
/** Columns of a packed B panel: KC×NC×4 = 2 MiB, resident in L3. */
const NC = 2048;
/** Bytes per element. */
const E: usize = 4;

/** Bytes of scratch the driver needs for an m×n×k product (tile + packed A + packed B). */
export function workspaceBytesF32(m: i32, n: i32, k: i32): usize {
  const kc = min(k, KC);
  const mc = roundUp(min(m, MC), MR);
  const nc = roundUp(min(n, NC), NR);
  return <usize>(MR * NR + mc * kc + kc * nc) * E;
}

/** Packs alpha·op(A)[i0:i0+mc, p0:p0+kc] into zero-padded MR-row micro-panels, p-major. */
function packA(transA: bool, a: usize, m: i32, k: i32, i0: i32, p0: i32, mc: i32, kc: i32, alpha: f32, dst: usize): void {
  const va = f32x4.splat(alpha);
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    let d = dst + <usize>(ir * kc) * E;
    if (rows == MR && transA) {
      let src = a + (<usize>p0 * <usize>m + <usize>(i0 + ir)) * E;
      const step = <usize>m * E;
      for (let p = 0; p < kc; p++) {
        v128.store(d, f32x4.mul(v128.load(src), va));
        src += step;
        d += <usize>MR * E;
      }
    } else if (rows == MR) {
      const step = <usize>k * E;
      let r0 = a + (<usize>(i0 + ir) * <usize>k + <usize>p0) * E;
      let r1 = r0 + step;
      let r2 = r1 + step;
      let r3 = r2 + step;
      for (let p = 0; p < kc; p++) {
        store<f32>(d, load<f32>(r0) * alpha);
        store<f32>(d, load<f32>(r1) * alpha, 4);
        store<f32>(d, load<f32>(r2) * alpha, 8);
        store<f32>(d, load<f32>(r3) * alpha, 12);
        r0 += E; r1 += E; r2 += E; r3 += E;
        d += <usize>MR * E;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          let v: f32 = 0;
          if (r < rows) {
            const i = <usize>(i0 + ir + r);
            const q = <usize>(p0 + p);
            v = alpha * (transA ? load<f32>(a + (q * <usize>m + i) * E) : load<f32>(a + (i * <usize>k + q) * E));
          }
          store<f32>(d + <usize>r * E, v);
        }
        d += <usize>MR * E;
      }
    }
  }
}

/** Packs op(B)[p0:p0+kc, j0:j0+nc] into zero-padded NR-column micro-panels, p-major. */
function packB(transB: bool, b: usize, n: i32, k: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    let d = dst + <usize>(jr * kc) * E;
    if (cols == NR && !transB) {
      let src = b + (<usize>p0 * <usize>n + <usize>(j0 + jr)) * E;
      const step = <usize>n * E;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        src += step;
        d += <usize>NR * E;
      }
    } else if (cols == NR) {
      // B is stored n×k: gather one value from each of NR storage rows per p.
      const step = <usize>k * E;
      let s = b + (<usize>(j0 + jr) * <usize>k + <usize>p0) * E;
      for (let p = 0; p < kc; p++) {
        store<f32>(d, load<f32>(s));
        store<f32>(d, load<f32>(s + step), 4);
        store<f32>(d, load<f32>(s + 2 * step), 8);
        store<f32>(d, load<f32>(s + 3 * step), 12);
        store<f32>(d, load<f32>(s + 4 * step), 16);
        store<f32>(d, load<f32>(s + 5 * step), 20);
        store<f32>(d, load<f32>(s + 6 * step), 24);
        store<f32>(d, load<f32>(s + 7 * step), 28);
        s += E;
        d += <usize>NR * E;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) {
          let v: f32 = 0;
          if (c < cols) {
            const j = <usize>(j0 + jr + c);
            const q = <usize>(p0 + p);
            v = transB ? load<f32>(b + (j * <usize>k + q) * E) : load<f32>(b + (q * <usize>n + j) * E);
          }
          store<f32>(d + <usize>c * E, v);
        }
        d += <usize>NR * E;
      }
    }
  }
}

/**
 * The 4×8 micro-kernel: C[0:4, 0:8] ← Apanel·Bpanel + beta·C over kc steps, with the
 * tile in eight f32x4 accumulators. beta = 0 writes without reading C.
 */
function micro4x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += <usize>MR * E;
    pb += <usize>NR * E;
  }
  if (beta == 0) {
    v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
    v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
    v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
    v128.store(c, c30); v128.store(c, c31, 16);
  } else {
    const vb = f32x4.splat(beta);
    v128.store(c, f32x4.add(c00, f32x4.mul(vb, v128.load(c))));
    v128.store(c, f32x4.add(c01, f32x4.mul(vb, v128.load(c, 16))), 16);
    c += ldc;
    v128.store(c, f32x4.add(c10, f32x4.mul(vb, v128.load(c))));
    v128.store(c, f32x4.add(c11, f32x4.mul(vb, v128.load(c, 16))), 16);
    c += ldc;
    v128.store(c, f32x4.add(c20, f32x4.mul(vb, v128.load(c))));
    v128.store(c, f32x4.add(c21, f32x4.mul(vb, v128.load(c, 16))), 16);
    c += ldc;
    v128.store(c, f32x4.add(c30, f32x4.mul(vb, v128.load(c))));
    v128.store(c, f32x4.add(c31, f32x4.mul(vb, v128.load(c, 16))), 16);
  }
}

/** Merges the valid rows×cols corner of a full MR×NR tile into C. */
function mergeTile(rows: i32, cols: i32, tile: usize, c: usize, ldc: usize, beta: f32): void {
  for (let r = 0; r < rows; r++) {
    const t = tile + <usize>(r * NR) * E;
    const cr = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j * E;
      const v = load<f32>(t + o);
      store<f32>(cr + o, beta == 0 ? v : v + beta * load<f32>(cr + o));
    }
  }
}

/** C ← beta·C for the degenerate products (k = 0 or alpha = 0); beta = 0 writes zeros. */
function scaleF32(size: i32, beta: f32, c: usize): void {
  if (beta == 1) return;
  for (let i = 0; i < size; i++) {
    const p = c + <usize>i * E;
    store<f32>(p, beta == 0 ? 0 : beta * load<f32>(p));
  }
}

/**
 * One product on pointers into linear memory. A is m×k (k×m when transA), B is k×n
 * (n×k when transB), C is m×n; `work` holds {@link workspaceBytesF32}(m, n, k) bytes.
 */
export function gemmF32(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  alpha: f32, a: usize, b: usize, beta: f32, c: usize, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    scaleF32(m * n, beta, c);
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
      const betaBlock: f32 = pc == 0 ? beta : 1.0;
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
              micro4x8(kc, pai, pbj, cij, ldc, betaBlock);
            } else {
              micro4x8(kc, pai, pbj, tile, <usize>NR * E, 0);
              mergeTile(rows, cols, tile, cij, ldc, betaBlock);
            }
          }
        }
      }
    }
  }
}

/** Batched f32 products; see gemmBatchedF64. */
export function gemmBatchedF32(
  transA: bool, transB: bool, batch: i32, m: i32, n: i32, k: i32,
  alpha: f32, a: usize, strideA: i32, b: usize, strideB: i32, beta: f32, c: usize, work: usize,
): void {
  const sa = <usize>strideA * E;
  const sb = <usize>strideB * E;
  const sc = <usize>m * <usize>n * E;
  for (let i = 0; i < batch; i++) {
    gemmF32(transA, transB, m, n, k, alpha, a, b, beta, c, work);
    a += sa;
    b += sb;
    c += sc;
  }
}
