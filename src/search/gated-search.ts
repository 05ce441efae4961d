/**
 * The gated structure search of RGTN (arXiv 2512.24663, built from its description): the
 * paper's differentiable proposal, run coarse → fine over the pyramid of scales
 * (scale-loop.ts, the loop RGTN's default search uses too). At every scale, for a few
 * rounds: gated training (every edge and every bond slice has a gate; Adam on cores and
 * gate logits with an annealed temperature), then edges with a closed gate or little
 * information flow removed and bonds shrunk to their open slices, then, while the scale
 * misses the target, expansion at the node of largest tension. At full scale: an exact
 * refit, growth to the target and rank pruning (refine.ts).
 *
 * Kept for comparison with the paper: on the synthetic benchmark it was slower than the
 * default search (rgtn.ts) and never reached the true parameter count
 * (docs/experiments/search.md).
 */
import { adam, valueAndGrad, type AdamState } from '../autodiff/index.js';
import { fitCores } from '../decompose/fit-cores.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { bondInformation, bondSpectrum, resizeBond } from './bond-ops.js';
import { Evaluator } from './evaluator.js';
import { absorbGates, gatedLoss, gateValues, initialGates, type GateLogits, type LossParts, type LossWeights } from './gated-network.js';
import { upsampleCore, type Downsampling, type Scale } from './pyramid.js';
import { growToTarget, rankPrune } from './refine.js';
import { normalized, ScaleRun, type ScaleSearchOptions } from './scale-loop.js';
import type { SearchResult } from './search-result.js';
import { activeEdges, fullyConnected } from './structure.js';

/** Options of {@link gatedSearch}: the shared scale-search options and the gated training's own. */
export interface GatedSearchOptions extends ScaleSearchOptions {
  /** Pyramid levels (default 4; fewer when the modes are too small to halve). */
  scales?: number;
  /** Rank of every edge of the starting fully connected network (default 2). */
  initRank?: number;
  /** Training/compression/expansion rounds per scale (default 2). */
  rounds?: number;
  /** Gated-training steps per round (default 40). */
  steps?: number;
  /** Learning rate of the cores (default 0.01). */
  lrCores?: number;
  /** Learning rate of the gate logits (default 0.1). */
  lrGates?: number;
  /** γ: weight of the smooth CR in the loss (default 0.01). */
  gamma?: number;
  /** δ: weight of the gate entropy (default 0.01). */
  delta?: number;
  /** ε: weight decay of the cores (default 1e-6). */
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
  /** ALS sweeps of the final exact refit (default 100). */
  fitIters?: number;
  /** ALS sweeps of each growth and pruning trial at full scale (default 40). */
  pruneIters?: number;
}

/** The training settings of one round. */
interface TrainSettings {
  steps: number;
  lrCores: number;
  lrGates: number;
  tau0: number;
  tau1: number;
  theta0: number;
}

/**
 * Runs the gated search on x. Deterministic for a seed; with `checkpoint`, resumes after
 * the last finished scale.
 * @throws RangeError for a tensor of order < 2 or bad options.
 */
export function gatedSearch(x: Tensor, options: GatedSearchOptions = {}): SearchResult {
  const n = x.ndim;
  if (n < 2) throw new RangeError(`gatedSearch: needs a tensor of order ≥ 2, got shape [${x.shape.join(', ')}]`);
  // Its fits are plain ALS (untyped callers might pass RGTN's smoothness).
  if ((options as { smoothness?: unknown }).smoothness !== undefined) throw new RangeError('gatedSearch: smoothness is not available in the gated search');
  const { weights, ...o } = settings(options);

  const ev = new Evaluator(x, {
    rse: o.rse, seed: o.seed, iters: o.pruneIters,
    ...(options.stop !== undefined ? { stop: options.stop } : {}),
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
    ...(options.truth !== undefined ? { truth: options.truth } : {}),
    ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
  });
  let step = 0;
  const run = new ScaleRun(x, ev, {
    name: 'gatedSearch', seed: o.seed, scales: o.scales, downsample: o.downsample, minDim: o.minDim, step: () => step,
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
    ...(options.checkpoint !== undefined ? { checkpoint: options.checkpoint } : {}),
    ...(options.onScale !== undefined ? { onScale: options.onScale } : {}),
  });
  const totalSteps = run.levels.length * o.rounds * o.steps;
  step = run.resumed?.step ?? 0;
  if (!run.resumed) {
    run.R = fullyConnected(n, o.initRank);
    const coarse = normalized(run.levels[0]!);
    run.cores = fitCores(coarse.x, run.R, { iters: o.alsIters, seed: o.seed, ...(coarse.mask ? { mask: coarse.mask } : {}) }).cores;
  }

  run.run(({ s, level: raw }) => {
    const level = normalized(raw);
    const dims = [...level.x.shape];
    let R = run.R!;
    let cores = sizedTo(run.cores!, dims, o.downsample);
    const rng = new Random(o.seed * 7919 + s + 1);
    let rse = Infinity;
    ({ cores, rse } = refit(level, R, cores, o.alsIters));
    for (let round = 0; round < o.rounds && !ev.timeUp(); round++) {
      const trained = trainGated(level, R, cores, weights, o, step, totalSteps, () => ev.timeUp());
      step += o.steps;
      ({ cores, R } = closeGates(absorbGates(trained.cores, R, trained.gates, trained.tau), R, gateValues(trained.gates, trained.tau), o.flowMin, rng));
      ({ cores, rse } = refit(level, R, cores, o.alsIters));
      // Expansion while this scale's fit misses the target.
      if (rse > o.rse) {
        const grow = tensionGrowth(level, R, cores, weights, o.theta0);
        if (grow) {
          ({ cores, R } = resizeBond(cores, R, grow[0], grow[1], grow[2], rng));
          ({ cores, rse } = refit(level, R, cores, o.alsIters));
        }
      }
    }
    return { lev: ev, R, cores, rse, dims };
  });
  // Final: exact refit at full scale (on the original values), growth if needed, rank pruning.
  const R = run.R!;
  const cores = sizedTo(run.cores!, [...x.shape], o.downsample);
  let cur = ev.evaluate(R, { R, cores }, o.fitIters);
  cur = growToTarget(ev, cur, { iters: o.pruneIters, score: 'efficiency' });
  cur = rankPrune(ev, cur, { iters: o.pruneIters });
  return run.result('rgtn-gated', cur);
}

