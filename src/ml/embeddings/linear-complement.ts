import type { FloatArray } from '../../tensor/dtype.js';
import { ScalarEmbedding, UNIT_INTERVAL, type EmbeddingSpec, type InputRange } from './embedding.js';

/** Options of {@link linearComplement}. */
export interface LinearComplementOptions {
  /** Prepend a constant 1: [1, x, 1 − x] (d = 3) instead of [x, 1 − x] (d = 2). Default false. */
  bias?: boolean;
  /** Divide by the Euclidean norm, as tn4ml does (default true). */
  normalize?: boolean;
}

/**
 * The linear-complement map φ(x) = [x, 1 − x] (d = 2), or [1, x, 1 − x] with `bias`
 * (d = 3), divided by its norm unless `normalize: false` (tn4ml's
 * LinearComplementEmbedding normalises). The vector is never zero for real x.
 * Expected input range: [0, 1].
 */
export class LinearComplementEmbedding extends ScalarEmbedding {
  readonly kind = 'linear-complement';
  readonly dim: number;
  readonly range: InputRange = UNIT_INTERVAL;
  readonly bias: boolean;
  readonly normalize: boolean;

  constructor(options: LinearComplementOptions = {}) {
    super();
    this.bias = options.bias ?? false;
    this.normalize = options.normalize ?? true;
    this.dim = this.bias ? 3 : 2;
  }

  write(x: number, out: FloatArray, offset: number): void {
    const a = x;
    const b = 1 - x;
    const c = this.bias ? 1 : 0;
    const scale = this.normalize ? 1 / Math.sqrt(a * a + b * b + c * c) : 1;
    let p = offset;
    if (this.bias) out[p++] = scale;
    out[p] = scale * a;
    out[p + 1] = scale * b;
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, bias: this.bias, normalize: this.normalize };
  }
}

/** The linear-complement embedding (see {@link LinearComplementEmbedding}). */
export function linearComplement(options: LinearComplementOptions = {}): LinearComplementEmbedding {
  return new LinearComplementEmbedding(options);
}
