/**
 * Rank-space local search baselines over a fully connected graph (rank 1 = no edge):
 * TNLS (Li et al. 2022: sample neighbours of the current structure, move to the best
 * improvement) and TnALE (Li et al. 2023: alternating local enumeration, each bond in
 * turn tried at r−radius … r+radius with the others fixed). Both start from a feasible
 * structure (by default the smaller of TT-SVD and TR-SVD at the target, or the greedy
 * result when the tensor is masked; `start: 'allocated'` gives RGTN's approximate-data
 * start, compress.ts's allocatedChain) and minimise the evaluator's objective. The candidates of one
 * step (TNLS's samples, TnALE's ranks of one bond) are independent and fitted as one
 * batch, optionally on worker threads (`workers`; the result does not depend on it).
 */
import { Random } from '../tensor/random.js';
import type { Evaluation, Evaluator } from './evaluator.js';
import { allocatedChain } from './compress.js';
import { growToTarget } from './refine.js';
import { allPairs, cloneRanks, structureSize, structureKey, withBond } from './structure.js';
import { trSvdStructure, ttSvdStructure } from './svd-baselines.js';
import { evaluateBatch, poolFor, type Candidate } from './worker-pool.js';

/**
 * Where local search starts: 'ttsvd' (default) the smaller of TT-SVD and TR-SVD at the
 * target; 'allocated' the chain of compress.ts's allocatedChain (the error spent where
 * it saves most parameters, RGTN's start on approximate data), so the searches can be
 * compared from the same start. Masked data always start from greedy growth.
 */
export type LocalSearchStart = 'ttsvd' | 'allocated';

/** A feasible start for local search (see {@link LocalSearchStart}). */
export function feasibleStart(ev: Evaluator, start: LocalSearchStart = 'ttsvd'): Evaluation {
  if (start !== 'ttsvd' && start !== 'allocated') throw new RangeError(`local search: start must be 'ttsvd' or 'allocated', got '${String(start)}'`);
  if (ev.options.mask === undefined && start === 'allocated') {
    const chain = allocatedChain(ev.x, ev.rse);
    // undefined when an unfolding is too large to diagonalise: fall back to TT-SVD/TR-SVD.
    if (chain) {
      const e: Evaluation = { R: chain.rankMatrix, ...structureSize(chain.rankMatrix, ev.dims), rse: chain.rse, cores: chain.cores };
      ev.evaluations++;
      ev.record(e);
      return e;
    }
  }
  if (ev.options.mask === undefined) {
    const tt = ttSvdStructure(ev);
    if (ev.dims.length < 3) return tt;
    const tr = trSvdStructure(ev);
    return tr.params < tt.params ? tr : tt;
  }
  const ones = ev.dims.map(() => ev.dims.map(() => 1));
  return growToTarget(ev, ev.evaluate(ones), { newEdges: true });
}

/** Options of {@link tnls}. */
export interface TnlsOptions {
  /** Neighbours sampled per step (default 8). */
  samples?: number;
  /** Probability that a bond is perturbed (±1) in a sample (default 0.3). */
  perturb?: number;
  /** Steps without improvement before stopping (default 3). */
  patience?: number;
  maxRank?: number;
  seed?: number;
  /** Worker threads fitting a step's samples in parallel (default 0: this thread). */
  workers?: number;
  /** Starting structure (default 'ttsvd'). */
  start?: LocalSearchStart;
}

/** TNLS: sampling-based local search in rank space. */
export function tnls(ev: Evaluator, options: TnlsOptions = {}): Evaluation {
  const { samples = 8, perturb = 0.3, patience = 3, maxRank = 16 } = options;
  const rng = new Random(options.seed ?? 0);
  let cur = feasibleStart(ev, options.start);
  let stale = 0;
  const pairs = allPairs(ev.dims.length);
  const pool = poolFor(ev, options.workers);
  try {
    while (stale < patience && !ev.timeUp()) {
      const batch: Candidate[] = [];
      for (let s = 0; s < samples; s++) {
        const R = cloneRanks(cur.R);
        let changed = false;
        for (const [i, j] of pairs) {
          if (rng.uniform() >= perturb) continue;
          const r = Math.min(maxRank, Math.max(1, R[i]![j]! + (rng.uniform() < 0.5 ? -1 : 1)));
          if (r !== R[i]![j]!) changed = true;
          R[i]![j] = r;
          R[j]![i] = r;
        }
        if (changed) batch.push({ R, init: { R: cur.R, cores: cur.cores } });
      }
      let best: Evaluation | undefined;
      for (const e of evaluateBatch(ev, batch, pool)) if (!best || ev.objective(e) < ev.objective(best)) best = e;
      if (best && ev.objective(best) < ev.objective(cur)) {
        cur = best;
        stale = 0;
      } else stale++;
    }
  } finally {
    pool?.close();
  }
  return ev.best() ?? cur;
}

/** Options of {@link tnale}. */
export interface TnaleOptions {
  /** Enumeration radius around the current rank (default 1). */
  radius?: number;
  maxRank?: number;
  /** Maximum sweeps over the bonds (default 10). */
  sweeps?: number;
  /** Worker threads fitting one bond's candidate ranks in parallel (default 0: this thread). */
  workers?: number;
  /** Starting structure (default 'ttsvd'). */
  start?: LocalSearchStart;
}

/** TnALE: alternating local enumeration over the bonds. */
export function tnale(ev: Evaluator, options: TnaleOptions = {}): Evaluation {
  const { radius = 1, maxRank = 16, sweeps = 10 } = options;
  let cur = feasibleStart(ev, options.start);
  const pool = poolFor(ev, options.workers);
  try {
    for (let sweep = 0; sweep < sweeps && !ev.timeUp(); sweep++) {
      const before = structureKey(cur.R);
      for (const [i, j] of allPairs(ev.dims.length)) {
        if (ev.timeUp()) break;
        // Enumerate this bond's ranks around r0 with the others fixed, all from the current cores.
        const r0 = cur.R[i]![j]!;
        const batch: Candidate[] = [];
        for (let r = Math.max(1, r0 - radius); r <= Math.min(maxRank, r0 + radius); r++) {
          if (r !== r0) batch.push({ R: withBond(cur.R, i, j, r), init: { R: cur.R, cores: cur.cores } });
        }
        for (const e of evaluateBatch(ev, batch, pool)) if (ev.objective(e) < ev.objective(cur)) cur = e;
      }
      if (structureKey(cur.R) === before) break;
    }
  } finally {
    pool?.close();
  }
  return ev.best() ?? cur;
}
