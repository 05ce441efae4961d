import { rocAuc } from './roc-auc.js';

/** A ROC curve: false- and true-positive rates at every distinct threshold, from (0, 0) to (1, 1), and its exact area. */
export interface RocCurvePoints {
  fpr: number[];
  tpr: number[];
  auc: number;
}

/** Options of {@link rocCurve}. */
export interface RocCurveOptions {
  /** The label of the positive class (default 1); every other label is negative. */
  positiveLabel?: number;
  /** Keep at most this many points (evenly thinned, ends kept; default: all). The AUC is always exact. */
  maxPoints?: number;
}

/**
 * The ROC curve of `scores` (higher = more positive): one point per distinct score,
 * thresholds from the highest down, so tied scores move both rates at once. `auc` is the
 * exact Mann–Whitney area of {@link rocAuc}, not the area of the thinned polyline.
 * @throws RangeError as {@link rocAuc} (length mismatch, non-finite scores, one class only).
 */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>, options: RocCurveOptions = {}): RocCurvePoints {
  const positive = options.positiveLabel ?? 1;
  const auc = rocAuc(yTrue, scores, { positiveLabel: positive });
  const n = yTrue.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === positive) nPos++;
  const nNeg = n - nPos;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let fpr = [0];
  let tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && scores[order[end]!] === scores[order[start]!]) {
      if (yTrue[order[end]!] === positive) tp++;
      else fp++;
      end++;
    }
    fpr.push(fp / nNeg);
    tpr.push(tp / nPos);
    start = end;
  }
  const max = options.maxPoints;
  if (max !== undefined) {
    if (!Number.isInteger(max) || max < 2) throw new RangeError(`rocCurve: maxPoints must be an integer ≥ 2, got ${max}`);
    if (fpr.length > max) {
      const keep = Array.from({ length: max }, (_, k) => Math.round((k * (fpr.length - 1)) / (max - 1)));
      fpr = keep.map((i) => fpr[i]!);
      tpr = keep.map((i) => tpr[i]!);
    }
  }
  return { fpr, tpr, auc };
}
