/**
 * RGTN: renormalization-group guided tensor-network structure search (after arXiv
 * 2512.24663, built from its description), as a descent in rank space.
 *
 * Default run, coarse → fine over a pyramid of scales (average pooling by 2):
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
 * `gated: true` runs the paper's differentiable proposal instead (gated training, gate
 * and flow based edge removal, tension-driven expansion at every scale; then growth and
 * rank pruning at full scale). It is kept for comparison: on the synthetic benchmark it
 * was slower and never reached the true parameter count (docs/experiments/search.md).
 */
import { adam, valueAndGrad, type AdamState } from '../autodiff/index.js';
import { fitCores } from '../decompose/fit-cores.js';
import type { Mask } from '../decompose/mask.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { bondInformation, bondSpectrum, resizeBond } from './bond-ops.js';
import type { CheckpointStore, RgtnCheckpoint, ScaleLog } from './checkpoint.js';
import { allocatedChain, compressByFlow } from './compress.js';
import type { StopFlag } from '../decompose/stop-flag.js';
import { Evaluator, type Evaluation, type StopReason } from './evaluator.js';
import { absorbGates, gatedLoss, gateValues, initialGates, type LossParts, type LossWeights } from './gated-network.js';
import { buildPyramid, upsampleCore, type Downsampling, type Scale } from './pyramid.js';
import { growToTarget, rankPrune } from './refine.js';
import { activeEdges, fullyConnected, sizeOf } from './structure.js';
import { trSvdStructure, ttSvdStructure } from './svd-baselines.js';

/** Options of {@link rgtn}; every default is listed in docs/experiments/search.md. */
export interface RgtnOptions {
  /** Target RSE on the observed entries (default 1e-2). */
  target?: number;
  mask?: Mask;
  /** The full tensor, to report the RSE on the missing entries. */
  truth?: Tensor;
  seed?: number;
  /** Pyramid levels (default 1: see docs/experiments/search.md for why; fewer when the modes are too small to halve). */
  scales?: number;
  /** Run the paper's gated proposal phase (default false: compression by information flow only). */
  gated?: boolean;
  /**
   * Smoothness penalty of every fit along each mode's index (fitCores' `smoothness`; default
   * none), for completion of data whose modes are ordered axes. Not with `gated`.
   */
  smoothness?: number | readonly number[];
  /** Order of bond reductions in the compression: 'flow' (default) or 'random' (ablation). */
  order?: 'flow' | 'random';
  /** Random restarts of a trial fit that misses the target (default 6). */
  restarts?: number;
  /** ALS sweeps per trial fit (default 150; each fit stops early at target/100). */
  trialIters?: number;
  /** 'pool' (default) or 'decimate'. */
  downsample?: Downsampling;
  /** Modes are halved only while d ≥ 2·minDim (default 2). */
  minDim?: number;
  /** Rank of every edge of the starting fully connected network (default 2). */
  initRank?: number;
  /** Expansion/compression rounds per scale (default 2). */
  rounds?: number;
  /** Gated-training steps per round (default 40). */
  steps?: number;
  /** Learning rate of the cores (default 0.01) and of the gate logits (default 0.1). */
  lrCores?: number;
  lrGates?: number;
  /** γ (smooth CR, default 0.01), δ (gate entropy, default 0.01), ε (weight decay, default 1e-6). */
  gamma?: number;
  delta?: number;
  epsilon?: number;
  /** Temperature annealed geometrically from tau0 (default 1) to tau1 (default 0.2) over all steps. */
  tau0?: number;
  tau1?: number;
  /** Initial gate logit (default 2: gates start ≈ 0.88 open). */
  theta0?: number;
  /** An edge is removed when its flow g·MI is below flowMin × the largest flow (default 0.02). */
  flowMin?: number;
  /** ALS sweeps after each structural change at a scale (default 15). */
  alsIters?: number;
  /** ALS sweeps of the final exact refit (default 100) and of each pruning trial (default 40). */
  fitIters?: number;
  pruneIters?: number;
  budgetSeconds?: number;
  /**
   * A shared stop request (see stop-flag.ts): the search ends at its next safe point with
   * its best result so far, `stopped: 'interrupted'`, and saves where it is to `checkpoint`.
   */
  stop?: StopFlag;
  /** Called whenever the best result so far on the data itself (the finest scale) changes; evaluations count earlier runs. */
  onImprove?: (best: Evaluation, at: { seconds: number; evaluations: number }) => void;
  /**
   * Save after each finished scale and after each reduction the compression keeps (and
   * where a budget or stop request ends the search); resume from the last save.
   */
  checkpoint?: CheckpointStore;
  /** Called with each scale's log line. */
  onScale?: (log: ScaleLog) => void;
  /**
   * Called with each scale's starting structure and after each reduction the compression
   * keeps (default search only; CR and RSE are those of the scale's own data), for live views.
   */
  onStep?: (e: Evaluation, at: { scale: number; seconds: number }) => void;
}

