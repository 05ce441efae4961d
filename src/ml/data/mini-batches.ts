import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { takeLabels, takeRows } from './matrix.js';

/** Options of {@link MiniBatchSampler}. */
export interface MiniBatchOptions {
  /** Samples per batch (≥ 1). */
  batchSize: number;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /** Drop a last batch smaller than batchSize (default false). */
  dropLast?: boolean;
}

/**
 * Mini-batch index sampler over n samples. Every call to {@link MiniBatchSampler.nextEpoch}
 * returns the next epoch's batches, drawn from one seeded stream: the same seed gives the
 * same sequence of epochs, and each epoch covers every sample exactly once (but for a
 * dropped last batch).
 */
export class MiniBatchSampler {
  readonly n: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly rng: Random;
  private readonly order: number[];

  constructor(n: number, options: MiniBatchOptions) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`MiniBatchSampler: sample count must be a non-negative integer, got ${n}`);
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RangeError(`MiniBatchSampler: batchSize must be an integer ≥ 1, got ${options.batchSize}`);
    }
    this.n = n;
    this.batchSize = options.batchSize;
    this.shuffle = options.shuffle ?? true;
    this.dropLast = options.dropLast ?? false;
    this.rng = new Random(options.seed ?? 0);
    this.order = Array.from({ length: n }, (_, i) => i);
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    return this.dropLast ? Math.floor(this.n / this.batchSize) : Math.ceil(this.n / this.batchSize);
  }

  /** The index batches of the next epoch. */
  nextEpoch(): Int32Array[] {
    if (this.shuffle) this.rng.shuffle(this.order);
    const out: Int32Array[] = [];
    for (let start = 0; start < this.n; start += this.batchSize) {
      const end = Math.min(start + this.batchSize, this.n);
      if (this.dropLast && end - start < this.batchSize) break;
      out.push(Int32Array.from(this.order.slice(start, end)));
    }
    return out;
  }
}

/** One mini-batch: the rows of x (and labels) at `indices`. */
export interface MiniBatch {
  x: Tensor;
  y: Int32Array | undefined;
  indices: Int32Array;
}

/**
 * The mini-batches of one epoch of (x [n, ...], y [n]) drawn by `sampler` (which advances
 * to the next epoch). Rows are copied into contiguous tensors.
 */
export function* epochBatches(x: Tensor, y: ArrayLike<number> | undefined, sampler: MiniBatchSampler): Generator<MiniBatch> {
  if (x.ndim === 0 || x.shape[0] !== sampler.n) {
    throw new RangeError(`epochBatches: the sampler covers ${sampler.n} samples but x has shape [${x.shape.join(', ')}]`);
  }
  if (y !== undefined && y.length !== sampler.n) throw new RangeError(`epochBatches: ${y.length} labels for ${sampler.n} samples`);
  for (const indices of sampler.nextEpoch()) {
    yield { x: takeRows(x, indices), y: y === undefined ? undefined : takeLabels(y, indices), indices };
  }
}
