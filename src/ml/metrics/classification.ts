import { Tensor } from '../../tensor/tensor.js';
import { checkLabelPair, inferClassCount } from './labels.js';

/** Fraction of samples whose predicted label equals the true one. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLabelPair(yTrue, yPred, 'accuracy');
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/** Options of the per-class metrics. */
export interface ClassCountOptions {
  /** Number of classes C (labels 0 … C − 1); default 1 + the largest label seen. */
  numClasses?: number;
}

function classCount(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ClassCountOptions, who: string): number {
  const seen = inferClassCount(yTrue, yPred);
  const c = options.numClasses ?? seen;
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`${who}: numClasses must be an integer ≥ 1, got ${c}`);
  if (seen > c) throw new RangeError(`${who}: label ${seen - 1} is out of range for numClasses ${c}`);
  return c;
}

/**
 * The C×C confusion matrix: entry [t][p] counts samples of true class t predicted as p
 * (rows true, columns predicted, as scikit-learn).
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ClassCountOptions = {}): number[][] {
  checkLabelPair(yTrue, yPred, 'confusionMatrix');
  const c = classCount(yTrue, yPred, options, 'confusionMatrix');
  const m = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]!]![yPred[i]!]! += 1;
  return m;
}

/** Precision, recall and F1 of one class, with its support (true samples). */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class scores and their unweighted (macro) means. */
export interface ClassificationReport {
  perClass: ClassScores[];
  macro: { precision: number; recall: number; f1: number };
  accuracy: number;
}

/**
 * Precision TP/(TP+FP), recall TP/(TP+FN) and F1 = 2PR/(P+R) per class, and their macro
 * averages (plain means over the C classes; macro F1 is the mean of the per-class F1, as
 * scikit-learn). A ratio with a zero denominator is 0 (scikit-learn's zero_division=0).
 */
export function precisionRecallF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ClassCountOptions = {}): ClassificationReport {
  const m = confusionMatrix(yTrue, yPred, options);
  const c = m.length;
  const perClass: ClassScores[] = [];
  let hits = 0;
  for (let k = 0; k < c; k++) {
    const tp = m[k]![k]!;
    hits += tp;
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < c; j++) {
      predicted += m[j]![k]!;
      actual += m[k]![j]!;
    }
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = actual === 0 ? 0 : tp / actual;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support: actual });
  }
  const mean = (f: (s: ClassScores) => number): number => perClass.reduce((a, s) => a + f(s), 0) / c;
  return {
    perClass,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    accuracy: hits / yTrue.length,
  };
}

/** The index of the largest score in every row of scores [n, C] (the first on ties): predicted classes. */
export function argmaxRows(scores: Tensor): Int32Array {
  if (!(scores instanceof Tensor) || scores.ndim !== 2) {
    throw new RangeError(`argmaxRows: expected scores [samples, classes], got ${scores instanceof Tensor ? `shape [${scores.shape.join(', ')}]` : typeof scores}`);
  }
  const [n, c] = scores.shape as [number, number];
  if (c === 0) throw new RangeError('argmaxRows: scores have no classes');
  const data = scores.toTypedArray();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (data[i * c + k]! > data[i * c + best]!) best = k;
    if (Number.isNaN(data[i * c + best]!)) throw new RangeError(`argmaxRows: row ${i} has NaN scores`);
    out[i] = best;
  }
  return out;
}
