import { takeLabels, takeRows } from '../ml/data/matrix.js';
import { randomSplit, stratifiedSplit, type TrainTestIndices } from '../ml/data/splits.js';
import { Tensor } from '../tensor/tensor.js';
import { labelArray, sampleMatrix, type SampleInput } from './inputs.js';
import { EstimatorOptionError } from './option-error.js';

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Fraction of the samples in the test part, in (0, 1) (default 0.2; the count is ⌈fraction·n⌉). */
  testFraction?: number;
  /** Seed of the split (default 0): the same seed gives the same split. */
  seed?: number;
  /** Keep the class proportions in both parts (default true). */
  stratify?: boolean;
}

/** The two parts of {@link trainTestSplit}, rows in shuffled order. */
export interface TrainTestSplit {
  XTrain: Tensor;
  XTest: Tensor;
  yTrain: Int32Array;
  yTest: Int32Array;
}

/**
 * Splits labelled samples into a training and a test part (stratified by default, seeded;
 * see stratifiedSplit and randomSplit in src/ml/data/splits.ts). X keeps its dtype and shape (f64 `[n, features]` for rows of numbers).
 * @throws EstimatorOptionError for a y length that does not match X, or a fraction outside (0, 1).
 */
export function trainTestSplit(X: SampleInput, y: ArrayLike<number>, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const who = 'trainTestSplit';
  const flat = sampleMatrix(who, 'X', X, X instanceof Tensor ? X.dtype : 'f64', 2);
  // Images [n, h, w] keep their shape in both parts.
  const x = X instanceof Tensor ? X : flat;
  const labels = labelArray(who, 'y', y, flat.shape[0]!);
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) throw new EstimatorOptionError(who, 'testFraction', `must be in (0, 1), got ${testFraction}`);
  const seed = options.seed ?? 0;
  let split: TrainTestIndices;
  try {
    split = (options.stratify ?? true) ? stratifiedSplit(labels, { testFraction, seed }) : randomSplit(labels.length, { testFraction, seed });
  } catch (e) {
    throw new EstimatorOptionError(who, 'testFraction', (e as Error).message);
  }
  return { XTrain: takeRows(x, split.train), XTest: takeRows(x, split.test), yTrain: takeLabels(labels, split.train), yTest: takeLabels(labels, split.test) };
}