/** The gated search's options with their defaults, checked. */
function settings(options: GatedSearchOptions) {
  const o = {
    rse: options.rse ?? 1e-2, seed: options.seed ?? 0, scales: options.scales ?? 4, downsample: options.downsample ?? 'pool',
    minDim: options.minDim ?? 2, initRank: options.initRank ?? 2, rounds: options.rounds ?? 2, steps: options.steps ?? 40,
    lrCores: options.lrCores ?? 0.01, lrGates: options.lrGates ?? 0.1, tau0: options.tau0 ?? 1, tau1: options.tau1 ?? 0.2,
    theta0: options.theta0 ?? 2, flowMin: options.flowMin ?? 0.02, alsIters: options.alsIters ?? 15,
    fitIters: options.fitIters ?? 100, pruneIters: options.pruneIters ?? 40,
  };
  const weights: LossWeights = { gamma: options.gamma ?? 0.01, delta: options.delta ?? 0.01, epsilon: options.epsilon ?? 1e-6 };
  if (!(o.scales >= 1 && Number.isInteger(o.scales))) throw new RangeError(`gatedSearch: scales must be a positive integer, got ${o.scales}`);
  if (o.downsample !== 'pool' && o.downsample !== 'decimate') throw new RangeError(`gatedSearch: downsample must be 'pool' or 'decimate', got '${String(o.downsample)}'`);
  if (!(o.initRank >= 1 && Number.isInteger(o.initRank))) throw new RangeError(`gatedSearch: initRank must be a positive integer, got ${o.initRank}`);
  if (!(o.tau0 > 0 && o.tau1 > 0)) throw new RangeError(`gatedSearch: temperatures must be positive, got tau0=${o.tau0}, tau1=${o.tau1}`);
  return { ...o, weights };
}

/** The cores interpolated to physical dims `dims` (unchanged when they have them). */
function sizedTo(cores: Tensor[], dims: readonly number[], mode: Downsampling): Tensor[] {
  if (cores[0]!.shape[0] !== dims[0] || cores.some((c, i) => c.shape[0] !== dims[i])) return cores.map((c, i) => upsampleCore(c, dims[i]!, mode));
  return cores;
}

function refit(level: Scale, R: number[][], cores: Tensor[], iters: number): { cores: Tensor[]; rse: number } {
  const fit = fitCores(level.x, R, { iters, init: cores, tol: 1e-8, ...(level.mask ? { mask: level.mask } : {}) });
  return { cores: fit.cores, rse: fit.rse };
}

/**
 * Compression after training (gates absorbed into `cores`): edges with a shut gate or an
 * information flow g_e·MI_e below `flowMin` × the largest are closed; the other bonds
 * shrink to their open slices.
 */
function closeGates(cores: Tensor[], R: number[][], values: ReturnType<typeof gateValues>, flowMin: number, rng: Random): { cores: Tensor[]; R: number[][] } {
  const edges = activeEdges(R);
  const flows = edges.map(([i, j], e) => values.edge[e]! * bondInformation(bondSpectrum(cores, R, i, j)));
  const maxFlow = Math.max(0, ...flows);
  edges.forEach(([i, j], e) => {
    const open = values.edge[e]! >= 0.5 && flows[e]! >= flowMin * maxFlow;
    const rank = open ? 1 + values.slices[e]!.filter((g) => g * values.edge[e]! >= 0.5).length : 1;
    if (rank < R[i]![j]!) ({ cores, R } = resizeBond(cores, R, i, j, rank, rng));
  });
  return { cores, R };
}

/**
 * Where to expand: at the node u of largest tension, its edge with the most information
 * grows by 1; a node without edges opens one (rank 2) to the next most tense node.
 * Returns [i, j, new rank], or undefined when there is nothing to grow.
 */
function tensionGrowth(level: Scale, R: number[][], cores: Tensor[], weights: LossWeights, theta0: number): [number, number, number] | undefined {
  const tension = nodeTension(level, R, cores, weights, theta0);
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
  return grow;
}

/** Adam on cores and gate logits (separate learning rates), temperature annealed with the global step. */
function trainGated(level: Scale, R: number[][], cores: Tensor[], weights: LossWeights, o: TrainSettings, step0: number, totalSteps: number, timeUp: () => boolean): { cores: Tensor[]; gates: GateLogits; tau: number } {
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
