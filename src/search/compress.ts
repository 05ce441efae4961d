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
import { Random } from '../tensor/random.js';
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
  if (cur.rse > ev.target) return cur;
  for (;;) {
    if (ev.timeUp()) break;
    const cands = candidates(cur, ev.target);
    if (order === 'random') shuffle(cands, rng);
    else cands.sort((a, b) => a.tail - b.tail);
    let accepted = false;
    for (const c of cands) {
      for (const r of c.ranks) {
        if (ev.timeUp()) break;
        const R = withBond(cur.R, c.i, c.j, r);
        const e = ev.cached(R) ?? ev.evaluate(R, { R: cur.R, cores: cur.cores }, options.iters, options.restarts);
        if (e.rse <= ev.target) {
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
    const total = s.reduce((t, v) => t + v * v, 0) || 1;
    const tail = r > s.length ? 0 : s[s.length - 1]! ** 2 / total;
    const numerical = numericalRank(s, target / Math.sqrt(Math.max(1, edges.length)));
    const ranks = numerical < r - 1 ? [numerical, r - 1] : [r - 1];
    return { i, j, tail, ranks };
  });
}

/** The smallest k whose discarded tail √(Σ_{>k} σ²) is ≤ rel·‖σ‖. */
export function numericalRank(s: readonly number[], rel: number): number {
  const total = s.reduce((t, v) => t + v * v, 0);
  let tail = 0;
  let k = s.length;
  while (k > 1 && Math.sqrt(tail + s[k - 1]! ** 2) <= rel * Math.sqrt(total)) {
    tail += s[k - 1]! ** 2;
    k--;
  }
  return k;
}

function shuffle<T>(a: T[], rng: Random): void {
  for (let k = a.length - 1; k > 0; k--) {
    const m = rng.int(k + 1);
    [a[k], a[m]] = [a[m]!, a[k]!];
  }
}
