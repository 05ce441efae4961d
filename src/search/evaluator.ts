/**
 * The one evaluation interface of every search strategy: structure → fitted cores, RSE
 * and parameter count. Fits run fitCores (ALS on the observed entries), warm-started
 * from the nearest structure already evaluated (bonds truncated by SVD or padded), and
 * results are cached by structure, so strategies that revisit a structure pay nothing.
 * On small problems a fit that ALS leaves above the target is polished by
 * Levenberg–Marquardt (lmFit), which converges quadratically where ALS crawls (loops).
 */
import { fitCores, type FitCoresOptions, type FitCoresResult } from '../decompose/fit-cores.js';
import { lmFit } from '../decompose/levenberg-marquardt.js';
import { maskBytes, type Mask } from '../decompose/mask.js';
import { paramCount, type RankMatrix } from '../network/index.js';
import { stopRequested, type StopFlag } from '../decompose/stop-flag.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { adaptCores } from './bond-ops.js';
import { isZeroNetwork, sweepSeconds, zeroCores } from './fit-cost.js';
import { cloneRanks, structureSize, structureKey } from './structure.js';

/** Why a search ended before it finished: its wall-clock budget, or a stop request (SIGINT/SIGTERM in the CLI). */
export type StopReason = 'budget' | 'interrupted';

/** A fitted structure. */
export interface Evaluation {
  R: number[][];
  params: number;
  /** params / entries. */
  cr: number;
  /** RSE on the observed entries (all without a mask). */
  rse: number;
  /** RSE on the missing entries, with a mask and the truth. */
  rseMissing?: number;
  cores: Tensor[];
}

/** Options of {@link Evaluator}. */
export interface EvaluatorOptions {
  /** The target RSE (in [0, 1]): an evaluation whose RSE is ≤ rse is feasible. */
  rse: number;
  mask?: Mask;
  truth?: Tensor;
  /** ALS sweeps per evaluation (default 40). */
  iters?: number;
  /**
   * Random restarts (seeded) after a warm-started fit that misses the target (default 0).
   * ALS on networks with loops stalls in local minima from some starts (on a 4^5 ring,
   * about 40% of random starts), so one fit cannot tell "infeasible" from "unlucky";
   * the best of the fits is kept and the first one that meets the target ends the search.
   */
  restarts?: number;
  /**
   * A fit stops early once its RSE is ≤ stopAt (default: the target). Below the target
   * leaves headroom: the next structure's warm start (a truncation of these cores) then
   * starts from a fit that is more than barely feasible.
   */
  stopAt?: number;
  /** ALS stopping tolerance (default 1e-7). */
  tol?: number;
  /**
   * Plateau stop for approximate data (default 1e-3): once a fit has reached the target
   * but not stopAt, it stops when the RSE improves by less than this fraction in a sweep.
   * On data that cannot be fitted to stopAt (images) every fit would otherwise run all
   * its sweeps; on exact data fits fall through this band quickly, so it rarely applies.
   * 0 disables it. No effect when stopAt ≥ target.
   */
  plateauTol?: number;
  /**
   * Stall stop for approximate data (default 1e-4): once a fit has stopped on the plateau
   * above stopAt (so the data are evidently not fitted exactly), later fits that have not
   * reached the target stop when the RSE improves by less than this fraction in a sweep,
   * instead of the ALS tolerance. Never applies before that, so exact data (where ALS can
   * sit in a swamp for many sweeps and then drop) are unaffected. 0 disables it.
   */
  stallTol?: number;
  seed?: number;
  /**
   * Polish of a fit that ALS leaves above the target (default 'lm'): Levenberg–Marquardt
   * from the ALS cores (see lmFit), when the problem is small enough (`polishMaxEntries`).
   * On networks with loops ALS crawls near an exact solution (RSE 1e-3…1e-5 after many
   * sweeps) where LM takes a few steps. LM gives up when it stops halving the RSE, so a
   * fit stuck in a local minimum costs only a few steps more.
   */
  polish?: 'lm' | 'none';
  /** Largest observed entries × parameters (the dense Jacobian) for the LM polish (default 2e6). */
  polishMaxEntries?: number;
  /** Maximum LM steps of one polish (default 50). */
  polishIters?: number;
  /**
   * Smoothness penalty of every fit along each core's physical index (fitCores'
   * `smoothness`; default none). With it the LM polish is off (LM fits the unpenalised loss).
   */
  smoothness?: number | readonly number[];
  /** Wall-clock budget in seconds from construction (default none). */
  budgetSeconds?: number;
  /** A shared stop request (interrupts): checked where the budget is, i.e. between fits and between sweeps. */
  stop?: StopFlag;
  /** Called whenever the best result so far ({@link Evaluator.bestSoFar}) changes: for live progress. */
  onImprove?: (best: Evaluation, ev: Evaluator) => void;
}

