import { allocate, type FloatArray } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  asFeatureBatch,
  assertInteger,
  normalizeRows,
  outputShape,
  RangeGuard,
  REAL_LINE,
  ScalarEmbedding,
  type EmbedOptions,
  type Embedding,
  type EmbeddingSpec,
  type InputRange,
} from './embedding.js';

/** Options of {@link polynomial}. */
export interface PolynomialOptions {
  /** Highest degree D ≥ 1. */
  degree: number;
  /** Include the constant monomial 1 (default true; tn4ml's default is false). */
  bias?: boolean;
  /**
   * Cross terms: group `groupSize` consecutive features into one site and embed the group
   * by all its monomials up to degree D (as tn4ml's PolynomialEmbedding does for a vector).
   * Default false: every feature is its own site.
   */
  crossTerms?: boolean;
  /** Features per site with `crossTerms` (default 2); the feature count must be a multiple. */
  groupSize?: number;
}

/**
 * Monomial feature map of one feature: φ(x) = [1, x, x², …, x^D] (d = D + 1), or
 * [x, …, x^D] (d = D) without `bias`. Expected input range: all reals (scale the
 * features to about [−1, 1] to keep high powers tame).
 */
export class PolynomialEmbedding extends ScalarEmbedding {
  readonly kind = 'polynomial';
  readonly dim: number;
  readonly range: InputRange = REAL_LINE;
  readonly degree: number;
  readonly bias: boolean;

  constructor(options: PolynomialOptions) {
    super();
    this.degree = assertInteger(options.degree, 'degree', 1, 'polynomial embedding');
    this.bias = options.bias ?? true;
    this.dim = this.bias ? this.degree + 1 : this.degree;
  }

  write(x: number, out: FloatArray, offset: number): void {
    let p = offset;
    let power = 1;
    if (this.bias) out[p++] = 1;
    for (let n = 1; n <= this.degree; n++) {
      power *= x;
      out[p++] = power;
    }
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, degree: this.degree, bias: this.bias, crossTerms: false };
  }
}

/**
 * The monomials of degree 1 … D (and 0 with `bias`) of a group of g features, in the
 * order of degree, then index tuples i₁ ≤ i₂ ≤ … ≤ i_n in lexicographic order (Python's
 * `itertools.combinations_with_replacement`, as tn4ml). Returned as index tuples.
 */
export function monomialIndexTuples(groupSize: number, degree: number, bias: boolean): number[][] {
  const tuples: number[][] = bias ? [[]] : [];
  const extend = (prefix: number[], start: number, remaining: number): void => {
    if (remaining === 0) {
      tuples.push(prefix.slice());
      return;
    }
    for (let i = start; i < groupSize; i++) {
      prefix.push(i);
      extend(prefix, i, remaining - 1);
      prefix.pop();
    }
  };
  for (let n = 1; n <= degree; n++) extend([], 0, n);
  return tuples;
}

/**
 * Polynomial map with cross terms: consecutive groups of g features (x_{sg}, …, x_{sg+g−1})
 * become one site whose vector holds every monomial of those features of degree 1 … D
 * (plus the constant with `bias`): d = Σ_{n} C(g + n − 1, n). N features give N/g sites.
 * Expected input range: all reals.
 */
export class PolynomialCrossEmbedding implements Embedding {
  readonly kind = 'polynomial';
  readonly degree: number;
  readonly bias: boolean;
  readonly groupSize: number;
  /** Output dimension per site. */
  readonly dim: number;
  readonly range: InputRange = REAL_LINE;
  private readonly tuples: number[][];
  private readonly guard = new RangeGuard('polynomial embedding');

  constructor(options: PolynomialOptions) {
    this.degree = assertInteger(options.degree, 'degree', 1, 'polynomial embedding');
    this.bias = options.bias ?? true;
    this.groupSize = assertInteger(options.groupSize ?? 2, 'groupSize', 1, 'polynomial embedding');
    this.tuples = monomialIndexTuples(this.groupSize, this.degree, this.bias);
    this.dim = this.tuples.length;
  }

  siteDims(nFeatures: number): number[] {
    return new Array<number>(this.sites(nFeatures)).fill(this.dim);
  }

  private sites(nFeatures: number): number {
    if (nFeatures % this.groupSize !== 0) {
      throw new RangeError(`polynomial embedding: ${nFeatures} features cannot be split into groups of groupSize ${this.groupSize}`);
    }
    return nFeatures / this.groupSize;
  }

  embed(x: Tensor, options: EmbedOptions = {}): Tensor {
    const input = asFeatureBatch(x, 'polynomial embedding');
    const { data, batch, features } = input;
    const sites = this.sites(features);
    const d = this.dim;
    const g = this.groupSize;
    const policy = options.outOfRange ?? 'error';
    const out = allocate(options.dtype ?? x.dtype, batch * sites * d);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < features; j++) this.guard.check(data[b * features + j]!, this.range, b, j, policy);
      for (let s = 0; s < sites; s++) {
        const base = b * features + s * g;
        const o = (b * sites + s) * d;
        for (let t = 0; t < d; t++) {
          const tuple = this.tuples[t]!;
          let v = 1;
          for (let q = 0; q < tuple.length; q++) v *= data[base + tuple[q]!]!;
          out[o + t] = v;
        }
      }
    }
    if (options.normalize === true) normalizeRows(out, d);
    return new Tensor(out, outputShape(input, sites, d));
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, degree: this.degree, bias: this.bias, crossTerms: true, groupSize: this.groupSize };
  }
}

/**
 * A polynomial embedding: per feature ({@link PolynomialEmbedding}) or, with
 * `crossTerms: true`, per group of features ({@link PolynomialCrossEmbedding}).
 */
export function polynomial(options: PolynomialOptions & { crossTerms: true }): PolynomialCrossEmbedding;
export function polynomial(options: PolynomialOptions & { crossTerms?: false }): PolynomialEmbedding;
export function polynomial(options: PolynomialOptions): PolynomialEmbedding | PolynomialCrossEmbedding;
export function polynomial(options: PolynomialOptions): PolynomialEmbedding | PolynomialCrossEmbedding {
  return options.crossTerms === true ? new PolynomialCrossEmbedding(options) : new PolynomialEmbedding(options);
}
