import { add, type Var } from '../../autodiff/index.js';
import type { DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { takeLabels, takeRows } from '../data/matrix.js';
import type { Embedding } from '../embeddings/embedding.js';
import { softmaxCrossEntropy } from '../losses/classification.js';
import { meanSquaredError } from '../losses/regression.js';
import { l2Penalty, nuclearNormPenalty } from '../losses/regularizers.js';
import { accuracy, argmaxRows } from '../metrics/classification.js';
import type { SupervisedModel } from '../models/model.js';
import type { BatchSource, TrainingProblem } from './trainer.js';

/** A batch of embedded samples: product states [batch, sites, d] with class labels or regression targets [batch, outputDim]. */
export interface LabeledBatch {
  x: Tensor;
  labels?: Int32Array;
  targets?: Tensor;
}

/**
 * Training data as a {@link BatchSource}: raw features `[n, …]` embedded batch by batch
 * (so large image sets never exist as one embedded array), with integer labels or
 * real targets `[n, outputDim]`.
 */
export function productStateSource(
  features: Tensor,
  embedding: Embedding,
  answers: { labels: ArrayLike<number> } | { targets: Tensor },
  options: { dtype?: DType } = {},
): BatchSource<LabeledBatch> {
  const n = features.shape[0] ?? 0;
  if ('labels' in answers && answers.labels.length !== n) throw new RangeError(`productStateSource: ${answers.labels.length} labels for ${n} samples`);
  if ('targets' in answers && answers.targets.shape[0] !== n) throw new RangeError(`productStateSource: ${answers.targets.shape[0]} targets for ${n} samples`);
  const dtype = options.dtype ?? features.dtype;
  return {
    size: n,
    batch(indices) {
      const x = embedding.embed(takeRows(features, indices), { dtype });
      if ('labels' in answers) return { x, labels: takeLabels(answers.labels, indices) };
      return { x, targets: takeRows(answers.targets, indices) };
    },
  };
}

/** Options of {@link supervisedProblem}. */
export interface SupervisedProblemOptions {
  /** 'classification' (softmax cross-entropy, accuracy) or 'regression' (MSE). Default classification. */
  task?: 'classification' | 'regression';
  /** Per-class weights of the cross-entropy (e.g. balancedClassWeights). */
  classWeights?: ArrayLike<number>;
  /** L2 penalty λ Σ‖A‖². */
  l2?: number;
  /** Nuclear-norm penalty λ Σ‖A‖_*. */
  nuclear?: number;
}

/** The training problem of a supervised model: its cores, the task loss plus regularisers, and accuracy (classification) or MSE (regression) as a metric. */
export function supervisedProblem(model: SupervisedModel, options: SupervisedProblemOptions = {}): TrainingProblem<LabeledBatch> {
  const task = options.task ?? 'classification';
  const regularize = (params: readonly Var[], loss: Var): Var => {
    let out = loss;
    if (options.l2) out = add(out, l2Penalty(params, options.l2));
    if (options.nuclear) out = add(out, nuclearNormPenalty(params, options.nuclear));
    return out;
  };
  const dataLoss = (params: readonly Var[], batch: LabeledBatch): Var => {
    const out = model.forward(params, batch.x);
    if (task === 'classification') {
      if (!batch.labels) throw new RangeError('supervisedProblem: a classification batch needs labels');
      return softmaxCrossEntropy(out, batch.labels, options.classWeights);
    }
    if (!batch.targets) throw new RangeError('supervisedProblem: a regression batch needs targets');
    return meanSquaredError(out, batch.targets.reshape(out.shape[0]!, -1));
  };
  return {
    params: model.params,
    loss: (params, batch) => regularize(params, dataLoss(params, batch)),
    metrics(params, batch) {
      const scores = model.forward(params, batch.x);
      if (task === 'classification') {
        return { accuracy: accuracy(batch.labels!, argmaxRows(scores.value)) };
      }
      return { mse: meanSquaredError(scores, batch.targets!.reshape(scores.shape[0]!, -1)).item() };
    },
  };
}

/** Model outputs for raw features, embedded and contracted in batches. */
export function predictScores(model: SupervisedModel, features: Tensor, embedding: Embedding, batchSize = 256): Tensor {
  const n = features.shape[0]!;
  const dtype = model.params[0]!.dtype;
  const out = new Tensor(dtype === 'f32' ? new Float32Array(n * model.outputDim) : new Float64Array(n * model.outputDim), [n, model.outputDim]);
  for (let start = 0; start < n; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const scores = model.forward(model.params, embedding.embed(takeRows(features, idx), { dtype })).value.toTypedArray();
    out.data.set(scores, start * model.outputDim);
  }
  return out;
}
