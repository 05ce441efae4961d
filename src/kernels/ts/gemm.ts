import { allocate, type FloatArray } from '../../tensor/dtype.js';

// Block sizes chosen for a 32 KiB L1 / 1 MiB L2: a KC×NC panel of B (128×256 f64 =
// 256 KiB) stays in L2 while four rows of C (4×256) and one B row stream through L1.
const KC = 128;
const NC = 256;

/**
 * Reference GEMM in plain TypeScript: C ← alpha·op(A)·op(B) + beta·C (row-major).
 * Transposed operands are packed once, then a cache-blocked kernel updates four rows
 * of C per pass over a row of B, which the JIT compiles to tight scalar loops.
 */
export function gemmTs(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray,
): void {
  const size = m * n;
  if (beta === 0) c.fill(0, 0, size);
  else if (beta !== 1) for (let i = 0; i < size; i++) c[i] = beta * c[i]!;
  if (k === 0 || alpha === 0 || size === 0) return;
  const A = transA ? transposeCopy(a, k, m) : a; // m×k
  const B = transB ? transposeCopy(b, n, k) : b; // k×n
  gemmBlocked(m, n, k, alpha, A, B, c);
}

function transposeCopy(x: FloatArray, rows: number, cols: number): FloatArray {
  const out = allocate(x instanceof Float64Array ? 'f64' : 'f32', rows * cols);
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(i0 + T, rows);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(j0 + T, cols);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = x[i * cols + j]!;
    }
  }
  return out;
}

/** C += alpha·A·B with A m×k, B k×n, all row-major and dense. */
function gemmBlocked(m: number, n: number, k: number, alpha: number, A: FloatArray, B: FloatArray, C: FloatArray): void {
  for (let j0 = 0; j0 < n; j0 += NC) {
    const j1 = Math.min(j0 + NC, n);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const p1 = Math.min(p0 + KC, k);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const r0 = i * n;
        const r1 = r0 + n;
        const r2 = r1 + n;
        const r3 = r2 + n;
        for (let p = p0; p < p1; p++) {
          const a0 = alpha * A[i * k + p]!;
          const a1 = alpha * A[(i + 1) * k + p]!;
          const a2 = alpha * A[(i + 2) * k + p]!;
          const a3 = alpha * A[(i + 3) * k + p]!;
          const bp = p * n;
          for (let j = j0; j < j1; j++) {
            const bv = B[bp + j]!;
            C[r0 + j] += a0 * bv;
            C[r1 + j] += a1 * bv;
            C[r2 + j] += a2 * bv;
            C[r3 + j] += a3 * bv;
          }
        }
      }
      for (; i < m; i++) {
        const r0 = i * n;
        for (let p = p0; p < p1; p++) {
          const a0 = alpha * A[i * k + p]!;
          const bp = p * n;
          for (let j = j0; j < j1; j++) C[r0 + j] += a0 * B[bp + j]!;
        }
      }
    }
  }
}
