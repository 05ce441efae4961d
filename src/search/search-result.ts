/** What every structure search returns, and how a search turns its best evaluation into it. */
import type { Tensor } from '../tensor/tensor.js';
import type { ScaleLog } from './checkpoint.js';
import type { Evaluation, Evaluator, StopReason } from './evaluator.js';

/** What a search returns (RGTN, the gated search and every baseline). */
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
  /** Per-scale log (RGTN, gated search). */
  log?: ScaleLog[];
  /** Set when the search ended early: its budget ran out, or a stop was requested. The result is the best so far. */
  stopped?: StopReason;
}

/** Builds a SearchResult from an evaluation (with the evaluator's stop reason, if it ended early). */
export function resultOf(method: string, ev: Evaluator, e: Evaluation, seconds: number): SearchResult {
  const out: SearchResult = {
    method, ranks: e.R, params: e.params, cr: e.cr, rse: e.rse, seconds, evaluations: ev.evaluations, cores: e.cores, feasible: e.rse <= ev.rse,
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
