/**
 * RGTN: renormalization-group guided tensor-network structure search (after arXiv
 * 2512.24663, built from its description), as a descent in rank space.
 *
 * Default run, coarse → fine over a pyramid of scales (average pooling by 2; the loop is
 * scale-loop.ts):
 * 1. A feasible starting structure at the scale: the structure carried from the coarser
 *    scale (cores interpolated along their physical index, refit, grown by the most
 *    efficient +1 while it misses the target), and TR-SVD / TT-SVD at the target (exact,
 *    over-parameterised on rings).
 * 2. Compression by information flow (compress.ts): the bond with the smallest
 *    normalised spectrum tail is shrunk first (by 1, or straight to its numerical rank),
 *    the reduction kept when the refit (warm start + seeded random restarts) meets the
 *    target; an edge whose rank reaches 1 is removed. Repeats until no bond can shrink.
 * 3. The finest scale is the original data, so its result is the final refit.
 *
 * The paper's differentiable proposal (gated training) is its own strategy,
 * gated-search.ts, kept for comparison: on the synthetic benchmark it was slower and never
 * reached the true parameter count (docs/experiments/search.md).
 */
import type { CheckpointStore } from './checkpoint.js';
import { Evaluator, type Evaluation } from './evaluator.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocatedChain, compressByFlow } from './compress.js';
import { upsampleCore, type Downsampling } from './pyramid.js';
import { growToTarget } from './refine.js';
import { normalized, ScaleRun, type ScaleSearchOptions } from './scale-loop.js';
import type { SearchResult } from './search-result.js';
import { structureSize } from './structure.js';
import { trSvdStructure, ttSvdStructure } from './svd-baselines.js';

export { finalEvaluation, resultOf, type SearchResult } from './search-result.js';

/** Options of {@link rgtn} (the default search); every default is listed in docs/experiments/search.md. */
export interface RgtnOptions extends ScaleSearchOptions {
  /** Pyramid levels (default 1: see docs/experiments/search.md for why; fewer when the modes are too small to halve). */
  scales?: number;
  /**
   * Smoothness penalty of every fit along each mode's index (fitCores' `smoothness`; default
   * none), for completion of data whose modes are ordered axes.
   */
  smoothness?: number | readonly number[];
  /** Order of bond reductions in the compression: 'flow' (default) or 'random' (ablation). */
  order?: 'flow' | 'random';
  /** Random restarts of a trial fit that misses the target (default 6). */
  restarts?: number;
  /** ALS sweeps per trial fit (default 150; each fit stops early at target/100). */
  trialIters?: number;
  /** ALS sweeps of the full-scale fit when the budget ends the search before the finest scale (default 15). */
  alsIters?: number;
  /** Called whenever the best result so far on the data itself (the finest scale) changes; evaluations count earlier runs. */
  onImprove?: (best: Evaluation, at: { seconds: number; evaluations: number }) => void;
  /**
   * Save after each finished scale and after each reduction the compression keeps (and
   * where a budget or stop request ends the search); resume from the last save.
   */
  checkpoint?: CheckpointStore;
  /**
   * Called with each scale's starting structure and after each reduction the compression
   * keeps (CR and RSE are those of the scale's own data), for live views.
   */
  onStep?: (e: Evaluation, at: { scale: number; seconds: number }) => void;
}

/**
 * Runs RGTN on x. Deterministic for a seed; with `checkpoint`, resumes from the last save
 * (after a finished scale, or within one).
 * @throws RangeError for a tensor of order < 2 or bad options.
 */
