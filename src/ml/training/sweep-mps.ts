import { constant, einsum, type Var } from '../../autodiff/index.js';
import { einsum as tensorEinsum } from '../../einsum/einsum.js';
import { takeRows } from '../data/matrix.js';
import { onesEnvironment } from '../models/smpo-model.js';
import type { Tensor } from '../../tensor/tensor.js';
import { softmaxCrossEntropy } from '../losses/classification.js';
import type { MpsModel } from '../models/mps-model.js';
import { applyScale, rescaleRows, siteSlices, type LogScale } from '../models/rescale.js';
import { alternatingUpdate, type SweepOptions, type SweepProblem, type SweepResult } from './sweep.js';
import type { BatchSource } from './trainer.js';

/** A labelled batch for MPS sweeps: per-site vectors `[batch, d]` and class labels. */
export interface MpsSweepBatch {
  readonly xs: readonly Tensor[];
  readonly labels: Int32Array;
  readonly size: number;
}

/**
 * A single-layer MPS environment `[batch, C, χ]`: C is the class count once the output site
 * is inside the environment, 1 before; rescaled per sample (true value = value·2^scale).
 */
export interface MpsSweepEnvironment {
  readonly value: Tensor;
  readonly scale: LogScale;
}

/** Product states `[n, sites, d]` with labels as MPS sweep batches. */
export function mpsSweepSource(x: Tensor, labels: ArrayLike<number>): BatchSource<MpsSweepBatch> {
  if (x.ndim !== 3) throw new RangeError(`mpsSweepSource: x must be a product-state batch [n, sites, d], got shape [${x.shape.join(', ')}]`);
  if (labels.length !== x.shape[0]) throw new RangeError(`mpsSweepSource: ${labels.length} labels for ${x.shape[0]} samples`);
  return {
    size: x.shape[0]!,
    batch: (idx) => ({ xs: siteSlices(takeRows(x, idx), x.dtype), labels: Int32Array.from(idx, (r) => labels[r]!), size: idx.length }),
  };
}

function boundary(batch: MpsSweepBatch, dtype: Tensor['dtype']): MpsSweepEnvironment {
  return { value: onesEnvironment(batch.size, dtype), scale: new Float64Array(batch.size) };
}

function rescaled(t: Tensor, scale: LogScale): MpsSweepEnvironment {
  const s = Float64Array.from(scale);
  return { value: rescaleRows(constant(t), s).value, scale: s };
}

/**
 * The MPS classifier's softmax cross-entropy as a sweep problem (Stoudenmire & Schwab's
 * two-site sweeps with the class leg kept on its own site): the local loss at bond k is the
 * model's loss on the batch with cores k, k+1 merged. Every contraction's einsum spec comes
 * from the model's network (`model.steps`, mps-network.ts).
 */
export function mpsSweepProblem(model: MpsModel): SweepProblem<MpsSweepBatch, MpsSweepEnvironment> {
  const { steps } = model;
  const dtype = model.params[0]!.dtype;
  return {
    cores: model.params,
    leftBoundary: (batch) => boundary(batch, dtype),
    rightBoundary: (batch) => boundary(batch, dtype),
    extendLeft: (env, core, site, batch) =>
      rescaled(tensorEinsum(steps.extendLeft[site]!, env.value, core, batch.xs[site]!), env.scale),
    extendRight: (env, core, site, batch) =>
      rescaled(tensorEinsum(steps.extendRight[site]!, core, batch.xs[site]!, env.value), env.scale),
    localLoss(merged: Var, left, right, bond, batch) {
      const scores = einsum(steps.localScores[bond]!, left.value, merged, batch.xs[bond]!, batch.xs[bond + 1]!, right.value);
      const scale = new Float64Array(batch.size);
      for (let b = 0; b < batch.size; b++) scale[b] = left.scale[b]! + right.scale[b]!;
      return softmaxCrossEntropy(applyScale(scores, scale), batch.labels);
    },
  };
}

/** Sweep-trains an MPS classifier on product states `x` with integer labels. */
export function mpsSweepTrain(model: MpsModel, x: Tensor, labels: ArrayLike<number>, options: SweepOptions): SweepResult {
  return alternatingUpdate(mpsSweepProblem(model), mpsSweepSource(x, labels), options);
}
