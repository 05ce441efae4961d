import { constant, logSoftmax, mean, mul, neg, pick, sum, type Var } from '../../autodiff/index.js';
import { Tensor } from '../../tensor/tensor.js';

/** Checks integer labels against a [batch, classes] score matrix, naming the first bad one. */
export function checkLabels(scores: Var, labels: ArrayLike<number>, who: string): void {
  if (scores.ndim !== 2) throw new RangeError(`${who}: scores must be [batch, classes], got shape [${scores.shape.join(', ')}]`);
  const [batch, classes] = scores.shape as [number, number];
  if (labels.length !== batch) throw new RangeError(`${who}: ${labels.length} labels for a batch of ${batch}`);
  for (let i = 0; i < batch; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw new RangeError(`${who}: label ${i} is ${y}, not a class in [0, ${classes - 1}]`);
  }
}

/**
 * Mean softmax cross-entropy −(1/B) Σ_b w_{y_b} log softmax(s_b)_{y_b} of scores
 * `[batch, classes]` against integer labels. With `classWeights`, each sample is
 * weighted by its class's weight and the sum divided by the batch size (as
 * tn4ml's CrossEntropyWeighted followed by a mean).
 */
export function softmaxCrossEntropy(scores: Var, labels: ArrayLike<number>, classWeights?: ArrayLike<number>): Var {
  checkLabels(scores, labels, 'softmaxCrossEntropy');
  const logp = pick(logSoftmax(scores, 1), labels, 1);
  if (classWeights === undefined) return neg(mean(logp));
  const classes = scores.shape[1]!;
  if (classWeights.length !== classes) throw new RangeError(`softmaxCrossEntropy: ${classWeights.length} class weights for ${classes} classes`);
  const w = new Float64Array(labels.length);
  for (let i = 0; i < w.length; i++) w[i] = classWeights[labels[i]!]! / labels.length;
  return neg(sum(mul(logp, constant(new Tensor(w, [w.length]).astype(scores.dtype)))));
}

/** Balanced class weights n / (classes · count_c) (scikit-learn's "balanced"); classes absent get weight 0. */
export function balancedClassWeights(labels: ArrayLike<number>, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts.map((c) => (c > 0 ? labels.length / (classes * c) : 0));
}
