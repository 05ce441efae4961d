/**
 * RGTN's compression phase as a descent in rank space: from a feasible (typically
 * over-parameterised, exact) structure, shrink one bond at a time, the bond whose
 * spectrum tail carries the least information first, and keep a reduction when the
 * refit (warm start from the SVD-truncated cores, then seeded random restarts) still
 * meets the target. A bond reduced to rank 1 is an edge removed.
 *
 * Why one bond at a time works on loops: starting from a structure that represents the
 * data exactly, every reduction that stays above the true ranks is still a superset of
 * the truth, so a failed reduction means the fit fell into a local minimum (restarts
 * address that) or the bond is at its true rank.
 */
import { ttSvd, type TtDecomposition } from '../decompose/tt-svd.js';
import { eigh } from '../linalg/eigh.js';
import { matmul } from '../linalg/matmul.js';
import { Random } from '../tensor/random.js';
import { scaledTailSums } from '../tensor/scaled-norm.js';
import type { Tensor } from '../tensor/tensor.js';
import { bondSpectrum } from './bond-ops.js';
import type { Evaluation, Evaluator } from './evaluator.js';
import { activeEdges, withBond } from './structure.js';

/** Options of {@link compressByFlow}. */
export interface CompressOptions {
  /**
   * Order in which bonds are tried: 'flow' (smallest normalised spectrum tail
   * σ_min²/Σσ² first: the least information crosses the last slice) or 'random'
   * (seeded shuffle; the ablation). Default 'flow'.
   */
  order?: 'flow' | 'random';
  /** ALS sweeps per trial fit (default: the evaluator's). */
  iters?: number;
  /** Random restarts per trial (default: the evaluator's). */
  restarts?: number;
  seed?: number;
  /** Called after each accepted reduction. */
  onStep?: (e: Evaluation) => void;
}

/** One candidate reduction of a bond. */
interface Candidate {
  i: number;
  j: number;
  /** Normalised mass of the smallest singular value. */
  tail: number;
  /** Ranks to try, in order (a jump to the numerical rank first when it is clearly lower, then r − 1). */
  ranks: number[];
}

/**
 * Shrinks bonds of a feasible structure while the target RSE is met; returns the
 * smallest feasible structure reached (the start itself if nothing can shrink, or if it
 * is infeasible).
 */
export function compressByFlow(ev: Evaluator, start: Evaluation, options: CompressOptions = {}): Evaluation {
  const order = options.order ?? 'flow';
  if (order !== 'flow' && order !== 'random') throw new RangeError(`compressByFlow: order must be 'flow' or 'random', got '${String(order)}'`);
  const rng = new Random(options.seed ?? 0);
  let cur = start;
  if (cur.rse > ev.rse) return cur;
  for (;;) {
    if (ev.timeUp()) break;
    const cands = candidates(cur, ev.rse);
    if (order === 'random') shuffle(cands, rng);
    else cands.sort((a, b) => a.tail - b.tail);
    let accepted = false;
    for (const c of cands) {
      for (const r of c.ranks) {
        if (ev.timeUp()) break;
        const R = withBond(cur.R, c.i, c.j, r);
        const e = ev.cached(R) ?? ev.evaluate(R, { R: cur.R, cores: cur.cores }, options.iters, options.restarts);
        if (e.rse <= ev.rse) {
          cur = e;
          accepted = true;
          options.onStep?.(cur);
          break;
        }
      }
      if (accepted || ev.timeUp()) break;
    }
    if (!accepted) break;
  }
  return cur;
}

/** Every active bond as a candidate reduction, with its spectrum tail and the ranks to try. */
function candidates(cur: Evaluation, target: number): Candidate[] {
  const edges = activeEdges(cur.R);
  return edges.map(([i, j]) => {
    const s = bondSpectrum(cur.cores, cur.R, i, j);
    const r = cur.R[i]![j]!;
    // The last value's share of Σσ², relative to the largest so it neither overflows nor vanishes.
    const { tail: tails } = scaledTailSums(s);
    const tail = r > s.length || !(tails[0]! > 0) ? 0 : tails[s.length - 1]! / tails[0]!;
    const numerical = numericalRank(s, target / Math.sqrt(Math.max(1, edges.length)));
    const ranks = numerical < r - 1 ? [numerical, r - 1] : [r - 1];
    return { i, j, tail, ranks };
  });
}

/** The smallest k whose discarded tail √(Σ_{>k} σ²) is ≤ rel·‖σ‖. */
export function numericalRank(s: readonly number[], rel: number): number {
  // Tail sums relative to the largest value (scaled-norm.ts), so σ near 1e±300 rank alike.
  const { tail } = scaledTailSums(s);
  const budget = rel * rel * tail[0]!;
  let k = s.length;
  while (k > 1 && tail[k - 1]! <= budget) k--;
  return k;
}