export function rgtn(x: Tensor, options: RgtnOptions = {}): SearchResult {
  const n = x.ndim;
  if (n < 2) throw new RangeError(`rgtn: needs a tensor of order ≥ 2, got shape [${x.shape.join(', ')}]`);
  // Untyped callers of the old flat options would silently get the default search.
  if ((options as { gated?: unknown }).gated !== undefined) throw new RangeError('rgtn: the gated search is its own strategy: call gatedSearch(x, options)');
  const o = settings(options);

  const evalOptions = {
    rse: o.rse, iters: o.trialIters, restarts: o.restarts, tol: 1e-6, stopAt: o.rse / 100,
    ...(options.smoothness !== undefined ? { smoothness: options.smoothness } : {}),
    ...(options.stop !== undefined ? { stop: options.stop } : {}),
  };
  const onImprove = options.onImprove;
  const ev = new Evaluator(x, {
    ...evalOptions, seed: o.seed,
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
    ...(options.truth !== undefined ? { truth: options.truth } : {}),
    ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
    ...(onImprove !== undefined ? { onImprove: (e: Evaluation) => onImprove(e, { seconds: run.elapsed(), evaluations: run.evaluations() }) } : {}),
  });
  const run = new ScaleRun(x, ev, {
    name: 'rgtn', seed: o.seed, scales: o.scales, downsample: o.downsample, minDim: o.minDim,
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
    ...(options.checkpoint !== undefined ? { checkpoint: options.checkpoint } : {}),
    ...(options.onScale !== undefined ? { onScale: options.onScale } : {}),
  });
  let final: Evaluation | undefined;

  run.run(({ s, finest, level, partial }) => {
    // The finest scale is the data itself; coarser ones get their own evaluator (unit RMS, the remaining budget).
    let lev = ev;
    if (!finest) {
      const scaled = normalized(level);
      const left = options.budgetSeconds === undefined ? undefined : options.budgetSeconds - ev.seconds();
      if (left !== undefined && left <= 0) return undefined;
      lev = new Evaluator(scaled.x, {
        ...evalOptions, seed: o.seed * 7919 + s + 1,
        ...(scaled.mask !== undefined ? { mask: scaled.mask } : {}),
        ...(left !== undefined ? { budgetSeconds: left } : {}),
      });
    }
    // A partial checkpoint resumes this scale's compression from the structure it had reached.
    const start = startingStructure(lev, run.R, run.cores, o.downsample, partial);
    const onStep = options.onStep;
    onStep?.(start.best, { scale: s, seconds: run.elapsed() });
    const keep = (e: Evaluation): void => {
      if (e.rse <= lev.rse) run.save(s, false, lev, e.R, e.cores);
      onStep?.(e, { scale: s, seconds: run.elapsed() });
    };
    if (options.checkpoint && start.best.rse <= lev.rse) run.save(s, false, lev, start.best.R, start.best.cores);
    // ALS refits of a structure whose sweep would eat the budget are skipped (large-rank approximate data).
    const done = lev.affordable(start.best.R, o.trialIters) ? compressByFlow(lev, start.best, { order: o.order, seed: o.seed * 31 + s, onStep: keep }) : start.best;
    // A TT-SVD start is kept as a fallback when the compressed structure is larger (chains: its ranks are already minimal).
    const pick = [done, ...start.others].filter((e) => e.rse <= lev.rse).sort((a, b) => a.params - b.params)[0] ?? done;
    if (finest) final = pick;
    return { lev, R: pick.R, cores: pick.cores, rse: pick.rse, dims: [...lev.dims] };
  });
  if (!final) {
    // Out of time before the finest scale: fit what we have once at full scale.
    const r = run.R ?? x.shape.map(() => x.shape.map(() => 1));
    const cores = run.cores;
    final = ev.evaluate(r, cores ? { R: r, cores: cores.map((c, i) => upsampleCore(c, x.shape[i]!, o.downsample)) } : undefined, o.alsIters, 0);
  }
  return run.result('rgtn', final);
}

/** RGTN's options with their defaults, checked. */
function settings(options: RgtnOptions) {
  const o = {
    rse: options.rse ?? 1e-2, seed: options.seed ?? 0, scales: options.scales ?? 1, downsample: options.downsample ?? 'pool',
    minDim: options.minDim ?? 2, order: options.order ?? 'flow', restarts: options.restarts ?? 6, trialIters: options.trialIters ?? 150,
    alsIters: options.alsIters ?? 15,
  };
  if (!(o.scales >= 1 && Number.isInteger(o.scales))) throw new RangeError(`rgtn: scales must be a positive integer, got ${o.scales}`);
  if (o.downsample !== 'pool' && o.downsample !== 'decimate') throw new RangeError(`rgtn: downsample must be 'pool' or 'decimate', got '${String(o.downsample)}'`);
  if (o.order !== 'flow' && o.order !== 'random') throw new RangeError(`rgtn: order must be 'flow' or 'random', got '${String(o.order)}'`);
  if (!(o.restarts >= 0 && Number.isInteger(o.restarts))) throw new RangeError(`rgtn: restarts must be a non-negative integer, got ${o.restarts}`);
  if (!(o.trialIters >= 1 && Number.isInteger(o.trialIters))) throw new RangeError(`rgtn: trialIters must be a positive integer, got ${o.trialIters}`);
  return o;
}

/**
 * Ring starts derived from the TT-SVD ranks t_k (the ranks of the unfoldings at each cut
 * of the chain). A ring with closing bond c and bonds r_k has t_k = r_k·c wherever the
 * cut is not capped by the dimensions, so for each candidate c = 2 … min(t_0, t_{n−2})
 * the ring r_k = ⌈t_k / c⌉ (t_k itself at a capped cut) is fitted (warm start from the
 * TT-SVD cores, then random restarts), and so is each variant with one capped cut split by
 * c too. The feasible ones are returned, smallest first.
 * This replaces TR-SVD's fixed balanced split of its first rank, which on rings is
 * neither minimal nor a superset of the truth, so that compression cannot reach it.
 */
