/**
 * Tensor completion by structure search chosen on held-out entries: the algorithm behind
 * `tnkit complete` (default method), as a library call.
 */
import { contractCores } from '../decompose/contract-cores.js';
import { stopRequested, type StopFlag } from '../decompose/stop-flag.js';
import { fitCores } from '../decompose/fit-cores.js';
import { maskBytes, type Mask } from '../decompose/mask.js';
import { Random } from '../tensor/random.js';
import { relativeError } from '../tensor/scaled-norm.js';
import type { Tensor } from '../tensor/tensor.js';
import { Evaluator, type Evaluation } from './evaluator.js';
import { resultOf, type SearchResult } from './rgtn.js';
import { allPairs, structureSize, withBond } from './structure.js';
import { evaluateBatch, poolFor } from './worker-pool.js';

/** Options of {@link validatedCompletion}. */
export interface ValidatedCompletionOptions {
  /** Observed entries (non-zero = observed), C order, one per entry of the tensor. */
  mask: Mask;
  /** Fraction of the observed entries held out for validation (default 0.1). */
  validation?: number;
  /** Seed of the hold-out split and of the fits (default 0). */
  seed?: number;
  /** ALS sweeps per candidate structure (default 20). */
  iters?: number;
  /** ALS sweeps of the final refit on every observed entry (default 3 × iters). */
  finalIters?: number;
  /** Growth steps without a better validation error before stopping (default 2). */
  patience?: number;
  /**
   * Growth stops once the held-out RSE is ≤ this (default 1e-6): on exactly low-rank data
   * every warm-started candidate keeps improving it by more sweeps alone, whatever its
   * structure, so without a floor growth would not stop.
   */
  stopAt?: number;
  /**
   * Wall-clock budget of the whole call in seconds (default none): the growth stops at
   * (1 − finalShare) of it and the final refit stops its sweeps at the budget (its
   * first sweep always runs, so the call can overrun by one sweep of the final fit).
   */
  budgetSeconds?: number;
  /** A shared stop request (see stop-flag.ts): growth ends at its next step, the final refit after one sweep. */
  stop?: StopFlag;
  /** Called when the growth finds a structure with a lower held-out RSE (`validation`): for live progress. */
  onImprove?: (best: Evaluation, at: { validation: number; seconds: number; evaluations: number }) => void;
  /** Share of the budget kept for the final refit on every observed entry (default 0.2). */
  finalShare?: number;
  /** Worker threads for the candidates of a step (default 0: this thread). */
  workers?: number;
  /** The full tensor, to report the RSE on the missing entries. */
  truth?: Tensor;
  /**
   * Smoothness penalty of every fit along each mode's index (fitCores' `smoothness`;
   * default none): for modes that are ordered axes (frames, rows, columns). 'auto': the
   * growth runs at {@link AUTO_SMOOTHNESS}[1] on every mode, then the chosen structure is
   * refitted on the training entries at each weight of {@link AUTO_SMOOTHNESS} and the one
   * with the lowest held-out RSE is kept for the final refit.
   */
  smoothness?: number | readonly number[] | 'auto';
}

/** The weights `smoothness: 'auto'` chooses from (the growth runs at the second). */
export const AUTO_SMOOTHNESS = [0.003, 0.01, 0.03, 0.1] as const;

/** Result of {@link validatedCompletion}: the chosen structure, its cores and the completed tensor. */
export interface ValidatedCompletion extends SearchResult {
  /** RSE of the chosen structure on the held-out observed entries (from its training fit). */
  rseValidation: number;
  /** The smoothness weight per mode the fits used (the chosen one with 'auto'); absent without a penalty. */
  smoothness?: number[];
  /** The fitted network contracted: every entry, observed and completed (x's shape). */
  completed: Tensor;
}

/**
 * Structure search for completion, chosen by held-out error. Fitting the observed
 * entries to a target RSE overfits when most entries are missing (the error on the
 * observed entries keeps falling as ranks grow while the error on the missing ones
 * rises), so a part of the observed entries is held out: greedy growth from rank 1
 * (each step tries every bond, and every new edge, one size larger — +1, or +25% for
 * large bonds — warm-started from the current cores and fitted on the training entries)
 * moves to the candidate with the lowest validation RSE, stops when that has not improved
 * for `patience` steps (or no candidate has fewer parameters than training entries, or
 * the held-out RSE is ≤ `stopAt`), and the best structure by validation is refitted on all
 * observed entries. The candidates of a step are independent: `workers` fits them in
 * parallel (same result for any worker count).
 * @throws RangeError for a mask of the wrong size, a validation fraction outside (0, 1),
 *   or too few observed entries to hold any out.
 */
