import { allocate } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { asSampleMatrix } from './matrix.js';

/** Options of {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** Target interval [a, b] with a < b (default [0, 1]). */
  range?: readonly [number, number];
  /**
   * Clip transformed values to [a, b] (default false). Test data outside the range seen by
   * `fit` then land on the bounds instead of outside, which embeddings with a fixed input
   * range need.
   */
  clip?: boolean;
}

/** The JSON form of a fitted {@link MinMaxScaler}. */
export interface MinMaxScalerJSON {
  type: 'min-max';
  range: [number, number];
  clip: boolean;
  min: number[];
  max: number[];
}

/**
 * Per-feature min-max scaling x' = a + (x − min_j)·(b − a)/(max_j − min_j), with min_j and
 * max_j learnt by `fit`. A constant feature (max_j = min_j) maps to a.
 */
export class MinMaxScaler {
  readonly range: readonly [number, number];
  readonly clip: boolean;
  private fitted: { min: Float64Array; max: Float64Array } | undefined;

  constructor(options: MinMaxScalerOptions = {}) {
    const range = options.range ?? [0, 1];
    if (!Array.isArray(range) || range.length !== 2 || !Number.isFinite(range[0]) || !Number.isFinite(range[1]) || !(range[0] < range[1])) {
      throw new RangeError(`MinMaxScaler: range must be [a, b] with finite a < b, got ${JSON.stringify(range)}`);
    }
    this.range = Object.freeze([range[0], range[1]] as const);
    this.clip = options.clip ?? false;
  }

  /** Per-feature minima (after fit). */
  get min(): Float64Array {
    return this.state('min').min;
  }

  /** Per-feature maxima (after fit). */
  get max(): Float64Array {
    return this.state('max').max;
  }

  /** True after `fit`. */
  get isFitted(): boolean {
    return this.fitted !== undefined;
  }

  private state(what: string): { min: Float64Array; max: Float64Array } {
    if (this.fitted === undefined) throw new Error(`MinMaxScaler: call fit() before ${what}`);
    return this.fitted;
  }

  /** Learns the per-feature minima and maxima of X [samples, features] (at least one sample). */
  fit(x: Tensor): this {
    const { data, rows, cols } = asSampleMatrix(x, 'MinMaxScaler.fit');
    if (rows === 0) throw new RangeError('MinMaxScaler.fit: needs at least one sample');
    const min = new Float64Array(cols).fill(Infinity);
    const max = new Float64Array(cols).fill(-Infinity);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = data[i * cols + j]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
    this.fitted = { min, max };
    return this;
  }

  /** Scales X [samples, features] (same feature count as in fit); keeps X's dtype. */
  transform(x: Tensor): Tensor {
    const { min, max } = this.state('transform()');
    const { data, rows, cols } = asSampleMatrix(x, 'MinMaxScaler.transform');
    this.checkFeatures(cols, 'transform');
    const [a, b] = this.range;
    const out = allocate(x.dtype, rows * cols);
    for (let j = 0; j < cols; j++) {
      const span = max[j]! - min[j]!;
      const scale = span > 0 ? (b - a) / span : 0;
      for (let i = 0; i < rows; i++) {
        let v = a + (data[i * cols + j]! - min[j]!) * scale;
        if (this.clip) v = v < a ? a : v > b ? b : v;
        out[i * cols + j] = v;
      }
    }
    return new Tensor(out, [rows, cols]);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Maps scaled values back: x = min_j + (x' − a)·(max_j − min_j)/(b − a). */
  inverseTransform(x: Tensor): Tensor {
    const { min, max } = this.state('inverseTransform()');
    const { data, rows, cols } = asSampleMatrix(x, 'MinMaxScaler.inverseTransform');
    this.checkFeatures(cols, 'inverseTransform');
    const [a, b] = this.range;
    const out = allocate(x.dtype, rows * cols);
    for (let j = 0; j < cols; j++) {
      const scale = (max[j]! - min[j]!) / (b - a);
      for (let i = 0; i < rows; i++) out[i * cols + j] = min[j]! + (data[i * cols + j]! - a) * scale;
    }
    return new Tensor(out, [rows, cols]);
  }

  private checkFeatures(cols: number, method: string): void {
    const n = this.state(method).min.length;
    if (cols !== n) throw new RangeError(`MinMaxScaler.${method}: fitted on ${n} features, got ${cols}`);
  }

  /** The fitted scaler as JSON (saved in model files); `scalerFromJSON` reads it. */
  toJSON(): MinMaxScalerJSON {
    const { min, max } = this.state('toJSON()');
    return { type: 'min-max', range: [this.range[0], this.range[1]], clip: this.clip, min: Array.from(min), max: Array.from(max) };
  }

  /** Rebuilds a fitted scaler from {@link MinMaxScaler.toJSON} output. */
  static fromJSON(json: MinMaxScalerJSON): MinMaxScaler {
    if (json?.type !== 'min-max') throw new TypeError(`MinMaxScaler.fromJSON: expected type 'min-max', got '${String(json?.type)}'`);
    if (!Array.isArray(json.min) || !Array.isArray(json.max) || json.min.length !== json.max.length) {
      throw new TypeError('MinMaxScaler.fromJSON: min and max must be number arrays of the same length');
    }
    json.min.forEach((v, j) => {
      const hi = json.max[j]!;
      if (!Number.isFinite(v) || !Number.isFinite(hi) || v > hi) throw new RangeError(`MinMaxScaler.fromJSON: feature ${j} has min ${v} and max ${hi}`);
    });
    const scaler = new MinMaxScaler({ range: json.range, clip: json.clip });
    scaler.fitted = { min: Float64Array.from(json.min), max: Float64Array.from(json.max) };
    return scaler;
  }
}
