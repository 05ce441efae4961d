import { add, constant, mean, mul, relu, scale, square, sub, type Var, type VarLike } from '../../autodiff/index.js';
import { Tensor } from '../../tensor/tensor.js';
import type { SmpoModel } from '../models/smpo-model.js';

/*
 * tn4ml's anomaly-detection loss for an SMPO P (metrics.py, MNIST notebook):
 *
 *   L = mean_b LogQuadNorm(P, φ(x_b)) + α · LogReLUFrobNorm(P)
 *   LogQuadNorm     = (ln TransformedSquaredNorm − 1)²,  TransformedSquaredNorm = (‖P·φ(x)‖²)²
 *   LogReLUFrobNorm = max(0, ln tr(P†P)) = ReLU(ln ‖P‖_F²)
 *
 * tn4ml's code squares the squared norm, so the error term is (2·ln‖P·φ‖² − 1)²; the
 * notebook's formula writes (ln‖P·φ‖² − 1)². `normExponent` picks between them (4, the code,
 * by default; 2, the formula). Normal samples are pulled towards ‖P·φ‖^e = e¹ while the
 * regulariser keeps ‖P‖_F ≤ 1, so the operator concentrates on the normal class and an
 * anomaly's P·φ has a small norm: a large per-sample loss, which is the anomaly score.
 */

/** Options of the anomaly loss. */
export interface AnomalyLossOptions {
  /** Weight α of ReLU(ln ‖P‖_F²) (default 0.4, as tn4ml's MNIST example). */
  alpha?: number;
  /** e in (ln ‖P·φ‖^e − 1)²: 4 as tn4ml's code (default) or 2 as its notebook's formula. */
  normExponent?: number;
}

function checkOptions(options: AnomalyLossOptions): { alpha: number; exponent: number } {
  const alpha = options.alpha ?? 0.4;
  const exponent = options.normExponent ?? 4;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`anomaly loss: alpha must be a non-negative finite number, got ${alpha}`);
  if (!(exponent > 0) || !Number.isFinite(exponent)) throw new RangeError(`anomaly loss: normExponent must be a positive finite number, got ${exponent}`);
  return { alpha, exponent };
}

/**
 * Per-sample log-quadratic norm error (ln ‖P·φ‖^e − 1)² from ln ‖P·φ‖² `[batch]`
 * (e = `normExponent`, default 4 as tn4ml's code).
 */
export function logQuadNorm(logNormSquared: VarLike, options: AnomalyLossOptions = {}): Var {
  const { exponent } = checkOptions(options);
  return square(sub(scale(logNormSquared, exponent / 2), 1));
}

/** ReLU(ln ‖P‖_F²), from ln ‖P‖_F² (a scalar). */
export function logReluFrobeniusNorm(logFrobeniusSquared: VarLike): Var {
  return relu(logFrobeniusSquared);
}

/**
 * The SMPO anomaly loss of a product-state batch `x` `[batch, sites, d]`: mean per-sample
 * log-quadratic norm plus α·ReLU(ln ‖P‖_F²), differentiable in `params`.
 */
export function smpoAnomalyLoss(model: SmpoModel, params: readonly VarLike[], x: Tensor, options: AnomalyLossOptions = {}): Var {
  const { alpha } = checkOptions(options);
  const error = mean(logQuadNorm(model.logNormSquared(params, x), options));
  if (alpha === 0) return error;
  return add(error, mul(constant(new Tensor(Float64Array.of(alpha), []).astype(error.dtype)), logReluFrobeniusNorm(model.logFrobeniusNormSquared(params))));
}

/**
 * Anomaly scores: the per-sample loss (ln ‖P·φ(x_b)‖^e − 1)² of each sample of `x`
 * `[n, sites, d]`, computed in batches of `batchSize`. Higher means more anomalous.
 */
export function smpoAnomalyScores(model: SmpoModel, x: Tensor, options: AnomalyLossOptions & { batchSize?: number } = {}): Float64Array {
  checkOptions(options);
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`smpoAnomalyScores: batchSize must be a positive integer, got ${batchSize}`);
  if (x.ndim !== 3) throw new RangeError(`smpoAnomalyScores: x must be a product-state batch [n, sites, d], got shape [${x.shape.join(', ')}]`);
  const n = x.shape[0]!;
  const out = new Float64Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const part = x.slice([start, end]).contiguous();
    const scores = logQuadNorm(model.logNormSquared(model.params, part), options).value.toTypedArray();
    out.set(scores, start);
  }
  return out;
}
