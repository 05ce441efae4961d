/**
 * TNGA (Li & Sun 2020): a genetic algorithm over structures. Individuals are rank
 * matrices over the fully connected graph (rank 1 = no edge); fitness is the
 * evaluator's objective (log params, steep penalty above the target RSE); rank-based
 * selection, elitism, uniform crossover per bond and ±1 mutation. A generation's new
 * individuals are independent, so they are fitted as one batch (optionally on worker
 * threads), each warm-started from its nearest member of the previous generation.
 */
import { Random } from '../tensor/random.js';
import { nearestEvaluation, type Evaluation, type Evaluator } from './evaluator.js';
import { allPairs, structureKey } from './structure.js';
import { evaluateBatch, poolFor, type Candidate, type EvaluationPool } from './worker-pool.js';

/** Options of {@link tnga}. */
export interface TngaOptions {
  /** Population size (default 12). */
  population?: number;
  /** Generations (default 15). */
  generations?: number;
  /** Individuals copied unchanged to the next generation (default 2). */
  elite?: number;
  /** Per-bond mutation probability (default 0.15). */
  mutation?: number;
  /** Ranks of the random first generation are drawn from 1…maxInitRank (default 4). */
  maxInitRank?: number;
  /**
   * Probability that a pair of cores is joined at all in the first generation (default 1:
   * every pair draws a rank). Below 1 suits many cores: on a 4^8 tensor, ranks up to 4 on
   * all 28 pairs give cores with 4^7 bond entries, which no budget can fit.
   */
  initEdgeProb?: number;
  maxRank?: number;
  seed?: number;
  /**
   * Worker threads that fit a generation's new individuals in parallel (default 0: this
   * thread). The result does not depend on it.
   */
  workers?: number;
}

/** Runs TNGA; returns the best feasible individual (or the best one when none is feasible). */
export function tnga(ev: Evaluator, options: TngaOptions = {}): Evaluation {
  const pool = poolFor(ev, options.workers);
  try {
    return evolve(ev, options, pool);
  } finally {
    pool?.close();
  }
}

function evolve(ev: Evaluator, options: TngaOptions, pool: EvaluationPool | undefined): Evaluation {
  const { population = 12, generations = 15, elite = 2, mutation = 0.15, maxInitRank = 4, maxRank = 16, initEdgeProb = 1 } = options;
  if (!(initEdgeProb > 0 && initEdgeProb <= 1)) throw new RangeError(`tnga: initEdgeProb must be in (0, 1], got ${initEdgeProb}`);
  const rng = new Random(options.seed ?? 0);
  const n = ev.dims.length;
  const pairs = allPairs(n);
  const fromBonds = (bonds: number[]): number[][] => {
    const R = Array.from({ length: n }, () => new Array<number>(n).fill(1));
    pairs.forEach(([i, j], k) => {
      R[i]![j] = bonds[k]!;
      R[j]![i] = bonds[k]!;
    });
    return R;
  };
  const bondsOf = (R: number[][]): number[] => pairs.map(([i, j]) => R[i]![j]!);
  // The first generation starts from random cores (no parent to warm-start from).
  // With initEdgeProb = 1 no extra random number is drawn, so default runs are unchanged.
  const initialRank = (): number => (initEdgeProb < 1 && rng.uniform() >= initEdgeProb ? 1 : 1 + rng.int(maxInitRank));
  const first = Array.from({ length: population }, (): Candidate => ({ R: fromBonds(pairs.map(initialRank)) }));
  let pop = evaluateBatch(ev, first, pool);
  for (let g = 1; g < generations && !ev.timeUp(); g++) {
    pop.sort((a, b) => ev.objective(a) - ev.objective(b));
    const next: number[][][] = pop.slice(0, elite).map((e) => e.R);
    const seen = new Set(next.map(structureKey));
    // Rank-based selection: weight (population − rank).
    const pick = (): Evaluation => {
      const total = (pop.length * (pop.length + 1)) / 2;
      let u = rng.uniform() * total;
      for (let k = 0; k < pop.length; k++) {
        u -= pop.length - k;
        if (u <= 0) return pop[k]!;
      }
      return pop[pop.length - 1]!;
    };
    let guard = 0;
    while (next.length < population && guard++ < population * 20) {
      const a = bondsOf(pick().R);
      const b = bondsOf(pick().R);
      const child = a.map((v, k) => (rng.uniform() < 0.5 ? v : b[k]!)).map((v) => {
        if (rng.uniform() >= mutation) return v;
        return Math.min(maxRank, Math.max(1, v + (rng.uniform() < 0.5 ? -1 : 1)));
      });
      const R = fromBonds(child);
      const key = structureKey(R);
      if (seen.has(key)) continue;
      seen.add(key);
      next.push(R);
    }
    const parents = pop;
    pop = evaluateBatch(ev, next.map((R): Candidate => {
      const near = nearestEvaluation(R, parents);
      return near ? { R, init: { R: near.R, cores: near.cores } } : { R };
    }), pool);
  }
  pop.sort((a, b) => ev.objective(a) - ev.objective(b));
  return ev.best() ?? pop[0]!;
}

