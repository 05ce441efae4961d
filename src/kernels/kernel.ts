import type { FloatArray } from '../tensor/dtype.js';

/** The compute backends tnkit ships. */
export type BackendName = 'native' | 'wasm' | 'ts';

/** Thin SVD of an m×n row-major matrix, k = min(m, n): A = U·diag(s)·Vt. */
export interface SvdResult<A extends FloatArray = FloatArray> {
  /** m×k, row-major, orthonormal columns. */
  u: A;
  /** k singular values, descending, non-negative. */
  s: A;
  /** k×n, row-major, orthonormal rows. */
  vt: A;
}

/** Thin QR of an m×n row-major matrix, k = min(m, n): A = Q·R. */
export interface QrResult<A extends FloatArray = FloatArray> {
  /** m×k, orthonormal columns. */
  q: A;
  /** k×n, upper triangular (trapezoidal when m < n). */
  r: A;
}

/** Symmetric eigendecomposition A = V·diag(w)·Vᵀ. */
export interface EighResult<A extends FloatArray = FloatArray> {
  /** n eigenvalues, ascending. */
  w: A;
  /** n×n row-major; column j is the eigenvector of w[j]. */
  v: A;
}

/**
 * The compute kernel interface every backend implements.
 *
 * All matrices are dense and row-major (C order) with the leading dimension equal to
 * the row length; callers pass `subarray` views for offsets. Every array in one call
 * has the same dtype. The TypeScript backend is the reference the others are tested
 * against.
 */
export interface Kernel {
  readonly name: BackendName;
  /** What the backend runs on, e.g. the BLAS library and its version. */
  readonly description: string;

  /**
   * C ← alpha·op(A)·op(B) + beta·C, with op(A) m×k and op(B) k×n.
   * A is stored m×k, or k×m when `transA`; B is stored k×n, or n×k when `transB`.
   * When beta is 0, C is not read (NaNs in C do not propagate).
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray,
  ): void;

  /**
   * `batch` independent products C_i ← alpha·op(A_i)·op(B_i) + beta·C_i, where
   * A_i = a[i·strideA …], B_i = b[i·strideB …], C_i = c[i·m·n …]. A stride of 0
   * broadcasts one matrix over the batch.
   */
  gemmBatched(
    transA: boolean, transB: boolean, batch: number, m: number, n: number, k: number,
    alpha: number, a: FloatArray, strideA: number, b: FloatArray, strideB: number,
    beta: number, c: FloatArray,
  ): void;

  /** Thin SVD (LAPACK gesdd on native). Optional: linalg falls back to its own. Input is not modified. */
  svd?(a: FloatArray, m: number, n: number): SvdResult;
  /** Thin Householder QR (geqrf + orgqr on native). Optional. Input is not modified. */
  qr?(a: FloatArray, m: number, n: number): QrResult;
  /** Symmetric eigendecomposition (syevd on native). Optional. Reads the lower triangle. */
  eigh?(a: FloatArray, n: number): EighResult;
}

/** Shapes a gemm call must satisfy; shared by all backends so errors read the same. */
export function checkGemmArgs(
  name: string, m: number, n: number, k: number,
  a: FloatArray, aSize: number, b: FloatArray, bSize: number, c: FloatArray, cSize: number,
): void {
  for (const [label, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name}: ${label} = ${v} is not a non-negative integer`);
  }
  if (a.length < aSize) throw new RangeError(`${name}: A has ${a.length} elements, needs ${aSize}`);
  if (b.length < bSize) throw new RangeError(`${name}: B has ${b.length} elements, needs ${bSize}`);
  if (c.length < cSize) throw new RangeError(`${name}: C has ${c.length} elements, needs ${cSize}`);
  const t = a.constructor;
  if (b.constructor !== t || c.constructor !== t) {
    throw new TypeError(`${name}: A, B and C must share one dtype (got ${a.constructor.name}, ${b.constructor.name}, ${c.constructor.name})`);
  }
}
