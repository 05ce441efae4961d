import { add, constant, einsum, mean, mul, reshape, type Var } from '../../autodiff/index.js';
import { takeRows } from '../data/matrix.js';
import { Tensor } from '../../tensor/tensor.js';
import { logQuadNorm, logReluFrobeniusNorm, type AnomalyLossOptions } from '../losses/anomaly.js';
import { logWithScale, onesEnvironment, type DoubleEnvironment, type SmpoModel } from '../models/smpo-model.js';
import { siteSlices } from '../models/rescale.js';
import { doubleLayerLeftStep, doubleLayerRightStep, rescaledEnvironment } from '../models/smpo-chain.js';
import { alternatingUpdate, type SweepEvent, type SweepProblem, type SweepResult } from './sweep.js';
import type { BatchSource } from './trainer.js';

/** A batch for SMPO sweeps: the per-site vectors `[batch, d]` of a product-state batch. */
export interface SmpoSweepBatch {
  readonly xs: readonly Tensor[];
  readonly size: number;
}

/** SMPO sweep environment: the data's double layer ⟨P·φ|P·φ⟩ and the operator's ⟨P|P⟩. */
export interface SmpoSweepEnvironment {
  readonly data: DoubleEnvironment;
  readonly frob: DoubleEnvironment;
}

/** Product states `[n, sites, d]` as SMPO sweep batches. */
export function smpoSweepSource(x: Tensor): BatchSource<SmpoSweepBatch> {
  if (x.ndim !== 3) throw new RangeError(`smpoSweepSource: x must be a product-state batch [n, sites, d], got shape [${x.shape.join(', ')}]`);
  return {
    size: x.shape[0]!,
    batch: (idx) => ({ xs: siteSlices(takeRows(x, idx), x.dtype), size: idx.length }),
  };
}

/**
 * The SMPO anomaly loss as a sweep problem: the local loss at bond k is exactly
 * {@link smpoAnomalyLoss} of the whole operator on the batch, with cores k, k+1 merged. Its
 * einsum specs come from the model's network (`model.steps`, smpo-network.ts).
 */
export function smpoSweepProblem(model: SmpoModel, options: AnomalyLossOptions = {}): SweepProblem<SmpoSweepBatch, SmpoSweepEnvironment> {
  const alpha = options.alpha ?? 0.4;
  const dtype = model.params[0]!.dtype;
  return {
    cores: model.params,
    leftBoundary: (batch) => ({ data: { value: onesEnvironment(batch.size, dtype), scale: new Float64Array(batch.size) }, frob: { value: onesEnvironment(1, dtype), scale: new Float64Array(1) } }),
    rightBoundary: (batch) => ({ data: { value: onesEnvironment(batch.size, dtype), scale: new Float64Array(batch.size) }, frob: { value: onesEnvironment(1, dtype), scale: new Float64Array(1) } }),
    extendLeft: (env, core, site, batch) => ({
      data: model.leftEnvironmentStep(env.data, core, batch.xs[site]!, site),
      frob: rescaledEnvironment(doubleLayerLeftStep(env.frob.value, core, null), env.frob.scale),
    }),
    extendRight: (env, core, site, batch) => ({
      data: model.rightEnvironmentStep(env.data, core, batch.xs[site]!, site),
      frob: rescaledEnvironment(doubleLayerRightStep(env.frob.value, core, null), env.frob.scale),
    }),
    localLoss(merged: Var, left, right, bond, batch) {
      const norm2 = einsum(model.steps.localNorm[bond]!, left.data.value, merged, batch.xs[bond]!, batch.xs[bond + 1]!, merged, batch.xs[bond]!, batch.xs[bond + 1]!, right.data.value);
      const scale = new Float64Array(batch.size);
      for (let b = 0; b < batch.size; b++) scale[b] = left.data.scale[b]! + right.data.scale[b]!;
      const logNorm2 = logWithScale(reshape(norm2, [batch.size, 1, 1]), scale, [batch.size]);
      const error = mean(logQuadNorm(logNorm2, options));
      if (alpha === 0) return error;
      const frob = einsum(model.steps.localFrobenius[bond]!, left.frob.value, merged, merged, right.frob.value);
      const logF = logWithScale(reshape(frob, [1, 1, 1]), Float64Array.of(left.frob.scale[0]! + right.frob.scale[0]!), []);
      return add(error, mul(constant(new Tensor(Float64Array.of(alpha), []).astype(error.dtype)), logReluFrobeniusNorm(logF)));
    },
  };
}

/** Options of {@link smpoSweepTrain}. */
export interface SmpoSweepTrainOptions {
  sweeps: number;
  batchSize: number;
  seed?: number;
  lr: number;
  /** Cap on the rank of each bond the two-site splits create (the AnomalyDetector passes its `bondDim`). */
  maxRank: number;
  /** Bound on each split's relative error (see SweepStage.rse; default 0). */
  rse?: number;
  /** Adam steps per merged tensor (default 1). */
  steps?: number;
  /** Called after every bond update and every sweep (see SweepOptions.observer). */
  observer?: (event: SweepEvent) => void;
}

/** Sweep-trains an SMPO on product states `x` `[n, sites, d]` with the anomaly loss. */
export function smpoSweepTrain(model: SmpoModel, x: Tensor, options: SmpoSweepTrainOptions & AnomalyLossOptions): SweepResult {
  const problem = smpoSweepProblem(model, options);
  return alternatingUpdate(problem, smpoSweepSource(x), {
    schedule: [{ maxRank: options.maxRank, rse: options.rse ?? 0, steps: options.steps ?? 1, lr: options.lr }],
    sweeps: options.sweeps, batchSize: options.batchSize, seed: options.seed ?? 0,
    ...(options.observer ? { observer: options.observer } : {}),
  });
}
