import { getKernel } from '../kernels/registry.js';
import { randn } from '../tensor/create.js';
import { allocate, type FloatArray } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { asFiniteMatrix } from './matrix-input.js';
import { prescale, unscale } from './prescale.js';
import { qrArrays } from './qr.js';
import { normalizeColumnSigns } from './sign-convention.js';
import { svdArrays } from './svd.js';
import type { SvdFactors } from './svd.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Extra sample columns beyond `rank` (default 10). */
  oversample?: number;
  /** Power (subspace) iterations, each re-orthonormalized by QR (default 2). */
  powerIterations?: number;
  /** Seed of the Gaussian test matrix (default 0): the result is reproducible. */
  seed?: number;
}

/**
 * Approximate leading `rank` singular triplets of a 2-D tensor by the randomized range
 * finder of Halko, Martinsson and Tropp: Y = A·Ω for a Gaussian Ω, q power iterations
 * Y ← A·(Aᵀ·Q) with QR in between (so small singular directions are not lost to
 * rounding), then the exact SVD of the small Qᵀ·A. All products run on the kernel's gemm.
 * A matrix with entries far from 1 is pre-scaled by a power of two first (prescale.ts),
 * so A·Ω can neither overflow nor underflow.
 * @throws RangeError for a non-2-D or non-finite input, a rank outside 1…min(m, n), a bad
 *   option, or singular values beyond the dtype's range.
 */
export function randomizedSvd(a: Tensor, rank: number, options: RandomizedSvdOptions = {}): SvdFactors {
  const { data: raw, rows: m, cols: n } = asFiniteMatrix(a, 'randomizedSvd');
  const k = Math.min(m, n);
  if (!Number.isInteger(rank) || rank < 1 || rank > k) {
    throw new RangeError(`randomizedSvd: rank must be an integer in 1…${k} for a ${m}×${n} matrix, got ${rank}`);
  }
  const { oversample = 10, powerIterations = 2, seed = 0 } = options;
  if (!Number.isInteger(oversample) || oversample < 0) {
    throw new RangeError(`randomizedSvd: oversample must be a non-negative integer, got ${oversample}`);
  }
  if (!Number.isInteger(powerIterations) || powerIterations < 0) {
    throw new RangeError(`randomizedSvd: powerIterations must be a non-negative integer, got ${powerIterations}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`randomizedSvd: seed must be a finite number, got ${seed}`);

  const { data, exponent } = prescale(raw, 'randomizedSvd');
  const kernel = getKernel();
  const dtype = a.dtype;
  const l = Math.min(rank + oversample, k);
  const omega = randn([n, l], { dtype, rng: new Random(seed) }).data;

  const product = (transA: boolean, x: FloatArray): FloatArray => {
    // op(A)·x with x (n or m)×l.
    const rows = transA ? n : m;
    const out = allocate(dtype, rows * l);
    kernel.gemm(transA, false, rows, l, transA ? m : n, 1, data, x, 0, out);
    return out;
  };
  let q = qrArrays(product(false, omega), m, l).q;
  for (let it = 0; it < powerIterations; it++) {
    const z = qrArrays(product(true, q), n, l).q;
    q = qrArrays(product(false, z), m, l).q;
  }
  // B = Qᵀ·A (l×n), its SVD, then U = Q·U_B restricted to the leading `rank` columns.
  const b = allocate(dtype, l * n);
  kernel.gemm(true, false, l, n, m, 1, q, data, 0, b);
  const small = svdArrays(b, l, n);
  const ub = allocate(dtype, l * rank);
  for (let i = 0; i < l; i++) ub.set(small.u.subarray(i * l, i * l + rank), i * rank);
  const u = allocate(dtype, m * rank);
  kernel.gemm(false, false, m, rank, l, 1, q, ub, 0, u);
  const vt = small.vt.slice(0, rank * n);
  normalizeColumnSigns(u, m, rank, vt, n);
  const s = small.s.slice(0, rank);
  unscale(s, exponent, 'randomizedSvd', 'singular values');
  return { U: new Tensor(u, [m, rank]), S: new Tensor(s, [rank]), Vt: new Tensor(vt, [rank, n]) };
}