export function validatedCompletion(x: Tensor, options: ValidatedCompletionOptions): ValidatedCompletion {
  const fn = 'validatedCompletion';
  const { validation = 0.1, seed = 0, iters = 20, patience = 2, stopAt = 1e-6, finalShare = 0.2 } = options;
  const started = Date.now();
  const finalIters = options.finalIters ?? 3 * iters;
  if (!(validation > 0 && validation < 1)) throw new RangeError(`${fn}: validation must be a fraction in (0, 1), got ${validation}`);
  for (const [name, v] of [['iters', iters], ['finalIters', finalIters], ['patience', patience]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${fn}: ${name} must be a positive integer, got ${v}`);
  }
  if (!(stopAt >= 0)) throw new RangeError(`${fn}: stopAt must be a non-negative number, got ${stopAt}`);
  if (!(finalShare >= 0 && finalShare < 1)) throw new RangeError(`${fn}: finalShare must be a fraction in [0, 1), got ${finalShare}`);
  const budget = options.budgetSeconds;
  if (budget !== undefined && !(budget > 0)) throw new RangeError(`${fn}: budgetSeconds must be a positive number of seconds, got ${budget}`);
  const mask = maskBytes(options.mask, [...x.shape], fn);
  // Split the observed entries: train (fit) and held out (select).
  const rng = new Random(seed * 7919 + 17);
  const train = new Uint8Array(mask.length);
  const held: number[] = [];
  let trainCount = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] === 0) continue;
    if (rng.uniform() < validation) held.push(p);
    else {
      train[p] = 1;
      trainCount++;
    }
  }
  if (held.length === 0) throw new RangeError(`${fn}: no observed entry was held out (too few observed entries)`);
  const xs = x.toTypedArray();
  const heldX = Float64Array.from(held, (p) => xs[p]!);
  const validationRse = (e: Evaluation): number => {
    const m = contractCores(e.cores, e.R).toTypedArray();
    // Scaled sums (scaled-norm.ts): the same RSE for c·X at any scale. All-zero held-out
    // entries make any non-zero model infinitely wrong; kept finite so rankings and JSON stay numbers.
    const r = relativeError(Float64Array.from(held, (p) => m[p]!), heldX);
    return r === Infinity ? Number.MAX_VALUE : r;
  };
  const n = x.ndim;
  const auto = options.smoothness === 'auto';
  if (typeof options.smoothness === 'string' && !auto) {
    throw new RangeError(`${fn}: smoothness must be a number, one number per mode, or 'auto', got '${options.smoothness}'`);
  }
  let smoothness: number[] | undefined = options.smoothness === undefined ? undefined
    : auto ? new Array<number>(n).fill(AUTO_SMOOTHNESS[1])
      : typeof options.smoothness === 'number' ? new Array<number>(n).fill(options.smoothness as number) : [...(options.smoothness as readonly number[])];
  // Target 0: no candidate is "feasible", so every fit runs its sweeps (or stalls by tol).
  const ev = new Evaluator(x, { rse: 0, mask: train, seed, iters, restarts: 0, tol: 1e-5,
    ...(budget !== undefined ? { budgetSeconds: budget * (1 - finalShare) } : {}),
    ...(smoothness !== undefined ? { smoothness } : {}),
    ...(options.stop !== undefined ? { stop: options.stop } : {}),
  });
  const pool = poolFor(ev, options.workers);
  const dims = [...x.shape];
  const ones = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  let cur = evaluateBatch(ev, [{ R: ones }], pool)[0]!;
  let best = { e: cur, v: validationRse(cur) };
  try {
    let stale = 0;
    while (stale < patience && best.v > stopAt && !ev.timeUp()) {
      // A structure with more parameters than training entries is not determined by them.
      const batch = allPairs(n).map(([i, j]) => {
        const r = cur.R[i]![j]!;
        return { R: withBond(cur.R, i, j, r === 1 ? 2 : r + Math.max(1, Math.round(r / 4))), init: { R: cur.R, cores: cur.cores } };
      }).filter((c) => structureSize(c.R, dims).params <= trainCount);
      if (batch.length === 0) break;
      let step: { e: Evaluation; v: number } | undefined;
      for (const e of evaluateBatch(ev, batch, pool)) {
        const v = validationRse(e);
        if (!step || v < step.v) step = { e, v };
      }
      if (!step) break;
      cur = step.e;
      if (step.v < best.v * (1 - 1e-3)) {
        best = step;
        stale = 0;
        options.onImprove?.(best.e, { validation: best.v, seconds: (Date.now() - started) / 1000, evaluations: ev.evaluations });
      } else stale++;
    }
  } finally {
    pool?.close();
  }
  // Whether the growth was cut short (by its share of the budget or a stop request), before the refits.
  const grown = ev.stopReason();
  const deadline = { ...(budget !== undefined ? { deadline: started + budget * 1000 } : {}), ...(options.stop !== undefined ? { stop: options.stop } : {}) };
  if (auto) {
    // Each weight refits the chosen structure on the training entries from its cores; the
    // held-out RSE decides (ties keep the growth's weight, which is tried first).
    for (const w of [AUTO_SMOOTHNESS[1], ...AUTO_SMOOTHNESS.filter((v) => v !== AUTO_SMOOTHNESS[1])]) {
      const weights = new Array<number>(n).fill(w);
      const trial = fitCores(x, best.e.R, { init: best.e.cores, mask: train, iters, tol: 1e-5, smoothness: weights, ...deadline });
      const e: Evaluation = { ...best.e, rse: trial.rse, cores: trial.cores };
      const v = validationRse(e);
      if (w === AUTO_SMOOTHNESS[1] || v < best.v) {
        best = { e, v };
        smoothness = weights;
      }
    }
  }
  // Refit the chosen structure on every observed entry, from its training fit.
  const fit = fitCores(x, best.e.R, {
    init: best.e.cores, mask, iters: finalIters, tol: 1e-6, ...deadline,
    ...(smoothness !== undefined ? { smoothness } : {}),
    ...(options.truth ? { truth: options.truth } : {}),
  });
  const final: Evaluation = { ...best.e, rse: fit.rse, cores: fit.cores };
  if (fit.rseMissing !== undefined) final.rseMissing = fit.rseMissing;
  const result = resultOf('validated', ev, final, (Date.now() - started) / 1000);
  delete result.stopped;
  const stopped = stopRequested(options.stop) ? 'interrupted' : grown ?? (budget !== undefined && Date.now() >= started + budget * 1000 ? 'budget' : undefined);
  if (stopped !== undefined) result.stopped = stopped;
  return {
    ...result, rseValidation: best.v, completed: contractCores(fit.cores, best.e.R),
    ...(smoothness !== undefined ? { smoothness } : {}),
  };
}

/** A fold of a tensor into a higher-order one and back: see {@link interleavedFold}. */
export interface InterleavedFold {
  /** Shape of the folded tensor. */
  shape: number[];
  /** The tensor (of the unfolded shape) folded. */
  fold(t: Tensor): Tensor;
  /** A tensor of the folded shape back in the original layout. */
  unfold(t: Tensor): Tensor;
}

/**
 * Higher-order folding with interleaved factors ("ket augmentation", as in TT/TR
 * completion of images): axis k+1 of `shape` (k = 0, 1, …) is split into factors[k]
 * (coarse to fine, their product = that axis), and the factors are ordered level by
 * level: [axis 0, level-1 factor of each listed axis, level-2 factors, …, unlisted
 * axes]. For frames × height × width with factors `[[9, 16], [11, 16]]` that is
 * `[F, 9, 11, 16, 16]`: a coarse block grid, then the pixels inside a block, so
 * neighbouring pixels differ only in the last modes and low bond ranks capture local
 * smoothness. Factors of 1 are dropped from the folded shape.
 * @throws RangeError when the factors do not multiply to their axis, the axes have
 *   different numbers of factors, or more axes are listed than the tensor has.
 */
export function interleavedFold(shape: readonly number[], factors: readonly (readonly number[])[]): InterleavedFold {
  const fn = 'interleavedFold';
  if (factors.length === 0 || factors.length > shape.length - 1) {
    throw new RangeError(`${fn}: give factors for 1 to ${shape.length - 1} axes after the first, got ${factors.length}`);
  }
  const levels = factors[0]!.length;
  factors.forEach((f, k) => {
    const axis = shape[k + 1]!;
    if (f.length !== levels) throw new RangeError(`${fn}: every axis needs the same number of factors (axis 1 has ${levels}, axis ${k + 1} has ${f.length}); pad with 1`);
    if (!f.every((d) => Number.isInteger(d) && d >= 1)) throw new RangeError(`${fn}: factors must be positive integers, got [${f.join(', ')}] for axis ${k + 1}`);
    const product = f.reduce((p, d) => p * d, 1);
    if (product !== axis) throw new RangeError(`${fn}: the factors [${f.join(', ')}] of axis ${k + 1} multiply to ${product}, not ${axis}`);
  });
  const rest = shape.slice(factors.length + 1);
  // Split layout: [axis 0, factors of axis 1, factors of axis 2, …, rest]; then interleave.
  const split = [shape[0]!, ...factors.flat(), ...rest];
  const perm = [0];
  for (let l = 0; l < levels; l++) for (let k = 0; k < factors.length; k++) perm.push(1 + k * levels + l);
  for (let r = 0; r < rest.length; r++) perm.push(1 + factors.length * levels + r);
  const permuted = perm.map((a) => split[a]!);
  const folded = permuted.filter((d, a) => a === 0 || d > 1);
  const back = perm.map((_, a) => perm.indexOf(a));
  return {
    shape: folded,
    fold: (t) => t.reshape(...split).permute(...perm).copy().reshape(...folded),
    unfold: (t) => t.reshape(...permuted).permute(...back).copy().reshape(...shape),
  };
}
