import { allocate, type DType, type FloatArray } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/*
 * The embedding (feature map) interface shared by every family, and the one loop that
 * turns a batch of raw features into a batch of product states.
 *
 * Conventions:
 * - a sample of N features becomes a product state stored as a Tensor [N, d] (site s holds
 *   the vector φ(x_s) of dimension d); a batch [batch, N] becomes [batch, N, d], contiguous;
 * - where sites have different dimensions (a per-feature list), the site vectors are
 *   zero-padded to the largest one; `siteDims` tells the true dimension of each site.
 */

/** What to do with a feature value outside the range an embedding expects. */
export type OutOfRangePolicy = 'error' | 'warn' | 'ignore';

/** Closed interval [min, max] of inputs an embedding is designed for (±Infinity for none). */
export interface InputRange {
  readonly min: number;
  readonly max: number;
}

/** The whole real line: no range check. */
export const REAL_LINE: InputRange = Object.freeze({ min: -Infinity, max: Infinity });
/** The unit interval [0, 1], the range of a min-max scaled feature. */
export const UNIT_INTERVAL: InputRange = Object.freeze({ min: 0, max: 1 });

/** Options of {@link Embedding.embed}. */
export interface EmbedOptions {
  /** Output dtype (default: the input's dtype). Values are computed in f64 either way. */
  dtype?: DType;
  /**
   * Values outside the embedding's input range: `'error'` (default) throws a RangeError
   * naming the sample, the feature index and the value; `'warn'` embeds them anyway and
   * prints one console warning per embedding object (the first offending value);
   * `'ignore'` embeds them silently. NaN and ±Infinity always throw.
   */
  outOfRange?: OutOfRangePolicy;
  /**
   * Divide every site vector by its Euclidean norm, so the product state has norm 1
   * (tn4ml's `embed` normalises the whole product state; for a product state this is
   * the same state). Default false. A zero site vector is left as it is.
   */
  normalize?: boolean;
}

