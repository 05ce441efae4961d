/**
 * The two refinements every structure ends with: growth until the target RSE is met
 * (greedy: the bond increase that lowers the error most) and rank pruning (reduce each
 * bond by SVD truncation + a short warm-started refit while the RSE stays within the
 * target). Growth alone is also the greedy baseline (Hashemizadeh et al. 2020).
 */
import { allPairs, withBond } from './structure.js';
import { bondInformation, bondSpectrum } from './bond-ops.js';
import { numericalRank } from './compress.js';
import type { Evaluation, Evaluator } from './evaluator.js';

/** Options of {@link growToTarget}. */
export interface GrowOptions {
  /** Also try creating edges (rank 2) between cores not yet joined (default true). */
  newEdges?: boolean;
  /** ALS sweeps per candidate (default: the evaluator's). */
  iters?: number;
  /** Cap on any bond (default 64). */
  maxRank?: number;
  /**
   * How candidates are compared: 'error' (lowest RSE, the greedy baseline) or
   * 'efficiency' (largest drop of log RSE per added parameter; RGTN). Default 'error'.
   */
  score?: 'error' | 'efficiency';
  /** Random restarts per candidate (default 0: candidates are compared by their warm-started fit). */
  restarts?: number;
  /** Called after each accepted step. */
  onStep?: (e: Evaluation) => void;
}

/**
 * Greedy growth: from `start`, repeatedly try +1 on every bond (and new rank-2 edges),
 * each warm-started from the current cores, and keep the candidate with the lowest
 * RSE, until the target is met, nothing helps, or the time is up.
 */
export function growToTarget(ev: Evaluator, start: Evaluation, options: GrowOptions = {}): Evaluation {
  const { newEdges = true, maxRank = 64 } = options;
  let cur = start;
  while (cur.rse > ev.rse && !ev.timeUp()) {
    let best: Evaluation | undefined;
    let bestScore = Infinity;
    const base = cur;
    const scoreOf = (e: Evaluation): number => options.score === 'efficiency'
      ? (Math.log(Math.max(e.rse, 1e-300)) - Math.log(Math.max(base.rse, 1e-300))) / Math.max(1, e.params - base.params)
      : e.rse;
    for (const [i, j] of allPairs(cur.R.length)) {
      const r = cur.R[i]![j]!;
      if (r >= maxRank || (r === 1 && !newEdges)) continue;
      const cand = ev.evaluate(withBond(cur.R, i, j, r === 1 ? 2 : r + 1), { R: cur.R, cores: cur.cores }, options.iters, options.restarts ?? 0);
      const sc = scoreOf(cand);
      if (!best || sc < bestScore) {
        best = cand;
        bestScore = sc;
      }
      if (ev.timeUp()) break;
    }
    if (!best || best.rse >= cur.rse * (1 - 1e-9)) break;
    cur = best;
    options.onStep?.(cur);
  }
  return cur;
}

/** Options of {@link rankPrune}. */
export interface PruneOptions {
  /** ALS sweeps per trial (default: the evaluator's). */
  iters?: number;
  /** Called after each accepted reduction. */
  onStep?: (e: Evaluation) => void;
}

/**
 * Rank pruning of a feasible structure: bonds in order of increasing mutual information;
 * for each, first the rank its spectrum suggests (the discarded tail within
 * target/√edges), then steps of −1, each a truncation by SVD of the bond matricization
 * and a short refit; a reduction is kept when the RSE stays ≤ target. Passes repeat
 * until none succeeds.
 */
export function rankPrune(ev: Evaluator, start: Evaluation, options: PruneOptions = {}): Evaluation {
  let cur = start;
  if (cur.rse > ev.rse) return cur;
  let changed = true;
  while (changed && !ev.timeUp()) {
    changed = false;
    const edges = allPairs(cur.R.length)
      .filter(([i, j]) => cur.R[i]![j]! > 1)
      .map(([i, j]) => {
        const s = bondSpectrum(cur.cores, cur.R, i, j);
        return { i, j, s, mi: bondInformation(s) };
      })
      .sort((a, b) => a.mi - b.mi);
    for (const { i, j, s } of edges) {
      if (ev.timeUp()) break;
      if (cur.R[i]![j]! <= 1) continue;
      const suggested = numericalRank(s, ev.rse / Math.sqrt(Math.max(1, edges.length)));
      let trySuggestion = suggested < cur.R[i]![j]! - 1;
      let next = trySuggestion ? suggested : cur.R[i]![j]! - 1;
      while (next >= 1 && !ev.timeUp()) {
        const cand = ev.evaluate(withBond(cur.R, i, j, next), { R: cur.R, cores: cur.cores }, options.iters);
        if (cand.rse <= ev.rse) {
          cur = cand;
          changed = true;
          options.onStep?.(cur);
          next--;
        } else if (trySuggestion) {
          next = cur.R[i]![j]! - 1; // the suggestion failed: step down by one instead
        } else break;
        trySuggestion = false;
      }
    }
  }
  return cur;
}
