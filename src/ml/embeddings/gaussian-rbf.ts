import type { FloatArray } from '../../tensor/dtype.js';
import { REAL_LINE, ScalarEmbedding, type EmbeddingSpec, type InputRange } from './embedding.js';

/** Options of {@link gaussianRbf}. */
export interface GaussianRbfOptions {
  /** The centres c₁ … c_d (at least one, finite); d is the output dimension. */
  centers: readonly number[];
  /** Width γ = 1/(2σ²) > 0. */
  gamma: number;
  /** Divide the vector by its norm, as tn4ml does (default true). */
  normalize?: boolean;
}

/**
 * Gaussian radial basis functions, d = number of centres:
 *
 *   φ_i(x) = exp(−γ (x − c_i)²),   i = 1 … d,
 *
 * divided by ‖φ(x)‖ unless `normalize: false`. (tn4ml's GaussianRBFEmbedding computes
 * exp(−γ(x − c)) without the square, which is not a radial basis function; this one has it.)
 * When every component underflows to 0 (x very far from all centres) the normalised
 * vector is computed from the shifted exponents, so it stays finite and of unit norm.
 * Expected input range: all reals (choose centres that cover the data).
 */
export class GaussianRbfEmbedding extends ScalarEmbedding {
  readonly kind = 'gaussian-rbf';
  readonly dim: number;
  readonly range: InputRange = REAL_LINE;
  readonly centers: readonly number[];
  readonly gamma: number;
  readonly normalize: boolean;

  constructor(options: GaussianRbfOptions) {
    super();
    const who = 'gaussian-rbf embedding';
    if (!Array.isArray(options.centers) || options.centers.length === 0) {
      throw new RangeError(`${who}: centers must be a non-empty array of numbers`);
    }
    options.centers.forEach((c, i) => {
      if (typeof c !== 'number' || !Number.isFinite(c)) throw new RangeError(`${who}: centers[${i}] must be a finite number, got ${String(c)}`);
    });
    if (typeof options.gamma !== 'number' || !(options.gamma > 0) || !Number.isFinite(options.gamma)) {
      throw new RangeError(`${who}: gamma must be a finite number > 0, got ${String(options.gamma)}`);
    }
    this.centers = Object.freeze([...options.centers]);
    this.gamma = options.gamma;
    this.normalize = options.normalize ?? true;
    this.dim = this.centers.length;
  }

  write(x: number, out: FloatArray, offset: number): void {
    const d = this.dim;
    if (!this.normalize) {
      for (let i = 0; i < d; i++) {
        const t = x - this.centers[i]!;
        out[offset + i] = Math.exp(-this.gamma * t * t);
      }
      return;
    }
    // Shift the exponents by their maximum before exponentiating (a softmax-style guard),
    // which leaves the normalised vector unchanged.
    let top = -Infinity;
    for (let i = 0; i < d; i++) {
      const t = x - this.centers[i]!;
      top = Math.max(top, -this.gamma * t * t);
    }
    let s = 0;
    for (let i = 0; i < d; i++) {
      const t = x - this.centers[i]!;
      const v = Math.exp(-this.gamma * t * t - top);
      out[offset + i] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < d; i++) out[offset + i] = out[offset + i]! * inv;
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, centers: [...this.centers], gamma: this.gamma, normalize: this.normalize };
  }
}

/** Gaussian RBF embedding (see {@link GaussianRbfEmbedding}). */
export function gaussianRbf(options: GaussianRbfOptions): GaussianRbfEmbedding {
  return new GaussianRbfEmbedding(options);
}

/** `count` evenly spaced centres over [min, max] (count ≥ 1; one centre sits at the midpoint). */
export function evenlySpacedCenters(count: number, min = 0, max = 1): number[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`evenlySpacedCenters: count must be an integer ≥ 1, got ${count}`);
  if (count === 1) return [(min + max) / 2];
  return Array.from({ length: count }, (_, i) => min + ((max - min) * i) / (count - 1));
}
