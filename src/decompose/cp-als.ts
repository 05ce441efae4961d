import { einsum } from '../einsum/index.js';
import { matmul } from '../linalg/matmul.js';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { relativeError } from '../tensor/scaled-norm.js';
import { normalizedInput, unscaleResult } from './input.js';
import { ridgeSolve } from './ridge-solve.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The CP rank index; the modes use the letters before it. */
const RANK = 'Z';

/** Options of {@link cpAls}. */
export interface CpAlsOptions {
  /** Maximum sweeps (default 200). */
  iters?: number;
  /** Stop when the RSE changes by less than tol·RSE between sweeps (default 1e-8). */
  tol?: number;
  /** Seed of the random starting factors (default 0). */
  seed?: number;
  /** Ridge of the normal equations, relative to their largest eigenvalue (default 1e-12). */
  ridge?: number;
  /** Called after every sweep. */
  onIter?: (info: { iter: number; rse: number }) => void;
}

/** A CP (CANDECOMP/PARAFAC) decomposition X ≈ Σ_r a_0[:, r] ∘ a_1[:, r] ∘ ⋯. */
export interface CpDecomposition {
  /** factors[n]: d_n × rank (the weights are absorbed into factor 0). */
  factors: Tensor[];
  rank: number;
  /** rank·Σ d_n. */
  params: number;
  rse: number;
  iters: number;
  converged: boolean;
}

function modeLetters(n: number, fn: string): string {
  if (n > LETTERS.length - 1) throw new RangeError(`${fn}: ${n} modes is more than the ${LETTERS.length - 1} supported`);
  return LETTERS.slice(0, n);
}

/** The dense tensor Σ_r Π_n factors[n][:, r] (one einsum). */
export function cpToTensor(factors: readonly Tensor[]): Tensor {
  const phys = modeLetters(factors.length, 'cpToTensor');
  const rank = factors[0]?.shape[1];
  factors.forEach((a, k) => {
    if (a.ndim !== 2 || a.shape[1] !== rank) throw new RangeError(`cpToTensor: factor ${k} has shape [${a.shape.join(', ')}], expected [d, ${rank}]`);
  });
  return einsum(`${[...phys].map((p) => p + RANK).join(',')}->${phys}`, ...factors);
}

/**
 * CP decomposition by alternating least squares (Kolda & Bader 2009, §3.4). Each update
 * solves A_n·V = X_(n)·(⊙_{m≠n} A_m) with V = ∗_{m≠n} A_mᵀA_m (Hadamard product of
 * Grams); the MTTKRP on the left is one einsum of X with the other factors, the solve goes
 * through `ridgeSolve`. Columns are normalized after each update; the weights end
 * up in factor 0. Starts from seeded Gaussian factors. A tensor with entries far from 1
 * is pre-scaled by a power of two (factor 0 takes the scale back), so the Grams and the
 * error sums stay finite and c·X gets X's RSE.
 * @throws RangeError for a tensor with fewer than 2 modes, a bad rank, a bad option, or a
 *   factor that overflows the dtype.
 */
export function cpAls(input: Tensor, rank: number, options: CpAlsOptions = {}): CpDecomposition {
  const fn = 'cpAls';
  const { x, exponent } = normalizedInput(input, fn, 2);
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`${fn}: rank must be a positive integer, got ${rank}`);
  const { iters = 200, tol = 1e-8, seed = 0, ridge = 1e-12 } = options;
  if (!Number.isInteger(iters) || iters < 1) throw new RangeError(`${fn}: iters must be a positive integer, got ${iters}`);
  if (!(tol >= 0)) throw new RangeError(`${fn}: tol must be a non-negative number, got ${tol}`);
  const n = x.ndim;
  const dims = x.shape;
  const phys = modeLetters(n, fn);
  const dtype = x.dtype;
  const rng = new Random(seed);
  const factors = dims.map((d) => randn([d, rank], { rng, dtype }));
  // Each update absorbs the scale into its factor; after normalizing, its column norms
  // are the weights (every other factor has unit columns by then).
  let weights: Float64Array = new Float64Array(rank).fill(1);
  const grams: Float64Array[] = factors.map((a) => gramOf(a));
  const mttkrpSpecs = dims.map((_, k) => {
    const others = [...phys].filter((_, m) => m !== k).map((p) => p + RANK);
    return `${phys},${others.join(',')}->${phys[k]}${RANK}`;
  });

  const target = x.toTypedArray();
  const floor = dtype === 'f64' ? 1e-13 : 1e-5;
  let rse = Infinity;
  let done = 0;
  let converged = false;
  for (let it = 1; it <= iters; it++) {
    for (let k = 0; k < n; k++) {
      const v = new Float64Array(rank * rank).fill(1);
      grams.forEach((g, m) => {
        if (m !== k) for (let p = 0; p < v.length; p++) v[p] = v[p]! * g[p]!;
      });
      const rhs = einsum(mttkrpSpecs[k]!, x, ...factors.filter((_, m) => m !== k));
      const solved = ridgeSolve(rhs.toTypedArray(), v, dims[k]!, rank, ridge);
      weights = normalizeColumns(solved, dims[k]!, rank);
      factors[k] = new Tensor(solved, [dims[k]!, rank]);
      grams[k] = gramOf(factors[k]!);
    }
    const model = cpToTensor(withWeights(factors, weights)).toTypedArray();
    const previous = rse;
    rse = relativeError(model, target);
    done = it;
    options.onIter?.({ iter: it, rse });
    if (rse <= floor || Math.abs(previous - rse) <= tol * rse) {
      converged = true;
      break;
    }
  }
  if (Number.isNaN(rse)) throw new RangeError(`${fn}: the relative error could not be computed`);
  const out = withWeights(factors, weights);
  out[0] = unscaleResult(out[0]!, exponent, fn, 'entries of factor 0');
  return { factors: out, rank, params: rank * dims.reduce((s, d) => s + d, 0), rse, iters: done, converged };
}

/** AᵀA of a d×r factor, in f64. */
function gramOf(a: Tensor): Float64Array {
  return Float64Array.from(matmul(a, a, { transA: true }).toTypedArray());
}

/** Scales the columns of a row-major d×r array to unit norm in place; returns the norms (1 for a zero column). */
function normalizeColumns(a: Tensor['data'], d: number, r: number): Float64Array {
  const norms = new Float64Array(r);
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) norms[j] = norms[j]! + a[i * r + j]! ** 2;
  for (let j = 0; j < r; j++) norms[j] = norms[j]! > 0 ? Math.sqrt(norms[j]!) : 1;
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) a[i * r + j] = a[i * r + j]! / norms[j]!;
  return norms;
}

/** The factors with the weights multiplied into factor 0's columns. */
function withWeights(factors: readonly Tensor[], weights: Float64Array): Tensor[] {
  const first = factors[0]!.copy();
  const [d, r] = first.shape as [number, number];
  for (let i = 0; i < d; i++) for (let j = 0; j < r; j++) first.data[i * r + j] = first.data[i * r + j]! * weights[j]!;
  return [first, ...factors.slice(1)];
}