/** Warm start for an evaluation: cores fitted for structure R. */
export interface WarmStart {
  R: RankMatrix;
  cores: readonly Tensor[];
}

/** Counts evaluations, caches them, keeps the best feasible one and watches the time budget. */
export class Evaluator {
  readonly dims: number[];
  readonly rse: number;
  evaluations = 0;
  /** ALS fits run (an evaluation with restarts runs several). */
  fits = 0;
  /** LM polishes run, and how many of them brought a fit from above the target to within it. */
  polishes = 0;
  polishesFeasible = 0;
  readonly started = performance.now();
  private readonly cache = new Map<string, Evaluation>();
  private readonly deadline: number;
  private bestFeasible: Evaluation | undefined;
  private lowestRse: Evaluation | undefined;
  /** Set once a structure was left unfitted because the budget could not pay for it. */
  private budgetLimited = false;
  private readonly rng: Random;
  /** Set once a fit stalled between stopAt and the target (the data are not exact). */
  private approximate = false;
  /** Entries the fits see (the observed ones with a mask). */
  private readonly observed: number;

  constructor(readonly x: Tensor, readonly options: EvaluatorOptions) {
    if (!(options.rse >= 0 && options.rse <= 1)) throw new RangeError(`search: rse (the target RSE) must be in [0, 1], got ${options.rse}`);
    if (options.budgetSeconds !== undefined && !(options.budgetSeconds > 0)) {
      throw new RangeError(`search: budgetSeconds must be a positive number, got ${options.budgetSeconds}`);
    }
    if (options.polish !== undefined && options.polish !== 'lm' && options.polish !== 'none') {
      throw new RangeError(`search: polish must be 'lm' or 'none', got ${String(options.polish)}`);
    }
    if (options.polishMaxEntries !== undefined && !(options.polishMaxEntries >= 0)) {
      throw new RangeError(`search: polishMaxEntries must be a non-negative number, got ${options.polishMaxEntries}`);
    }
    if (options.polishIters !== undefined && !(Number.isInteger(options.polishIters) && options.polishIters >= 1)) {
      throw new RangeError(`search: polishIters must be a positive integer, got ${options.polishIters}`);
    }
    for (const [name, v] of [['plateauTol', options.plateauTol], ['stallTol', options.stallTol]] as const) {
      if (v !== undefined && !(v >= 0 && v < 1)) throw new RangeError(`search: ${name} must be in [0, 1), got ${v}`);
    }
    this.dims = [...x.shape];
    this.rse = options.rse;
    this.deadline = options.budgetSeconds === undefined ? Infinity : this.started + options.budgetSeconds * 1000;
    this.rng = new Random(options.seed ?? 0);
    if (options.mask === undefined) this.observed = x.size;
    else this.observed = maskBytes(options.mask, this.dims, 'search').reduce((c, b) => c + (b !== 0 ? 1 : 0), 0);
  }

  /** True once the time budget is spent or a stop was requested: every loop of a search ends here. */
  timeUp(): boolean {
    return performance.now() >= this.deadline || stopRequested(this.options.stop);
  }

  /**
   * Why the search is ending early: a stop request, the budget (spent, or too small to fit a
   * structure it wanted to try), or neither (undefined).
   */
  stopReason(): StopReason | undefined {
    if (stopRequested(this.options.stop)) return 'interrupted';
    return performance.now() >= this.deadline || this.budgetLimited ? 'budget' : undefined;
  }

  /** Seconds since construction. */
  seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** The cached evaluation of R, if any. */
  cached(R: RankMatrix): Evaluation | undefined {
    return this.cache.get(structureKey(R));
  }

  /**
   * The feasible evaluation with the fewest parameters so far. Structures with more
   * parameters than the tensor has entries never count: storing the tensor itself is smaller.
   */
  best(): Evaluation | undefined {
    return this.bestFeasible;
  }

  /**
   * What the search has to show at any moment: the best feasible evaluation, else the one
   * with the lowest RSE (both no larger than the tensor), else undefined.
   */
  bestSoFar(): Evaluation | undefined {
    return this.bestFeasible ?? this.lowestRse;
  }