/** What a search returns (RGTN and every baseline). */
export interface SearchResult {
  method: string;
  ranks: number[][];
  params: number;
  cr: number;
  rse: number;
  rseMissing?: number;
  seconds: number;
  evaluations: number;
  cores: Tensor[];
  /** Whether the result meets the target RSE. */
  feasible: boolean;
  /** Per-scale log (RGTN). */
  log?: ScaleLog[];
  /** Set when the search ended early: its budget ran out, or a stop was requested. The result is the best so far. */
  stopped?: StopReason;
}

/** Builds a SearchResult from an evaluation (with the evaluator's stop reason, if it ended early). */
export function resultOf(method: string, ev: Evaluator, e: Evaluation, seconds: number): SearchResult {
  const out: SearchResult = {
    method, ranks: e.R, params: e.params, cr: e.cr, rse: e.rse, seconds, evaluations: ev.evaluations, cores: e.cores, feasible: e.rse <= ev.target,
  };
  if (e.rseMissing !== undefined) out.rseMissing = e.rseMissing;
  const stopped = ev.stopReason();
  if (stopped !== undefined) out.stopped = stopped;
  return out;
}

/**
 * What a search returns: the feasible structure with the fewest parameters, else the one
 * with the lowest RSE, never one with more parameters than the tensor has entries (the
 * tensor itself would be smaller): when all it has is such a structure (`fallback`), the
 * rank-1 network, fitted once.
 */
export function finalEvaluation(ev: Evaluator, fallback: Evaluation): Evaluation {
  const e = ev.bestSoFar() ?? fallback;
  if (e.params <= ev.x.size) return e;
  return ev.evaluate(ev.dims.map(() => ev.dims.map(() => 1)), undefined, undefined, 0, true);
}

/** A checkpoint resumes only the run that wrote it: same seed and number of scales. */
function assertSameRun(state: { seed: number; scales: number }, seed: number, scales: number): void {
  if (state.seed !== seed || state.scales !== scales) {
    throw new Error(`rgtn: the checkpoint was made with seed ${state.seed} and ${state.scales} scales, not seed ${seed} and ${scales} scales`);
  }
}

/** What a checkpoint resumes (after checking it is this run's), or undefined without one. */
function resumeFrom(store: CheckpointStore | undefined, seed: number, scales: number): (RgtnCheckpoint & { cores: Tensor[] }) | undefined {
  const resumed = store?.load();
  if (!resumed) return undefined;
  assertSameRun(resumed.state, seed, scales);
  return { ...resumed.state, cores: resumed.cores };
}

/**
 * Runs RGTN on x. Deterministic for a seed; with `checkpoint`, resumes after the last
 * finished scale.
 * @throws RangeError for a tensor of order < 2 or bad options.
 */
