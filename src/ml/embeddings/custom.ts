import type { FloatArray } from '../../tensor/dtype.js';
import { assertInteger, REAL_LINE, ScalarEmbedding, type EmbeddingSpec, type InputRange } from './embedding.js';

/** Options of {@link customEmbedding}. */
export interface CustomEmbeddingOptions {
  /** Output dimension d ≥ 1. */
  dim: number;
  /**
   * φ(x) for a value of feature `feature`: returns d finite numbers (an array, typed array
   * or any ArrayLike). Called once per (sample, feature).
   */
  map: (x: number, feature: number) => ArrayLike<number>;
  /** Expected input range (default: all reals). */
  range?: InputRange;
  /** A name for messages (default 'custom'). */
  name?: string;
}

/**
 * A feature map given by a user function. Its output is checked: a wrong length or a
 * non-finite entry throws a RangeError naming the feature and value. It cannot be saved
 * as JSON (`toJSON` throws): rebuild it in code when loading a model.
 */
export class CustomEmbedding extends ScalarEmbedding {
  readonly kind: string;
  readonly dim: number;
  readonly range: InputRange;
  private readonly map: (x: number, feature: number) => ArrayLike<number>;

  constructor(options: CustomEmbeddingOptions) {
    super();
    this.kind = options.name ?? 'custom';
    this.dim = assertInteger(options.dim, 'dim', 1, `${this.kind} embedding`);
    if (typeof options.map !== 'function') throw new TypeError(`${this.kind} embedding: map must be a function (x, feature) => number[]`);
    this.map = options.map;
    const range = options.range ?? REAL_LINE;
    if (!(range.min <= range.max)) throw new RangeError(`${this.kind} embedding: range.min must be ≤ range.max, got [${range.min}, ${range.max}]`);
    this.range = Object.freeze({ min: range.min, max: range.max });
  }

  write(x: number, out: FloatArray, offset: number, feature: number): void {
    const v = this.map(x, feature);
    if (v === null || typeof v !== 'object' || v.length !== this.dim) {
      throw new RangeError(`${this.kind} embedding: map(${x}) for feature ${feature} returned ${v?.length ?? 'no array'} values, expected dim = ${this.dim}`);
    }
    for (let i = 0; i < this.dim; i++) {
      const e = v[i]!;
      if (typeof e !== 'number' || !Number.isFinite(e)) {
        throw new RangeError(`${this.kind} embedding: map(${x}) for feature ${feature} has a non-finite entry ${String(e)} at ${i}`);
      }
      out[offset + i] = e;
    }
  }

  toJSON(): EmbeddingSpec {
    throw new Error(`${this.kind} embedding: an embedding built from a user function cannot be saved as JSON; rebuild it in code`);
  }
}

/** A user-defined feature map (see {@link CustomEmbedding}). */
export function customEmbedding(options: CustomEmbeddingOptions): CustomEmbedding {
  return new CustomEmbedding(options);
}