  /** Search objective (smaller is better): log params, plus a steep penalty above the target. */
  objective(e: Evaluation): number {
    const excess = e.rse > this.rse ? Math.log(e.rse / Math.max(this.rse, 1e-300)) : 0;
    return Math.log(e.params) + 10 * excess;
  }

  /**
   * Fits structure R (cached). The warm start is `init` when given, else the nearest
   * cached structure (L1 distance of the ranks), else seeded random cores. When that fit
   * misses the target, up to `restarts` (default: the evaluator's) fits from seeded
   * random cores follow, stopping at the first that meets the target; the best is kept.
   * Every fit stops early once the RSE is within the target. `force` fits R even when the
   * budget is spent (one sweep then), also over a cached score without a fit: for a
   * search's last, cheap fallback.
   */
  evaluate(R: RankMatrix, init?: WarmStart, iters?: number, restarts?: number, force = false): Evaluation {
    const key = structureKey(R);
    const hit = this.cache.get(key);
    if (hit && !(force && isZeroNetwork(hit.cores))) return hit;
    if (!force && !this.affordable(R)) return this.unfitted(R);
    const nearest = init ?? this.nearest(R);
    // A structure scored without fitting (zero cores) is no warm start.
    const start = nearest && !isZeroNetwork(nearest.cores) ? nearest : undefined;
    const warm = start ? adaptCores(start.cores, start.R, R, this.rng) : undefined;
    const base = {
      iters: iters ?? this.options.iters ?? 40,
      tol: this.options.tol ?? 1e-7,
      stopAt: this.options.stopAt ?? this.rse,
      // The budget also bounds each fit: no ALS sweep starts after it (Date.now() time, as workers use).
      ...(Number.isFinite(this.deadline) ? { deadline: Date.now() + (this.deadline - performance.now()) } : {}),
      ...(this.options.stop !== undefined ? { stop: this.options.stop } : {}),
      ...(this.options.smoothness !== undefined ? { smoothness: this.options.smoothness } : {}),
      ...(this.options.mask !== undefined ? { mask: this.options.mask } : {}),
      ...(this.options.truth !== undefined && this.options.mask !== undefined ? { truth: this.options.truth } : {}),
    };
    const seed0 = (this.options.seed ?? 0) * 1009 + this.evaluations * 31;
    let fit = this.fit(R, { ...base, seed: seed0, ...(warm ? { init: warm } : {}) });
    this.fits++;
    const tries = restarts ?? this.options.restarts ?? 0;
    for (let k = 1; k <= tries && fit.rse > this.rse && !this.timeUp(); k++) {
      const again = this.fit(R, { ...base, seed: seed0 + k });
      this.fits++;
      if (again.rse < fit.rse) fit = again;
    }
    this.evaluations++;
    const e: Evaluation = { R: cloneRanks(R), ...structureSize(R, this.dims), rse: fit.rse, cores: fit.cores };
    if (fit.rseMissing !== undefined) e.rseMissing = fit.rseMissing;
    this.record(e);
    return e;
  }

  /**
   * Whether one ALS sweep on R fits in what is left of the budget (always true without
   * one): fitCores' first sweep cannot be interrupted, so a structure whose sweep alone
   * would overrun the budget (`sweepSeconds` in fit-cost.ts) is not fitted.
   */
  affordable(R: RankMatrix, sweeps = 1): boolean {
    if (!Number.isFinite(this.deadline)) return true;
    const ok = sweepSeconds(R, this.dims) * sweeps <= (this.deadline - performance.now()) / 1000;
    if (!ok) this.budgetLimited = true;
    return ok;
  }

  /** Notes that a structure was left unfitted for lack of budget elsewhere (a worker's job): the result then says stopped 'budget'. */
  noteBudgetLimit(): void {
    this.budgetLimited = true;
  }

  /** Scores R without fitting: the zero network (RSE 1), counted as an evaluation. */
  private unfitted(R: RankMatrix): Evaluation {
    this.evaluations++;
    const e: Evaluation = { R: cloneRanks(R), ...structureSize(R, this.dims), rse: 1, cores: zeroCores(R, this.dims, this.x.dtype) };
    this.record(e);
    return e;
  }

