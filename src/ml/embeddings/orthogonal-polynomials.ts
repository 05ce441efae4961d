import type { FloatArray } from '../../tensor/dtype.js';
import { assertInteger, REAL_LINE, ScalarEmbedding, type EmbeddingSpec, type InputRange } from './embedding.js';

/**
 * `'orthonormal'`: the functions are orthonormal in L² of their domain (the default);
 * `'standard'`: the classical normalisation, as tn4ml computes them (scipy's eval_*).
 */
export type PolynomialNormalization = 'orthonormal' | 'standard';

/** Options of the orthogonal-polynomial embeddings. */
export interface OrthogonalPolynomialOptions {
  /** Highest degree D ≥ 0 (default 2); the output dimension is D + 1. */
  degree?: number;
  /** Default `'orthonormal'`. */
  normalization?: PolynomialNormalization;
}

function readOptions(options: OrthogonalPolynomialOptions, who: string): { degree: number; normalization: PolynomialNormalization } {
  const degree = assertInteger(options.degree ?? 2, 'degree', 0, who);
  const normalization = options.normalization ?? 'orthonormal';
  if (normalization !== 'orthonormal' && normalization !== 'standard') {
    throw new RangeError(`${who}: normalization must be 'orthonormal' or 'standard', got '${String(normalization)}'`);
  }
  return { degree, normalization };
}

/**
 * Legendre feature map, d = D + 1: φ_n(x) = P_n(x) (`'standard'`, P_n(1) = 1) or
 * √((2n + 1)/2) · P_n(x) (`'orthonormal'` on [−1, 1]), by the three-term recurrence
 * (n + 1) P_{n+1} = (2n + 1) x P_n − n P_{n−1}.
 * Expected input range: [−1, 1].
 */
export class LegendreEmbedding extends ScalarEmbedding {
  readonly kind = 'legendre';
  readonly dim: number;
  readonly range: InputRange = Object.freeze({ min: -1, max: 1 });
  readonly degree: number;
  readonly normalization: PolynomialNormalization;

  constructor(options: OrthogonalPolynomialOptions = {}) {
    super();
    ({ degree: this.degree, normalization: this.normalization } = readOptions(options, 'legendre embedding'));
    this.dim = this.degree + 1;
  }

  write(x: number, out: FloatArray, offset: number): void {
    const orthonormal = this.normalization === 'orthonormal';
    let prev = 0;
    let cur = 1;
    for (let n = 0; n <= this.degree; n++) {
      out[offset + n] = orthonormal ? Math.sqrt((2 * n + 1) / 2) * cur : cur;
      const next = ((2 * n + 1) * x * cur - n * prev) / (n + 1);
      prev = cur;
      cur = next;
    }
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, degree: this.degree, normalization: this.normalization };
  }
}

/**
 * Laguerre functions, d = D + 1: φ_n(x) = e^{−x/2} · L_n(x), with
 * (n + 1) L_{n+1} = (2n + 1 − x) L_n − n L_{n−1}. These are orthonormal on [0, ∞) as they
 * stand, so both normalisations give the same values (L_n(0) = 1).
 * Expected input range: [0, ∞).
 */
export class LaguerreEmbedding extends ScalarEmbedding {
  readonly kind = 'laguerre';
  readonly dim: number;
  readonly range: InputRange = Object.freeze({ min: 0, max: Infinity });
  readonly degree: number;
  readonly normalization: PolynomialNormalization;

  constructor(options: OrthogonalPolynomialOptions = {}) {
    super();
    ({ degree: this.degree, normalization: this.normalization } = readOptions(options, 'laguerre embedding'));
    this.dim = this.degree + 1;
  }

  write(x: number, out: FloatArray, offset: number): void {
    const weight = Math.exp(-x / 2);
    let prev = 0;
    let cur = 1;
    for (let n = 0; n <= this.degree; n++) {
      out[offset + n] = weight * cur;
      const next = ((2 * n + 1 - x) * cur - n * prev) / (n + 1);
      prev = cur;
      cur = next;
    }
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, degree: this.degree, normalization: this.normalization };
  }
}

/**
 * Hermite functions, d = D + 1. `'orthonormal'` (default): ψ_n(x) = (2ⁿ n! √π)^{−1/2} H_n(x) e^{−x²/2},
 * orthonormal on ℝ, by the stable recurrence ψ₀ = π^{−1/4} e^{−x²/2},
 * ψ_{n+1} = √(2/(n+1)) x ψ_n − √(n/(n+1)) ψ_{n−1}. `'standard'` (tn4ml): H_n(x) e^{−x²/2}
 * with the physicists' H_{n+1} = 2x H_n − 2n H_{n−1}.
 * Expected input range: all reals (the functions decay like e^{−x²/2}: standardised features fit).
 */
export class HermiteEmbedding extends ScalarEmbedding {
  readonly kind = 'hermite';
  readonly dim: number;
  readonly range: InputRange = REAL_LINE;
  readonly degree: number;
  readonly normalization: PolynomialNormalization;

  constructor(options: OrthogonalPolynomialOptions = {}) {
    super();
    ({ degree: this.degree, normalization: this.normalization } = readOptions(options, 'hermite embedding'));
    this.dim = this.degree + 1;
  }

  write(x: number, out: FloatArray, offset: number): void {
    const weight = Math.exp(-0.5 * x * x);
    let prev = 0;
    if (this.normalization === 'orthonormal') {
      let cur = Math.PI ** -0.25 * weight;
      for (let n = 0; n <= this.degree; n++) {
        out[offset + n] = cur;
        const next = Math.sqrt(2 / (n + 1)) * x * cur - Math.sqrt(n / (n + 1)) * prev;
        prev = cur;
        cur = next;
      }
    } else {
      let cur = 1;
      for (let n = 0; n <= this.degree; n++) {
        out[offset + n] = weight * cur;
        const next = 2 * x * cur - 2 * n * prev;
        prev = cur;
        cur = next;
      }
    }
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, degree: this.degree, normalization: this.normalization };
  }
}

/** Legendre embedding (see {@link LegendreEmbedding}). */
export function legendre(options: OrthogonalPolynomialOptions = {}): LegendreEmbedding {
  return new LegendreEmbedding(options);
}

/** Laguerre·e^{−x/2} embedding (see {@link LaguerreEmbedding}). */
export function laguerre(options: OrthogonalPolynomialOptions = {}): LaguerreEmbedding {
  return new LaguerreEmbedding(options);
}

/** Hermite·e^{−x²/2} embedding (see {@link HermiteEmbedding}). */
export function hermite(options: OrthogonalPolynomialOptions = {}): HermiteEmbedding {
  return new HermiteEmbedding(options);
}
