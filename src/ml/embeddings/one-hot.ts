import type { FloatArray } from '../../tensor/dtype.js';
import { ScalarEmbedding, type EmbeddingSpec, type InputRange } from './embedding.js';

/** Options of {@link oneHot}: the categories, listed or counted. */
export type OneHotOptions =
  /** Values 0, 1, …, numCategories − 1. */
  | { numCategories: number }
  /** An explicit list of distinct category values (finite numbers). */
  | { categories: readonly number[] };

/**
 * One-hot (categorical / basis) encoding of a discrete feature: category i ↦ the unit
 * vector e_i, d = number of categories. A value that is not one of the categories always
 * throws a RangeError naming the sample, feature and value (whatever the outOfRange policy:
 * a one-hot vector has no meaning for it).
 * Expected input: one of the categories (by default the integers 0 … d − 1).
 */
export class OneHotEmbedding extends ScalarEmbedding {
  readonly kind = 'one-hot';
  readonly dim: number;
  readonly range: InputRange;
  readonly categories: readonly number[];
  private readonly position = new Map<number, number>();
  private readonly contiguous: boolean;

  constructor(options: OneHotOptions) {
    super();
    const who = 'one-hot embedding';
    let categories: number[];
    if ('numCategories' in options) {
      const n = options.numCategories;
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`${who}: numCategories must be an integer ≥ 1, got ${String(n)}`);
      categories = Array.from({ length: n }, (_, i) => i);
    } else {
      if (!Array.isArray(options.categories) || options.categories.length === 0) {
        throw new RangeError(`${who}: categories must be a non-empty array of numbers`);
      }
      categories = [...options.categories];
    }
    categories.forEach((c, i) => {
      if (typeof c !== 'number' || !Number.isFinite(c)) throw new RangeError(`${who}: category ${i} must be a finite number, got ${String(c)}`);
      if (this.position.has(c)) throw new RangeError(`${who}: category ${c} is listed twice`);
      this.position.set(c, i);
    });
    this.categories = Object.freeze(categories);
    this.dim = categories.length;
    this.contiguous = categories.every((c, i) => c === i);
    this.range = Object.freeze({ min: Math.min(...categories), max: Math.max(...categories) });
  }

  /** The position of a category value, or −1. */
  indexOf(x: number): number {
    if (this.contiguous) return Number.isInteger(x) && x >= 0 && x < this.dim ? x : -1;
    return this.position.get(x) ?? -1;
  }

  write(x: number, out: FloatArray, offset: number, feature: number): void {
    const i = this.indexOf(x);
    if (i < 0) {
      const shown = this.contiguous ? `0 … ${this.dim - 1}` : `[${this.categories.join(', ')}]`;
      throw new RangeError(`one-hot embedding: feature ${feature} has value ${x}, which is not a category (${shown})`);
    }
    for (let k = 0; k < this.dim; k++) out[offset + k] = 0;
    out[offset + i] = 1;
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, categories: [...this.categories] };
  }
}

/** One-hot embedding of a categorical feature (see {@link OneHotEmbedding}). */
export function oneHot(options: OneHotOptions): OneHotEmbedding {
  return new OneHotEmbedding(options);
}