function ringStarts(lev: Evaluator, tt: Evaluation): Evaluation[] {
  const n = lev.dims.length;
  const t = Array.from({ length: n - 1 }, (_, k) => tt.R[k]![k + 1]!);
  const cap = t.map((_, k) => Math.min(lev.dims.slice(0, k + 1).reduce((p, d) => p * d, 1), lev.dims.slice(k + 1).reduce((p, d) => p * d, 1)));
  const out: Evaluation[] = [];
  const ring = (c: number, split: number): number[][] => {
    const R = tt.R.map((row) => [...row]);
    t.forEach((tk, k) => {
      const r = tk >= cap[k]! && k !== split ? tk : Math.ceil(tk / c);
      R[k]![k + 1] = r;
      R[k + 1]![k] = r;
    });
    R[0]![n - 1] = c;
    R[n - 1]![0] = c;
    return R;
  };
  const cMax = Math.min(t[0]!, t[n - 2]!);
  for (let c = 2; c <= cMax && !lev.timeUp(); c++) {
    const e = lev.evaluate(ring(c, -1), { R: tt.R, cores: tt.cores });
    if (e.rse <= lev.rse) out.push(e);
  }
  // A capped cut keeps t_k, which can exceed the true bond (4^4 ring: t_0 = 4 = d_0 where
  // the bond is 2), and ALS on such an over-parameterised ring (and the descent from it)
  // stalls; so each capped cut is also tried split by c like the others, one at a time.
  // Measured: 4^4 ring 0/5 → 4/5, 8^4 ring 1/3 → 3/3, at ~45% more evaluations on 4^5/4^6.
  for (let c = 2; c <= cMax && !lev.timeUp(); c++) {
    for (let k = 0; k < n - 1 && !lev.timeUp(); k++) {
      if (t[k]! < cap[k]! || Math.ceil(t[k]! / c) === t[k]) continue;
      const v = lev.evaluate(ring(c, k), { R: tt.R, cores: tt.cores });
      if (v.rse <= lev.rse) out.push(v);
    }
  }
  return out.sort((a, b) => a.params - b.params);
}

/**
 * Feasible starts at one scale: the structure carried from the coarser scale (refit from
 * its interpolated cores, grown while it misses the target) and TR-SVD / TT-SVD at the
 * target (fully observed data; plus `allocatedChain` when the data are approximate at the
 * target) or greedy growth from rank 1 (masked data). `best` is the
 * start to compress: the carried structure when feasible, else the smallest feasible
 * ring start, else TR-SVD, else TT-SVD (its ranks are already minimal for its chain);
 * `others` are the remaining feasible starts (fallbacks).
 */
function startingStructure(lev: Evaluator, R: number[][] | undefined, cores: Tensor[] | undefined, mode: Downsampling, carriedOnly = false): { best: Evaluation; others: Evaluation[] } {
  const starts: Evaluation[] = [];
  if (R && cores) {
    const up = cores.map((c, i) => upsampleCore(c, lev.dims[i]!, mode));
    let carried = lev.evaluate(R, { R, cores: up });
    if (carried.rse > lev.rse) carried = growToTarget(lev, carried, { score: 'efficiency' });
    if (carried.rse <= lev.rse) starts.push(carried);
    if (carriedOnly && carried.rse <= lev.rse) return { best: carried, others: [] };
  }
  if (lev.options.mask === undefined) {
    const tt = ttSvdStructure(lev);
    // Approximate data (TT-SVD is not exact at the target): a chain whose error is spent
    // where it saves most parameters, filling TT-SVD's slack below the target.
    const allocated = tt.rse > lev.rse / 100 ? allocatedChain(lev.x, lev.rse) : undefined;
    if (lev.dims.length >= 3 && lev.affordable(tt.R, lev.options.iters ?? 40)) starts.push(...ringStarts(lev, tt));
    if (allocated) {
      const e: Evaluation = { R: allocated.rankMatrix, ...structureSize(allocated.rankMatrix, lev.dims), rse: allocated.rse, cores: allocated.cores };
      lev.evaluations++;
      lev.record(e);
      starts.push(e);
    }
    if (lev.dims.length >= 3) starts.push(trSvdStructure(lev));
    starts.push(tt);
  } else if (starts.length === 0) {
    const ones = lev.dims.map(() => lev.dims.map(() => 1));
    starts.push(growToTarget(lev, lev.evaluate(ones, undefined, undefined, 0), { newEdges: true }));
  }
  const best = starts.find((e) => e.rse <= lev.rse) ?? [...starts].sort((a, b) => a.rse - b.rse)[0]!;
  return { best, others: starts.filter((e) => e !== best) };
}
