import { allocate } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { asSampleMatrix } from './matrix.js';

/** The JSON form of a fitted {@link StandardScaler}. */
export interface StandardScalerJSON {
  type: 'standard';
  mean: number[];
  std: number[];
}

/**
 * Per-feature standardisation x' = (x − μ_j)/σ_j with the mean μ_j and the population
 * standard deviation σ_j (divisor n, as scikit-learn) learnt by `fit`. A constant feature
 * (σ_j = 0) is only centred (σ_j is taken as 1).
 */
export class StandardScaler {
  private fitted: { mean: Float64Array; std: Float64Array } | undefined;

  /** Per-feature means learnt by `fit`. */
  get mean(): Float64Array {
    return this.state('mean').mean;
  }

  /** Per-feature standard deviations learnt by `fit`. */
  get std(): Float64Array {
    return this.state('std').std;
  }

  /** True after `fit`. */
  get isFitted(): boolean {
    return this.fitted !== undefined;
  }

  private state(what: string): { mean: Float64Array; std: Float64Array } {
    if (this.fitted === undefined) throw new Error(`StandardScaler: call fit() before ${what}`);
    return this.fitted;
  }

  /** Learns per-feature means and standard deviations (two passes, for accuracy). */
  fit(x: Tensor): this {
    const { data, rows, cols } = asSampleMatrix(x, 'StandardScaler.fit');
    if (rows === 0) throw new RangeError('StandardScaler.fit: needs at least one sample');
    const mean = new Float64Array(cols);
    const std = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j]!;
    for (let j = 0; j < cols; j++) mean[j] = mean[j]! / rows;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const d = data[i * cols + j]! - mean[j]!;
        std[j] += d * d;
      }
    }
    for (let j = 0; j < cols; j++) {
      const s = Math.sqrt(std[j]! / rows);
      std[j] = s > 0 ? s : 1;
    }
    this.fitted = { mean, std };
    return this;
  }

  /** (x − mean) / std per feature, with the fitted statistics. */
  transform(x: Tensor): Tensor {
    const { mean, std } = this.state('transform()');
    const { data, rows, cols } = asSampleMatrix(x, 'StandardScaler.transform');
    if (cols !== mean.length) throw new RangeError(`StandardScaler.transform: fitted on ${mean.length} features, got ${cols}`);
    const out = allocate(x.dtype, rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = (data[i * cols + j]! - mean[j]!) / std[j]!;
    return new Tensor(out, [rows, cols]);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** x = μ_j + σ_j·x'. */
  inverseTransform(x: Tensor): Tensor {
    const { mean, std } = this.state('inverseTransform()');
    const { data, rows, cols } = asSampleMatrix(x, 'StandardScaler.inverseTransform');
    if (cols !== mean.length) throw new RangeError(`StandardScaler.inverseTransform: fitted on ${mean.length} features, got ${cols}`);
    const out = allocate(x.dtype, rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = mean[j]! + std[j]! * data[i * cols + j]!;
    return new Tensor(out, [rows, cols]);
  }

  /** The fitted scaler as JSON (saved in model files). */
  toJSON(): StandardScalerJSON {
    const { mean, std } = this.state('toJSON()');
    return { type: 'standard', mean: Array.from(mean), std: Array.from(std) };
  }

  /** Rebuilds a scaler from its JSON. */
  static fromJSON(json: StandardScalerJSON): StandardScaler {
    if (json?.type !== 'standard') throw new TypeError(`StandardScaler.fromJSON: expected type 'standard', got '${String(json?.type)}'`);
    if (!Array.isArray(json.mean) || !Array.isArray(json.std) || json.mean.length !== json.std.length) {
      throw new TypeError('StandardScaler.fromJSON: mean and std must be number arrays of the same length');
    }
    json.std.forEach((s, j) => {
      if (!Number.isFinite(json.mean[j]) || !Number.isFinite(s) || !(s > 0)) throw new RangeError(`StandardScaler.fromJSON: feature ${j} has mean ${json.mean[j]} and std ${s}`);
    });
    const scaler = new StandardScaler();
    scaler.fitted = { mean: Float64Array.from(json.mean), std: Float64Array.from(json.std) };
    return scaler;
  }
}