function shuffle<T>(a: T[], rng: Random): void {
  for (let k = a.length - 1; k > 0; k--) {
    const m = rng.int(k + 1);
    [a[k], a[m]] = [a[m]!, a[k]!];
  }
}

/** Options of {@link allocatedChain}. */
export interface AllocateOptions {
  /** Largest unfolding side whose Gram matrix is diagonalised (default 1024); a larger cut returns undefined. */
  maxSide?: number;
  /** Bisection steps on the error budget (default 8). */
  steps?: number;
}

/**
 * A tensor train at the target RSE with the error spent where it saves most parameters
 * (for approximate data, where TT-SVD's even split of rse over the N−1 cuts is wasteful
 * and leaves slack below the target).
 *
 * From the singular values σ_k of every unfolding (eigenvalues of the smaller Gram
 * matrix), singular values are dropped greedily, the one with the most parameters saved
 * per σ² first (dropping one at cut k saves d_k·r_{k−1} + d_{k+1}·r_{k+1}), while Σσ² ≤
 * (α·target·‖x‖)². TT-SVD with those ranks as caps discards at most that (each sequential
 * truncation's tail is bounded by the unfolding's), so α = 1 is always feasible; α is
 * bisected upward (the bound is loose) keeping the largest α whose TT-SVD meets the target.
 * Returns undefined when an unfolding is too large to diagonalise (both sides > maxSide).
 */
export function allocatedChain(x: Tensor, target: number, options: AllocateOptions = {}): TtDecomposition | undefined {
  const maxSide = options.maxSide ?? 1024;
  const steps = options.steps ?? 8;
  if (!(target > 0)) throw new RangeError(`allocatedChain: the target RSE must be positive, got ${target}`);
  const dims = [...x.shape];
  const n = dims.length;
  if (n < 2) throw new RangeError(`allocatedChain: needs a tensor of order ≥ 2, got shape [${dims.join(', ')}]`);
  const spectra: number[][] = [];
  let rows = 1;
  for (let k = 0; k < n - 1; k++) {
    rows *= dims[k]!;
    const cols = x.size / rows;
    if (Math.min(rows, cols) > maxSide) return undefined;
    spectra.push(unfoldingSpectrumSq(x, rows, cols));
  }
  const normSq = spectra[0]!.reduce((s, v) => s + v, 0);
  if (normSq === 0) return ttSvd(x, { maxRank: 1 });
  const ranksFor = (alpha: number): number[] => {
    const budget = (alpha * target) ** 2 * normSq;
    const r = spectra.map((s) => s.length);
    let spent = 0;
    for (;;) {
      let best = -1;
      let bestRatio = -1;
      for (let k = 0; k < n - 1; k++) {
        if (r[k]! <= 1) continue;
        const cost = spectra[k]![r[k]! - 1]!;
        if (spent + cost > budget) continue;
        const saved = dims[k]! * (k > 0 ? r[k - 1]! : 1) + dims[k + 1]! * (k < n - 2 ? r[k + 1]! : 1);
        const ratio = saved / Math.max(cost, 1e-300 * normSq);
        if (ratio > bestRatio) {
          bestRatio = ratio;
          best = k;
        }
      }
      if (best < 0) return r;
      spent += spectra[best]![r[best]! - 1]!;
      r[best]!--;
    }
  };
  let good = ttSvd(x, { maxRank: ranksFor(1) });
  // Bisect α upward: the sum of unfolding tails overestimates the sequential error.
  let lo = 1;
  let hi = Math.sqrt(n - 1) + 1;
  for (let s = 0; s < steps; s++) {
    const mid = (lo + hi) / 2;
    const tt = ttSvd(x, { maxRank: ranksFor(mid) });
    if (tt.rse <= target) {
      lo = mid;
      if (tt.params <= good.params) good = tt;
    } else hi = mid;
  }
  return good;
}

/** Squared singular values (descending, zeros dropped) of x unfolded as rows × cols, via the smaller Gram matrix. */
function unfoldingSpectrumSq(x: Tensor, rows: number, cols: number): number[] {
  const m = x.contiguous().reshape(rows, cols);
  const gram = rows <= cols ? matmul(m, m, { transB: true }) : matmul(m, m, { transA: true });
  const w = Array.from(eigh(gram, { symmetryTol: 1e-6 }).values.toTypedArray()).reverse();
  const top = w[0] ?? 0;
  return w.filter((v) => v > top * 1e-28).map((v) => Math.max(v, 0));
}
