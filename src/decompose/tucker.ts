import { einsum } from '../einsum/index.js';
import { Tensor } from '../tensor/tensor.js';
import { frobeniusNorm } from '../tensor/scaled-norm.js';
import { checkRse, expandRanks, normalizedInput, unscaleResult } from './input.js';
import { rse as relativeError } from './metrics.js';
import { truncatedSplit } from './truncate.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Options of {@link hosvd} and {@link tucker}. */
export interface TuckerOptions {
  /** Multilinear ranks: one for all modes or one per mode (caps; default none). */
  ranks?: number | readonly number[];
  /**
   * Target relative error (in [0, 1]; default 0). Each mode's truncation discards at most
   * rse·‖X‖/√N, so the HOSVD error is ≤ rse.
   */
  rse?: number;
  /** HOOI refinement sweeps after the HOSVD (default 0 for hosvd; see {@link tucker}). */
  hooiIters?: number;
  /** HOOI stops when ‖core‖ changes by less than tol·‖core‖ (default 1e-8). */
  tol?: number;
}

/** A Tucker decomposition X ≈ core ×_0 U_0 ×_1 U_1 ⋯. */
export interface TuckerDecomposition {
  /** r_0 × r_1 × ⋯ core tensor. */
  core: Tensor;
  /** factors[n]: d_n × r_n with orthonormal columns. */
  factors: Tensor[];
  ranks: number[];
  /** Π r_n + Σ d_n·r_n. */
  params: number;
  /** ‖X̂ − X‖/‖X‖, measured on the reconstruction. */
  rse: number;
  /** HOOI sweeps done. */
  hooiIters: number;
}

/** The dense tensor core ×_0 U_0 ×_1 U_1 ⋯ (one einsum). */
export function tuckerToTensor(core: Tensor, factors: readonly Tensor[]): Tensor {
  const n = factors.length;
  if (core.ndim !== n) throw new RangeError(`tuckerToTensor: the core has ${core.ndim} modes but there are ${n} factors`);
  if (2 * n > LETTERS.length) throw new RangeError(`tuckerToTensor: ${n} modes is more than the ${LETTERS.length / 2} supported`);
  factors.forEach((u, k) => {
    if (u.ndim !== 2 || u.shape[1] !== core.shape[k]) {
      throw new RangeError(`tuckerToTensor: factor ${k} has shape [${u.shape.join(', ')}] but needs [d, ${core.shape[k]}] to match the core`);
    }
  });
  const phys = LETTERS.slice(0, n);
  const rank = LETTERS.slice(n, 2 * n);
  const spec = `${rank},${factors.map((_, k) => phys[k]! + rank[k]!).join(',')}->${phys}`;
  return einsum(spec, core, ...factors);
}

/** X ×_n U_nᵀ for every mode except `skip` (one einsum): axes [r_0, …, d_skip, …, r_{N−1}]. */
function projectOut(x: Tensor, factors: readonly Tensor[], skip: number): Tensor {
  const n = factors.length;
  const phys = LETTERS.slice(0, n);
  const rank = LETTERS.slice(n, 2 * n);
  const out = [...phys].map((p, k) => (k === skip ? p : rank[k]!)).join('');
  const used = factors.map((u, k) => ({ u, k })).filter(({ k }) => k !== skip);
  const spec = `${phys},${used.map(({ k }) => phys[k]! + rank[k]!).join(',')}->${out}`;
  return einsum(spec, x, ...used.map(({ u }) => u));
}

/** The leading left singular vectors of the mode-n unfolding of t, capped and/or truncated. */
function leadingVectors(t: Tensor, mode: number, budgetSq: number, cap: number): Tensor {
  const order = [mode, ...t.shape.map((_, k) => k).filter((k) => k !== mode)];
  const unfolded = mode === 0 ? t.contiguous() : t.permute(...order).copy();
  const rows = t.shape[mode]!;
  const split = truncatedSplit(unfolded.toTypedArray(), rows, t.size / rows, budgetSq, cap);
  return new Tensor(split.u, [rows, split.rank]);
}

/**
 * Truncated higher-order SVD (De Lathauwer, De Moor, Vandewalle 2000): U_n = leading
 * left singular vectors of the mode-n unfolding, core = X ×_n U_nᵀ. With `hooiIters`,
 * refined by HOOI ({@link tucker}). A tensor with entries far from 1 is pre-scaled by a
 * power of two (the core takes the scale back), so c·X gets X's ranks and RSE.
 * @throws RangeError for an empty or non-finite tensor, more than 26 modes, a bad option,
 *   or a core that overflows the dtype.
 */
export function hosvd(input: Tensor, options: TuckerOptions = {}): TuckerDecomposition {
  const fn = 'hosvd';
  const { x, exponent, normSq } = normalizedInput(input, fn);
  const n = x.ndim;
  if (2 * n > LETTERS.length) throw new RangeError(`${fn}: ${n} modes is more than the ${LETTERS.length / 2} supported`);
  const { rse: bound = 0, hooiIters = 0, tol = 1e-8 } = options;
  checkRse(bound, fn);
  if (!Number.isInteger(hooiIters) || hooiIters < 0) throw new RangeError(`${fn}: hooiIters must be a non-negative integer, got ${hooiIters}`);
  const caps = expandRanks(options.ranks, n, fn, 'ranks');
  const budgetSq = (bound * bound * normSq) / n;
  const factors = x.shape.map((_, k) => leadingVectors(x, k, budgetSq, caps[k]!));

  let core = projectOut(x, factors, -1);
  let sweeps = 0;
  let coreNorm = frobeniusNorm(core.toTypedArray());
  for (let it = 0; it < hooiIters; it++) {
    // HOOI (De Lathauwer et al. 2000b): each factor is the best one for the others fixed.
    for (let k = 0; k < n; k++) {
      const y = projectOut(x, factors, k);
      factors[k] = leadingVectors(y, k, 0, factors[k]!.shape[1]!);
    }
    core = projectOut(x, factors, -1);
    sweeps++;
    const next = frobeniusNorm(core.toTypedArray());
    const change = Math.abs(next - coreNorm);
    coreNorm = next;
    if (change <= tol * next) break;
  }
  const ranks = factors.map((u) => u.shape[1]!);
  const params = ranks.reduce((p, r) => p * r, 1) + ranks.reduce((s, r, k) => s + r * x.shape[k]!, 0);
  // The RSE is measured in the scaled units, where the reconstruction cannot overflow.
  const rse = relativeError(tuckerToTensor(core, factors), x);
  if (Number.isNaN(rse)) throw new RangeError(`${fn}: the relative error could not be computed`);
  core = unscaleResult(core, exponent, fn, 'core entries');
  return { core, factors, ranks, params, rse, hooiIters: sweeps };
}

/**
 * Tucker decomposition: {@link hosvd} followed by HOOI refinement (default 10 sweeps,
 * stopping early when the core's norm settles). HOOI only helps when ranks are fixed;
 * with only rse it keeps the HOSVD ranks.
 */
export function tucker(x: Tensor, options: TuckerOptions = {}): TuckerDecomposition {
  return hosvd(x, { ...options, hooiIters: options.hooiIters ?? 10 });
}
