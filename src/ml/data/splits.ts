import { Random } from '../../tensor/random.js';

/** Train/test sample indices into the original data set. */
export interface TrainTestIndices {
  train: Int32Array;
  test: Int32Array;
}

/** Train/validation/test sample indices into the original data set. */
export interface TrainValidationTestIndices extends TrainTestIndices {
  validation: Int32Array;
}

/** Options of {@link stratifiedSplit} and {@link randomSplit}. */
export interface SplitOptions {
  /** Fraction of the samples in the test part, in (0, 1) (default 0.2); the count is ⌈fraction·n⌉ as scikit-learn. */
  testFraction?: number;
  /** Exact test count instead of a fraction (0 < testSize < n). */
  testSize?: number;
  /** Seed of the project's {@link Random} (default 0): the same seed gives the same split. */
  seed?: number;
}

/** The number of test samples for n samples. */
function testCount(n: number, options: SplitOptions, who: string): number {
  if (options.testSize !== undefined) {
    const t = options.testSize;
    if (!Number.isInteger(t) || t <= 0 || t >= n) throw new RangeError(`${who}: testSize must be an integer in [1, ${n - 1}] for ${n} samples, got ${t}`);
    return t;
  }
  const f = options.testFraction ?? 0.2;
  if (!(f > 0 && f < 1)) throw new RangeError(`${who}: testFraction must be in (0, 1), got ${f}`);
  // The small slack keeps 0.2·455 = 91 from becoming 92 through rounding of 0.2.
  const t = Math.ceil(f * n - 1e-9);
  if (t <= 0 || t >= n) throw new RangeError(`${who}: testFraction ${f} of ${n} samples leaves an empty part`);
  return t;
}

function checkLabels(labels: ArrayLike<number>, who: string): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v)) throw new RangeError(`${who}: label ${i} is ${v}; labels must be integers`);
  }
}

/**
 * A random train/test split that keeps the class proportions: class c with n_c samples
 * puts n_test·n_c/n of them (rounded by largest remainder, so the total is exact) into the
 * test part. Samples are drawn without replacement with the seeded generator; both parts
 * are returned in shuffled order. Disjoint, covering, and reproducible by seed.
 */
export function stratifiedSplit(labels: ArrayLike<number>, options: SplitOptions = {}): TrainTestIndices {
  const who = 'stratifiedSplit';
  checkLabels(labels, who);
  const n = labels.length;
  const nTest = testCount(n, options, who);
  const rng = new Random(options.seed ?? 0);

  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    let list = byClass.get(c);
    if (list === undefined) {
      list = [];
      byClass.set(c, list);
    }
    list.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // Largest-remainder apportionment of the test count over the classes; ties go to the
  // larger class, then to the smaller label, so the counts do not depend on the seed.
  const quota = classes.map((c) => (nTest * byClass.get(c)!.length) / n);
  const take = quota.map((q) => Math.floor(q));
  let left = nTest - take.reduce((a, b) => a + b, 0);
  const order = classes
    .map((c, k) => ({ k, rem: quota[k]! - take[k]!, size: byClass.get(c)!.length }))
    .sort((a, b) => b.rem - a.rem || b.size - a.size || a.k - b.k);
  for (const { k } of order) {
    if (left === 0) break;
    take[k] = take[k]! + 1;
    left--;
  }

  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((c, k) => {
    const members = rng.shuffle(byClass.get(c)!.slice());
    for (let i = 0; i < members.length; i++) (i < take[k]! ? test : train).push(members[i]!);
  });
  return { train: Int32Array.from(rng.shuffle(train)), test: Int32Array.from(rng.shuffle(test)) };
}

/** A random train/test split of n samples (no stratification), reproducible by seed. */
export function randomSplit(n: number, options: SplitOptions = {}): TrainTestIndices {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`randomSplit: needs an integer sample count ≥ 2, got ${n}`);
  const nTest = testCount(n, options, 'randomSplit');
  const perm = new Random(options.seed ?? 0).shuffle(Array.from({ length: n }, (_, i) => i));
  return { test: Int32Array.from(perm.slice(0, nTest)), train: Int32Array.from(perm.slice(nTest)) };
}

/** Options of {@link trainValidationTestSplit}. */
export interface ThreeWaySplitOptions {
  /** Test fraction of all samples (default 0.2). */
  testFraction?: number;
  /** Validation fraction of the samples left after the test split (default 0.2). */
  validationFraction?: number;
  /** Keep class proportions in every part (default true). */
  stratify?: boolean;
  seed?: number;
}

/**
 * Two successive splits: test = ⌈testFraction·n⌉ of all samples, then validation =
 * ⌈validationFraction·m⌉ of the m remaining; the rest is train. The second split uses a
 * seed derived from `seed`. Indices refer to the original samples.
 */
export function trainValidationTestSplit(labels: ArrayLike<number>, options: ThreeWaySplitOptions = {}): TrainValidationTestIndices {
  const seed = options.seed ?? 0;
  const stratify = options.stratify ?? true;
  const split = (y: ArrayLike<number>, f: number, s: number): TrainTestIndices =>
    stratify ? stratifiedSplit(y, { testFraction: f, seed: s }) : randomSplit(y.length, { testFraction: f, seed: s });
  const first = split(labels, options.testFraction ?? 0.2, seed);
  const rest = Array.from(first.train, (i) => labels[i]!);
  const second = split(rest, options.validationFraction ?? 0.2, seed + 0x9e3779b9);
  return {
    train: Int32Array.from(second.train, (i) => first.train[i]!),
    validation: Int32Array.from(second.test, (i) => first.train[i]!),
    test: first.test,
  };
}

/**
 * tn4ml's breast-cancer protocol: 80/20 train/test, then 80/20 train/validation, stratified
 * by class; on the 569 samples this gives 364 train, 91 validation and 114 test.
 */
export function breastCancerProtocolSplit(labels: ArrayLike<number>, seed = 0): TrainValidationTestIndices {
  return trainValidationTestSplit(labels, { testFraction: 0.2, validationFraction: 0.2, stratify: true, seed });
}