export function rgtn(x: Tensor, options: RgtnOptions = {}): SearchResult {
  const n = x.ndim;
  if (n < 2) throw new RangeError(`rgtn: needs a tensor of order ≥ 2, got shape [${x.shape.join(', ')}]`);
  if (options.gated) {
    if (options.smoothness !== undefined) throw new RangeError('rgtn: smoothness is not available in the gated search');
    return gatedSearch(x, options);
  }
  const o = {
    target: options.target ?? 1e-2, seed: options.seed ?? 0, scales: options.scales ?? 1, downsample: options.downsample ?? 'pool',
    minDim: options.minDim ?? 2, order: options.order ?? 'flow', restarts: options.restarts ?? 6, trialIters: options.trialIters ?? 150,
    alsIters: options.alsIters ?? 15,
  };
  if (!(o.scales >= 1 && Number.isInteger(o.scales))) throw new RangeError(`rgtn: scales must be a positive integer, got ${o.scales}`);
  if (o.downsample !== 'pool' && o.downsample !== 'decimate') throw new RangeError(`rgtn: downsample must be 'pool' or 'decimate', got '${String(o.downsample)}'`);
  if (o.order !== 'flow' && o.order !== 'random') throw new RangeError(`rgtn: order must be 'flow' or 'random', got '${String(o.order)}'`);
  if (!(o.restarts >= 0 && Number.isInteger(o.restarts))) throw new RangeError(`rgtn: restarts must be a non-negative integer, got ${o.restarts}`);
  if (!(o.trialIters >= 1 && Number.isInteger(o.trialIters))) throw new RangeError(`rgtn: trialIters must be a positive integer, got ${o.trialIters}`);

  const evalOptions = {
    target: o.target, iters: o.trialIters, restarts: o.restarts, tol: 1e-6, stopAt: o.target / 100,
    ...(options.smoothness !== undefined ? { smoothness: options.smoothness } : {}),
    ...(options.stop !== undefined ? { stop: options.stop } : {}),
  };
  const ev = new Evaluator(x, {
    ...evalOptions, seed: o.seed,
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
    ...(options.truth !== undefined ? { truth: options.truth } : {}),
    ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
    ...(options.onImprove !== undefined ? { onImprove: (e: Evaluation) => options.onImprove!(e, { seconds: elapsed(), evaluations: evaluationsBefore + ev.evaluations }) } : {}),
  });
  const pyramid = buildPyramid(x, { scales: o.scales, mode: o.downsample, minDim: o.minDim, ...(options.mask !== undefined ? { mask: options.mask } : {}) });
  const levels = [...pyramid].reverse(); // coarsest first

  const resumed = resumeFrom(options.checkpoint, o.seed, levels.length);
  let R: number[][] | undefined = resumed?.R;
  let cores: Tensor[] | undefined = resumed?.cores;
  const first = resumed?.scalesDone ?? 0;
  const log: ScaleLog[] = resumed?.log ?? [];
  const secondsBefore = resumed?.seconds ?? 0;
  // Evaluations of earlier runs (when resumed) and of finished coarse scales: the result reports the total.
  let evaluationsBefore = resumed?.evaluations ?? 0;
  const elapsed = (): number => secondsBefore + ev.seconds();
  let final: Evaluation | undefined;
  /** Saves where the search is: after scale s (done) or within it (partial: R and cores are that scale's current structure). */
  const save = (s: number, done: boolean, lev: Evaluator, R: number[][], cores: readonly Tensor[]): void => {
    const state: RgtnCheckpoint = {
      version: 1, seed: o.seed, scalesDone: done ? s + 1 : s, scales: levels.length, R, step: 0, log, seconds: elapsed(),
      evaluations: evaluationsBefore + lev.evaluations + (lev === ev ? 0 : ev.evaluations),
      ...(done ? {} : { partial: true }),
    };
    options.checkpoint?.save(state, cores);
  };

  for (let s = first; s < levels.length; s++) {
    if (ev.timeUp()) break;
    const finest = s === levels.length - 1;
    // The finest scale is the data itself; coarser ones get their own evaluator (unit RMS, the remaining budget).
    let lev = ev;
    if (!finest) {
      const level = normalized(levels[s]!);
      const left = options.budgetSeconds === undefined ? undefined : options.budgetSeconds - ev.seconds();
      if (left !== undefined && left <= 0) break;
      lev = new Evaluator(level.x, {
        ...evalOptions, seed: o.seed * 7919 + s + 1,
        ...(level.mask !== undefined ? { mask: level.mask } : {}),
        ...(left !== undefined ? { budgetSeconds: left } : {}),
      });
    }
    // A partial checkpoint resumes this scale's compression from the structure it had reached.
    const partial = resumed?.partial === true && s === first && R !== undefined && cores !== undefined;
    const start = startingStructure(lev, R, cores, o.downsample, partial);
    // ALS refits of a structure whose sweep would eat the budget are skipped (large-rank approximate data).
    const onStep = options.onStep;
    onStep?.(start.best, { scale: s, seconds: elapsed() });
    const keep = (e: Evaluation): void => {
      if (e.rse <= lev.target) save(s, false, lev, e.R, e.cores);
      onStep?.(e, { scale: s, seconds: elapsed() });
    };
    if (options.checkpoint && start.best.rse <= lev.target) save(s, false, lev, start.best.R, start.best.cores);
    const done = lev.affordable(start.best.R, o.trialIters) ? compressByFlow(lev, start.best, { order: o.order, seed: o.seed * 31 + s, onStep: keep }) : start.best;
    // A TT-SVD start is kept as a fallback when the compressed structure is larger (chains: its ranks are already minimal).
    const pick = [done, ...start.others].filter((e) => e.rse <= lev.target).sort((a, b) => a.params - b.params)[0] ?? done;
    R = pick.R;
    cores = pick.cores;
    // Ended early (budget or stop request): this scale is not finished, so it is saved as partial.
    const cut = lev.timeUp();
    if (finest) final = pick;
    const line: ScaleLog = { scale: s, dims: [...lev.dims], ranks: R.map((r) => [...r]), ...sizeOf(R, [...x.shape]), rse: pick.rse, seconds: elapsed() };
    if (!cut) {
      log.push(line);
      options.onScale?.(line);
    }
    if (pick.rse <= lev.target || !cut) save(s, !cut, lev, R, cores);
    if (!finest) evaluationsBefore += lev.evaluations;
    if (cut) break;
  }
  if (!final) {
    // Out of time before the finest scale: fit what we have once at full scale.
    const r = R ?? x.shape.map(() => x.shape.map(() => 1));
    final = ev.evaluate(r, cores ? { R: r, cores: cores.map((c, i) => upsampleCore(c, x.shape[i]!, o.downsample)) } : undefined, o.alsIters, 0);
  }
  const best = finalEvaluation(ev, final);
  const out = resultOf('rgtn', ev, best, elapsed());
  out.evaluations += evaluationsBefore;
  return { ...out, log };
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
    if (e.rse <= lev.target) out.push(e);
  }
  // A capped cut keeps t_k, which can exceed the true bond (4^4 ring: t_0 = 4 = d_0 where
  // the bond is 2), and ALS on such an over-parameterised ring (and the descent from it)
  // stalls; so each capped cut is also tried split by c like the others, one at a time.
  // Measured: 4^4 ring 0/5 → 4/5, 8^4 ring 1/3 → 3/3, at ~45% more evaluations on 4^5/4^6.
  for (let c = 2; c <= cMax && !lev.timeUp(); c++) {
    for (let k = 0; k < n - 1 && !lev.timeUp(); k++) {
      if (t[k]! < cap[k]! || Math.ceil(t[k]! / c) === t[k]) continue;
      const v = lev.evaluate(ring(c, k), { R: tt.R, cores: tt.cores });
      if (v.rse <= lev.target) out.push(v);
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
    if (carried.rse > lev.target) carried = growToTarget(lev, carried, { score: 'efficiency' });
    if (carried.rse <= lev.target) starts.push(carried);
    if (carriedOnly && carried.rse <= lev.target) return { best: carried, others: [] };
  }
  if (lev.options.mask === undefined) {
    const tt = ttSvdStructure(lev);
    // Approximate data (TT-SVD is not exact at the target): a chain whose error is spent
    // where it saves most parameters, filling TT-SVD's slack below the target.
    const allocated = tt.rse > lev.target / 100 ? allocatedChain(lev.x, lev.target) : undefined;
    if (lev.dims.length >= 3 && lev.affordable(tt.R, lev.options.iters ?? 40)) starts.push(...ringStarts(lev, tt));
    if (allocated) {
      const e: Evaluation = { R: allocated.rankMatrix, ...sizeOf(allocated.rankMatrix, lev.dims), rse: allocated.rse, cores: allocated.cores };
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
  const best = starts.find((e) => e.rse <= lev.target) ?? [...starts].sort((a, b) => a.rse - b.rse)[0]!;
  return { best, others: starts.filter((e) => e !== best) };
}

/** The paper's gated search (`gated: true`); see the module comment. */
function gatedSearch(x: Tensor, options: RgtnOptions): SearchResult {
  const n = x.ndim;
  if (n < 2) throw new RangeError(`rgtn: needs a tensor of order ≥ 2, got shape [${x.shape.join(', ')}]`);
  const o = {
    target: options.target ?? 1e-2, seed: options.seed ?? 0, scales: options.scales ?? 4, downsample: options.downsample ?? 'pool',
    minDim: options.minDim ?? 2, initRank: options.initRank ?? 2, rounds: options.rounds ?? 2, steps: options.steps ?? 40,
    lrCores: options.lrCores ?? 0.01, lrGates: options.lrGates ?? 0.1, tau0: options.tau0 ?? 1, tau1: options.tau1 ?? 0.2,
    theta0: options.theta0 ?? 2, flowMin: options.flowMin ?? 0.02, alsIters: options.alsIters ?? 15,
    fitIters: options.fitIters ?? 100, pruneIters: options.pruneIters ?? 40,
  };
  const weights: LossWeights = { gamma: options.gamma ?? 0.01, delta: options.delta ?? 0.01, epsilon: options.epsilon ?? 1e-6 };
  if (!(o.scales >= 1 && Number.isInteger(o.scales))) throw new RangeError(`rgtn: scales must be a positive integer, got ${o.scales}`);
  if (o.downsample !== 'pool' && o.downsample !== 'decimate') throw new RangeError(`rgtn: downsample must be 'pool' or 'decimate', got '${String(o.downsample)}'`);
  if (!(o.initRank >= 1 && Number.isInteger(o.initRank))) throw new RangeError(`rgtn: initRank must be a positive integer, got ${o.initRank}`);
  if (!(o.tau0 > 0 && o.tau1 > 0)) throw new RangeError(`rgtn: temperatures must be positive, got tau0=${o.tau0}, tau1=${o.tau1}`);

  const ev = new Evaluator(x, {
    target: o.target, seed: o.seed, iters: o.pruneIters,
    ...(options.stop !== undefined ? { stop: options.stop } : {}),
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
    ...(options.truth !== undefined ? { truth: options.truth } : {}),
    ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
  });
  const pyramid = buildPyramid(x, { scales: o.scales, mode: o.downsample, minDim: o.minDim, ...(options.mask !== undefined ? { mask: options.mask } : {}) });
  const levels = [...pyramid].reverse(); // coarsest first
  const totalSteps = levels.length * o.rounds * o.steps;

  const resumed = resumeFrom(options.checkpoint, o.seed, levels.length);
  let R: number[][];
  let cores: Tensor[];
  let step = resumed?.step ?? 0;
  const first = resumed?.scalesDone ?? 0;
  const log: ScaleLog[] = resumed?.log ?? [];
  const secondsBefore = resumed?.seconds ?? 0;
  if (resumed) {
    R = resumed.R;
    cores = resumed.cores;
  } else {
    R = fullyConnected(n, o.initRank);
    const coarse = normalized(levels[0]!);
    cores = fitCores(coarse.x, R, { iters: o.alsIters, seed: o.seed, ...(coarse.mask ? { mask: coarse.mask } : {}) }).cores;
  }
  const elapsed = (): number => secondsBefore + ev.seconds();

  for (let s = first; s < levels.length; s++) {
    if (ev.timeUp()) break;
    const level = normalized(levels[s]!);
    const dims = [...level.x.shape];
    if (cores[0]!.shape[0] !== dims[0] || cores.some((c, i) => c.shape[0] !== dims[i])) {
      cores = cores.map((c, i) => upsampleCore(c, dims[i]!, o.downsample));
    }
    const rng = new Random(o.seed * 7919 + s + 1);
    let rse = Infinity;
    ({ cores, rse } = refit(level, R, cores, o.alsIters));
    for (let round = 0; round < o.rounds && !ev.timeUp(); round++) {
      // Gated training.
      const trained = trainGated(level, R, cores, weights, o, step, totalSteps, () => ev.timeUp());
      step += o.steps;
      cores = absorbGates(trained.cores, R, trained.gates, trained.tau);
      const values = gateValues(trained.gates, trained.tau);
      // Compression: close edges with a shut gate or little information flow; shrink bonds to their open slices.
      const edges = activeEdges(R);
      const flows = edges.map(([i, j], e) => values.edge[e]! * bondInformation(bondSpectrum(cores, R, i, j)));
      const maxFlow = Math.max(0, ...flows);
      edges.forEach(([i, j], e) => {
        const open = values.edge[e]! >= 0.5 && flows[e]! >= o.flowMin * maxFlow;
        const rank = open ? 1 + values.slices[e]!.filter((g) => g * values.edge[e]! >= 0.5).length : 1;
        if (rank < R[i]![j]!) ({ cores, R } = resizeBond(cores, R, i, j, rank, rng));
      });
      ({ cores, rse } = refit(level, R, cores, o.alsIters));
      // Expansion while this scale's fit misses the target.
      if (rse > o.target) {
        const tension = nodeTension(level, R, cores, weights, o.theta0);
        const u = tension.indexOf(Math.max(...tension));
        const nbrs = activeEdges(R).filter(([i, j]) => i === u || j === u);
        let grow: [number, number, number] | undefined;
        if (nbrs.length > 0) {
          let best = -1;
          for (const [i, j] of nbrs) {
            const f = bondInformation(bondSpectrum(cores, R, i, j));
            if (f > best) {
              best = f;
              grow = [i, j, R[i]![j]! + 1];
            }
          }
        } else {
          const others = tension.map((t, v) => ({ t, v })).filter(({ v }) => v !== u).sort((a, b) => b.t - a.t);
          if (others.length > 0) grow = [u, others[0]!.v, 2];
        }
        if (grow) {
          ({ cores, R } = resizeBond(cores, R, grow[0], grow[1], grow[2], rng));
          ({ cores, rse } = refit(level, R, cores, o.alsIters));
        }
      }
    }
    const line: ScaleLog = { scale: s, dims, ranks: R.map((r) => [...r]), ...sizeOf(R, [...x.shape]), rse, seconds: elapsed() };
    log.push(line);
    options.onScale?.(line);
    if (ev.timeUp()) break; // ended early: the scale is not saved as done
    const state: RgtnCheckpoint = { version: 1, seed: o.seed, scalesDone: s + 1, scales: levels.length, R, step, log, seconds: elapsed(), evaluations: (resumed?.evaluations ?? 0) + ev.evaluations };
    options.checkpoint?.save(state, cores);
  }
  if (cores[0]!.shape[0] !== x.shape[0] || cores.some((c, i) => c.shape[0] !== x.shape[i])) {
    cores = cores.map((c, i) => upsampleCore(c, x.shape[i]!, o.downsample));
  }
  // Final: exact refit at full scale (on the original values), growth if needed, rank pruning.
  let cur = ev.evaluate(R, { R, cores }, o.fitIters);
  cur = growToTarget(ev, cur, { iters: o.pruneIters, score: 'efficiency' });
  cur = rankPrune(ev, cur, { iters: o.pruneIters });
  const out = resultOf('rgtn', ev, finalEvaluation(ev, cur), elapsed());
  out.evaluations += resumed?.evaluations ?? 0;
  return { ...out, log };
}

/** A scale rescaled to unit RMS on its observed entries (RSE is scale-free; learning rates are not). */
function normalized(level: Scale): Scale {
  const d = level.x.toTypedArray();
  let s = 0;
  let c = 0;
  for (let p = 0; p < d.length; p++) {
    if (level.mask && level.mask[p] === 0) continue;
    s += d[p]! * d[p]!;
    c++;
  }
  const rms = Math.sqrt(s / Math.max(1, c)) || 1;
  const out = new Float64Array(d.length);
  for (let p = 0; p < d.length; p++) out[p] = d[p]! / rms;
  const x = new Tensor(out, [...level.x.shape]);
  return level.mask ? { x, mask: level.mask } : { x };
}

function refit(level: Scale, R: number[][], cores: Tensor[], iters: number): { cores: Tensor[]; rse: number } {
  const fit = fitCores(level.x, R, { iters, init: cores, tol: 1e-8, ...(level.mask ? { mask: level.mask } : {}) });
  return { cores: fit.cores, rse: fit.rse };
}

interface TrainSettings {
  steps: number;
  lrCores: number;
  lrGates: number;
  tau0: number;
  tau1: number;
  theta0: number;
}

/** Adam on cores and gate logits (separate learning rates), temperature annealed with the global step. */
function trainGated(level: Scale, R: number[][], cores: Tensor[], weights: LossWeights, o: TrainSettings, step0: number, totalSteps: number, timeUp: () => boolean) {
  const gates = initialGates(R, o.theta0);
  let params: Tensor[] = [...cores];
  let gateParams: Tensor[] = [gates.edge, ...gates.slices];
  const optC = adam({ lr: o.lrCores });
  const optG = adam({ lr: o.lrGates });
  let stateC: AdamState = optC.init(params);
  let stateG: AdamState = optG.init(gateParams);
  let tau = o.tau0;
  const parts: Partial<LossParts> = {};
  const n = cores.length;
  for (let t = 0; t < o.steps; t++) {
    tau = o.tau0 * (o.tau1 / o.tau0) ** ((step0 + t) / Math.max(1, totalSteps - 1));
    if ((gateParams.length === 1 && gateParams[0]!.size === 0) || timeUp()) break; // no edges to gate, or out of time
    const f = gatedLoss(level.x, R, tau, weights, level.mask, parts);
    const { grads } = valueAndGrad(f, [...params, ...gateParams]);
    const c = optC.update(grads.slice(0, n), stateC, params);
    const g = optG.update(grads.slice(n), stateG, gateParams);
    params = c.params;
    stateC = c.state;
    gateParams = g.params;
    stateG = g.state;
  }
  return { cores: params, gates: { edge: gateParams[0]!, slices: gateParams.slice(1) }, tau };
}

/** Node tension: ‖∂L/∂G_i‖_F × (degree + 1), with fresh (open) gates. */
function nodeTension(level: Scale, R: number[][], cores: Tensor[], weights: LossWeights, theta0: number): number[] {
  const gates = initialGates(R, theta0);
  const f = gatedLoss(level.x, R, 1, weights, level.mask);
  const { grads } = valueAndGrad(f, [...cores, gates.edge, ...gates.slices]);
  return cores.map((_, i) => {
    const g = grads[i]!.toTypedArray();
    let s = 0;
    for (let p = 0; p < g.length; p++) s += g[p]! * g[p]!;
    const degree = R[i]!.filter((r, j) => j !== i && r > 1).length;
    return Math.sqrt(s) * (degree + 1);
  });
}

