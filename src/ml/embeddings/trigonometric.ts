import type { FloatArray } from '../../tensor/dtype.js';
import { assertInteger, ScalarEmbedding, UNIT_INTERVAL, type EmbeddingSpec, type InputRange } from './embedding.js';

/** Options of {@link trigonometric}. */
export interface TrigonometricOptions {
  /** Number of frequencies k ≥ 1 (default 1); the output dimension is 2k. */
  k?: number;
}

/**
 * tn4ml's trigonometric feature map of order k, d = 2k:
 *
 *   φ(x) = (1/√k) · [cos(πx/2¹), …, cos(πx/2ᵏ), sin(πx/2¹), …, sin(πx/2ᵏ)]
 *
 * (all cosines first, then all sines, as in tn4ml). ‖φ(x)‖ = 1 for every x. For k = 1 this
 * is the map [cos(πx/2), sin(πx/2)] of Stoudenmire & Schwab (2016).
 * Expected input range: [0, 1] (min-max scaled features).
 */
export class TrigonometricEmbedding extends ScalarEmbedding {
  readonly kind = 'trigonometric';
  readonly dim: number;
  readonly range: InputRange = UNIT_INTERVAL;
  readonly k: number;
  private readonly scale: number;

  constructor(options: TrigonometricOptions = {}) {
    super();
    this.k = assertInteger(options.k ?? 1, 'k', 1, 'trigonometric embedding');
    this.dim = 2 * this.k;
    this.scale = 1 / Math.sqrt(this.k);
  }

  write(x: number, out: FloatArray, offset: number): void {
    const k = this.k;
    let angle = (Math.PI * x) / 2;
    for (let i = 0; i < k; i++) {
      out[offset + i] = this.scale * Math.cos(angle);
      out[offset + k + i] = this.scale * Math.sin(angle);
      angle /= 2;
    }
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, k: this.k };
  }
}

/** The trigonometric embedding of order k (see {@link TrigonometricEmbedding}). */
export function trigonometric(options: TrigonometricOptions = {}): TrigonometricEmbedding {
  return new TrigonometricEmbedding(options);
}
