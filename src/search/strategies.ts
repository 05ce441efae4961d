/**
 * Structure-search strategies registered by name, each a function of one Evaluator
 * (the shared evaluation interface), so every method is measured by the same code.
 */
import type { Mask } from '../decompose/mask.js';
import type { StopFlag } from '../decompose/stop-flag.js';
import type { Tensor } from '../tensor/tensor.js';
import { Evaluator, type Evaluation } from './evaluator.js';
import { tnale, tnls, type LocalSearchStart } from './local-search.js';
import { growToTarget } from './refine.js';
import { rgtn, type RgtnOptions } from './rgtn.js';
import { finalEvaluation, resultOf, type SearchResult } from './search-result.js';
import { trSvdStructure, ttSvdStructure } from './svd-baselines.js';
import { tnga } from './tnga.js';

/** The method names `search` accepts. */
export const SEARCH_METHODS = ['rgtn', 'greedy', 'tnga', 'tnls', 'tnale', 'ttsvd', 'trsvd'] as const;
/** A method name `search` accepts. */
export type SearchMethod = (typeof SEARCH_METHODS)[number];

/** RGTN's options other than those every method shares ({@link SearchOptions}). */
export type RgtnOwnOptions = Omit<RgtnOptions, 'rse' | 'mask' | 'truth' | 'seed' | 'budgetSeconds' | 'smoothness' | 'stop' | 'onImprove'>;

/**
 * Options shared by every method (RGTN takes its own on top). The paper's gated search is
 * not among these methods: it is its own function, `gatedSearch` (gated-search.ts).
 */
export interface SearchOptions {
  /** The target RSE ‖X − X̃‖/‖X‖ a structure must meet (in [0, 1]; default 1e-2). */
  rse?: number;
  mask?: Mask;
  truth?: Tensor;
  seed?: number;
  budgetSeconds?: number;
  /** A shared stop request (see stop-flag.ts): the search ends at its next safe point with its best result so far. */
  stop?: StopFlag;
  /** Called whenever the best result so far on the data itself changes (not on RGTN's coarse scales): for live progress. */
  onImprove?: (best: Evaluation, at: { seconds: number; evaluations: number }) => void;
  /** Smoothness penalty of every fit along each mode's index (fitCores' `smoothness`; default none). */
  smoothness?: number | readonly number[];
  /** ALS sweeps per evaluation of the fitting baselines (default 40). */
  iters?: number;
  /** Random restarts of an evaluation that misses the target, for the local and genetic searches (default 3; greedy compares warm fits, 0). */
  restarts?: number;
  /** Worker threads evaluating the candidates of TNGA, TNLS and TnALE in parallel (default 0: the main thread; results do not depend on it). */
  workers?: number;
  /** TNGA: probability that a pair of cores is joined in the first generation (default 1). */
  tngaInitEdgeProb?: number;
  /** Starting structure of TNLS and TnALE: TT-SVD (default) or the allocated-error chain RGTN starts from. */
  localStart?: LocalSearchStart;
  /** RGTN's own options (the shared ones above apply to it too). */
  rgtn?: RgtnOwnOptions;
}

/**
 * Runs one structure-search method on x and reports the structure it found with its
 * fitted cores, RSE, parameters, CR, time and number of evaluations.
 * @throws RangeError/Error for an unknown method, bad options, or an SVD baseline on masked data.
 */
export function search(method: string, x: Tensor, options: SearchOptions = {}): SearchResult {
  if (!(SEARCH_METHODS as readonly string[]).includes(method)) {
    throw new RangeError(`search: unknown method '${method}'; expected one of ${SEARCH_METHODS.join(', ')}`);
  }
  if (x.ndim < 2) throw new RangeError(`search: needs a tensor of order ≥ 2, got shape [${x.shape.join(', ')}] (reshape it first)`);
  const rse = options.rse ?? 1e-2;
  const common = {
    rse,
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
    ...(options.truth !== undefined ? { truth: options.truth } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
    ...(options.stop !== undefined ? { stop: options.stop } : {}),
    ...(options.onImprove !== undefined ? { onImprove: options.onImprove } : {}),
    ...(options.smoothness !== undefined ? { smoothness: options.smoothness } : {}),
  };
  if (method === 'rgtn') return rgtn(x, { ...options.rgtn, ...common });
  const { onImprove, ...fitting } = common;
  const ev = new Evaluator(x, {
    ...fitting,
    ...(onImprove !== undefined ? { onImprove: (e: Evaluation, at: Evaluator) => onImprove(e, { seconds: at.seconds(), evaluations: at.evaluations }) } : {}),
    restarts: options.restarts ?? 3, ...(options.iters !== undefined ? { iters: options.iters } : {}) });
  const seed = options.seed ?? 0;
  let e: Evaluation;
  switch (method as SearchMethod) {
    case 'ttsvd':
      e = ttSvdStructure(ev);
      break;
    case 'trsvd':
      if (x.ndim < 3) throw new RangeError(`search: trsvd needs order ≥ 3, got shape [${x.shape.join(', ')}]`);
      e = trSvdStructure(ev);
      break;
    case 'greedy':
      e = growToTarget(ev, ev.evaluate(x.shape.map(() => x.shape.map(() => 1))), { newEdges: true });
      break;
    case 'tnga':
      e = tnga(ev, {
        seed,
        ...(options.workers === undefined ? {} : { workers: options.workers }),
        ...(options.tngaInitEdgeProb === undefined ? {} : { initEdgeProb: options.tngaInitEdgeProb }),
      });
      break;
    case 'tnls':
      e = tnls(ev, { seed, ...(options.workers === undefined ? {} : { workers: options.workers }), ...(options.localStart === undefined ? {} : { start: options.localStart }) });
      break;
    default:
      e = tnale(ev, { ...(options.workers === undefined ? {} : { workers: options.workers }), ...(options.localStart === undefined ? {} : { start: options.localStart }) });
  }
  return resultOf(method, ev, finalEvaluation(ev, e), ev.seconds());
}