  /** Adds an evaluation computed elsewhere (SVD baselines, RGTN's own fits) to the cache. */
  record(e: Evaluation): void {
    const key = structureKey(e.R);
    const old = this.cache.get(key);
    if (!old || e.rse < old.rse || isZeroNetwork(old.cores)) this.cache.set(key, e);
    if (e.params > this.x.size) return;
    const before = this.bestSoFar();
    if (!this.lowestRse || e.rse < this.lowestRse.rse || (e.rse === this.lowestRse.rse && e.params < this.lowestRse.params)) this.lowestRse = e;
    if (e.rse <= this.rse && (!this.bestFeasible || e.params < this.bestFeasible.params || (e.params === this.bestFeasible.params && e.rse < this.bestFeasible.rse))) {
      this.bestFeasible = e;
    }
    const after = this.bestSoFar();
    if (after !== before && after !== undefined) this.options.onImprove?.(after, this);
  }

  /** One fit: ALS (with the plateau stop), then the LM polish when ALS ends above the target. */
  private fit(R: RankMatrix, options: FitCoresOptions & { iters: number; tol: number; stopAt: number }): FitCoresResult {
    const als = this.alsFit(R, options);
    if (als.rse <= this.rse || !this.polishable(R) || this.timeUp()) return als;
    this.polishes++;
    const lm = lmFit(this.x, R, {
      init: als.cores,
      iters: this.options.polishIters ?? 50,
      stopAt: options.stopAt,
      // Give up unless the RSE halves every 5 steps: in the basin LM does far better, and a
      // local minimum (which LM does not leave either) then costs only a few steps.
      tol: 0.5,
      window: 5,
      ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
      ...(options.stop !== undefined ? { stop: options.stop } : {}),
      ...(options.mask !== undefined ? { mask: options.mask } : {}),
      ...(options.truth !== undefined ? { truth: options.truth } : {}),
    });
    if (!(lm.rse < als.rse)) return als;
    if (lm.rse <= this.rse) this.polishesFeasible++;
    const out: FitCoresResult = { cores: lm.cores, rse: lm.rse, iters: als.iters + lm.iters, converged: lm.converged, history: [...als.history, ...lm.history] };
    if (lm.rseMissing !== undefined) out.rseMissing = lm.rseMissing;
    return out;
  }

  /** Whether the LM polish is on and R's dense Jacobian is within polishMaxEntries. */
  private polishable(R: RankMatrix): boolean {
    if ((this.options.polish ?? 'lm') === 'none' || this.options.smoothness !== undefined) return false;
    return this.observed * paramCount(R, this.dims) <= (this.options.polishMaxEntries ?? 2e6);
  }

  /**
   * One ALS fit with the plateau stop: fitCores cannot be stopped from outside, so a fit
   * whose stopAt is below the target runs in two phases: to the target with the ALS
   * tolerance (the stall tolerance once the data are known to be approximate), then on
   * from those cores to stopAt with the plateau tolerance.
   */
  private alsFit(R: RankMatrix, options: FitCoresOptions & { iters: number; tol: number; stopAt: number }): FitCoresResult {
    const plateau = this.options.plateauTol ?? 1e-3;
    if (!(plateau > 0) || options.stopAt >= this.rse) return fitCores(this.x, R, options);
    const stall = this.approximate ? Math.max(options.tol, this.options.stallTol ?? 1e-4) : options.tol;
    const first = fitCores(this.x, R, { ...options, stopAt: this.rse, tol: stall });
    if (first.rse > this.rse || first.rse <= options.stopAt || first.iters >= options.iters) return first;
    const second = fitCores(this.x, R, { ...options, init: first.cores, iters: options.iters - first.iters, tol: Math.max(options.tol, plateau) });
    if (second.converged && second.rse > options.stopAt) this.approximate = true;
    return { ...second, iters: first.iters + second.iters, history: [...first.history, ...second.history] };
  }

  private nearest(R: RankMatrix): WarmStart | undefined {
    return nearestEvaluation(R, this.cache.values());
  }

}

/** The evaluation whose structure is closest to R (L1 distance of the ranks; ties: lower RSE). */
export function nearestEvaluation(R: RankMatrix, evaluations: Iterable<Evaluation>): Evaluation | undefined {
  let best: Evaluation | undefined;
  let bestD = Infinity;
  for (const e of evaluations) {
    let d = 0;
    for (let i = 0; i < R.length; i++) for (let j = i + 1; j < R.length; j++) d += Math.abs(R[i]![j]! - e.R[i]![j]!);
    if (d < bestD || (d === bestD && best && e.rse < best.rse)) {
      best = e;
      bestD = d;
    }
  }
  return best;
}