/** A JSON description of an embedding, enough to rebuild it (see `embeddingFromJSON`). */
export interface EmbeddingSpec {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** A feature map from raw features to product states. */
export interface Embedding {
  /** The family, e.g. `'trigonometric'`. */
  readonly kind: string;
  /** The physical dimension of each site for a sample of `nFeatures` features. */
  siteDims(nFeatures: number): number[];
  /**
   * Embeds one sample `[N]` into `[sites, d]`, or a batch `[batch, ...features]` (trailing
   * axes flattened in C order) into `[batch, sites, d]`, contiguous.
   */
  embed(x: Tensor, options?: EmbedOptions): Tensor;
  /** A JSON description (throws for embeddings built from a user function). */
  toJSON(): EmbeddingSpec;
}

/** A batch of samples as one row-major [batch, features] array. */
export interface FeatureBatch {
  data: FloatArray;
  batch: number;
  features: number;
  /** True when the input was a single 1-D sample (the output drops the batch axis). */
  single: boolean;
}

/** Reads a 1-D sample or an n-D batch as [batch, features] (trailing axes flattened). */
export function asFeatureBatch(x: Tensor, who: string): FeatureBatch {
  if (!(x instanceof Tensor)) throw new TypeError(`${who}: expected a Tensor of features, got ${typeof x}`);
  if (x.ndim === 0) throw new RangeError(`${who}: expected a 1-D sample [features] or a batch [batch, ...features], got a scalar`);
  const data = x.toTypedArray();
  if (x.ndim === 1) return { data, batch: 1, features: x.shape[0]!, single: true };
  let features = 1;
  for (let i = 1; i < x.ndim; i++) features *= x.shape[i]!;
  return { data, batch: x.shape[0]!, features, single: false };
}

/** The output shape for a batch: [sites, d] for a single sample, [batch, sites, d] otherwise. */
export function outputShape(input: FeatureBatch, sites: number, d: number): number[] {
  return input.single ? [sites, d] : [input.batch, sites, d];
}

/** Checks that an option is an integer ≥ `min`, naming it. */
export function assertInteger(value: unknown, name: string, min: number, who: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${who}: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** Checks that an option is a finite number, naming it. */
export function assertFiniteNumber(value: unknown, name: string, who: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${who}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * Tracks out-of-range values for one embedding: throws, warns once, or ignores, per the
 * policy. Values within a relative 1e-9 of a bound count as inside, so rounding in a
 * scaler (1 + 2⁻⁵²) is not an error.
 */
export class RangeGuard {
  private warned = false;

  constructor(private readonly who: string) {}

  /** Checks one feature value against the range: throws on a non-finite value, and outside the range throws, warns once or ignores per `policy`. */
  check(value: number, range: InputRange, sample: number, feature: number, policy: OutOfRangePolicy): void {
    if (value - value !== 0) {
      throw new RangeError(`${this.who}: feature ${feature} of sample ${sample} is ${value}; embeddings need finite values`);
    }
    const slackLow = 1e-9 * Math.max(1, Math.abs(range.min));
    const slackHigh = 1e-9 * Math.max(1, Math.abs(range.max));
    if (value >= range.min - slackLow && value <= range.max + slackHigh) return;
    if (policy === 'ignore') return;
    const message =
      `${this.who}: feature ${feature} of sample ${sample} is ${value}, outside the expected input range ` +
      `[${range.min}, ${range.max}] (scale the features first, e.g. MinMaxScaler with clip: true, or pass outOfRange: 'warn')`;
    if (policy === 'error') throw new RangeError(message);
    if (!this.warned) {
      this.warned = true;
      console.warn(`${message}; further out-of-range values of this embedding are not reported`);
    }
  }
}

/**
 * A map from one scalar feature to a vector of dimension `dim`. Subclasses implement
 * {@link ScalarEmbedding.write}; batching, range checks and normalisation live here.
 */
export abstract class ScalarEmbedding implements Embedding {
  abstract readonly kind: string;
  /** Output dimension d of φ(x). */
  abstract readonly dim: number;
  /** The input range the map is designed for (see {@link EmbedOptions.outOfRange}). */
  abstract readonly range: InputRange;
  private guardInstance: RangeGuard | undefined;

  /** Writes φ(x) into `out[offset]` … `out[offset + dim − 1]`. `feature` is the column index. */
  abstract write(x: number, out: FloatArray, offset: number, feature: number): void;

  abstract toJSON(): EmbeddingSpec;

  /** The range guard of this embedding (one warning per embedding object). */
  get guard(): RangeGuard {
    this.guardInstance ??= new RangeGuard(`${this.kind} embedding`);
    return this.guardInstance;
  }

  siteDims(nFeatures: number): number[] {
    return new Array<number>(nFeatures).fill(this.dim);
  }

  embed(x: Tensor, options: EmbedOptions = {}): Tensor {
    const input = asFeatureBatch(x, `${this.kind} embedding`);
    const maps = new Array<ScalarEmbedding>(input.features).fill(this);
    return embedFeatures(input, maps, this.dim, options.dtype ?? x.dtype, options);
  }

  /** φ(x) of one value as a new array (range-checked with the 'error' policy), for inspection and tests. */
  vector(x: number, feature = 0): Float64Array {
    this.guard.check(x, this.range, 0, feature, 'error');
    const out = new Float64Array(this.dim);
    this.write(x, out, 0, feature);
    return out;
  }
}

/**
 * The embedding loop: sample b, feature j goes through `maps[j]` into row (b, j) of a
 * [batch, features, d] array (zero-padded where a map's dim is below d).
 */
export function embedFeatures(
  input: FeatureBatch,
  maps: readonly ScalarEmbedding[],
  d: number,
  dtype: DType,
  options: EmbedOptions,
): Tensor {
  const { data, batch, features } = input;
  const policy = options.outOfRange ?? 'error';
  if (policy !== 'error' && policy !== 'warn' && policy !== 'ignore') {
    throw new RangeError(`embed: outOfRange must be 'error', 'warn' or 'ignore', got '${String(policy)}'`);
  }
  const out = allocate(dtype, batch * features * d);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < features; j++) {
      const map = maps[j]!;
      const value = data[b * features + j]!;
      map.guard.check(value, map.range, b, j, policy);
      map.write(value, out, (b * features + j) * d, j);
    }
  }
  if (options.normalize === true) normalizeRows(out, d);
  return new Tensor(out, outputShape(input, features, d));
}

/** Divides every length-d row of `out` by its norm (zero rows stay zero). */
export function normalizeRows(out: FloatArray, d: number): void {
  for (let p = 0; p < out.length; p += d) {
    let s = 0;
    for (let i = 0; i < d; i++) s += out[p + i]! * out[p + i]!;
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < d; i++) out[p + i] = out[p + i]! * inv;
  }
}
