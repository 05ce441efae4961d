import type { FloatArray } from '../../tensor/dtype.js';
import { assertInteger, ScalarEmbedding, UNIT_INTERVAL, type EmbeddingSpec, type InputRange } from './embedding.js';

/** Options of {@link fourier}. */
export interface FourierOptions {
  /** Output dimension p ≥ 2 (default 2). */
  p?: number;
}

/**
 * tn4ml's Fourier feature map of dimension p: with t_j = (p − 1)·x − j,
 *
 *   φ_j(x) = (1/p) · | Σ_{m=0}^{p−1} exp(2πi·m·t_j / p) | = | sin(π t_j) / (p · sin(π t_j / p)) |,   j = 0 … p − 1
 *
 * (a Dirichlet kernel: φ_j = 1 and the other components 0 at the grid point x = j/(p − 1),
 * so the map interpolates between p one-hot vectors). The vector is not normalised.
 * Expected input range: [0, 1].
 */
export class FourierEmbedding extends ScalarEmbedding {
  readonly kind = 'fourier';
  readonly dim: number;
  readonly range: InputRange = UNIT_INTERVAL;
  readonly p: number;

  constructor(options: FourierOptions = {}) {
    super();
    this.p = assertInteger(options.p ?? 2, 'p', 2, 'fourier embedding');
    this.dim = this.p;
  }

  write(x: number, out: FloatArray, offset: number): void {
    const p = this.p;
    for (let j = 0; j < p; j++) {
      const t = (p - 1) * x - j;
      const half = Math.sin((Math.PI * t) / p);
      // The denominator vanishes where t is a multiple of p (only t = 0 for x in [0, 1]);
      // the kernel's limit there has magnitude 1 and the error of using it is O(t²).
      out[offset + j] = Math.abs(half) < 1e-12 ? 1 : Math.abs(Math.sin(Math.PI * t) / (p * half));
    }
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, p: this.p };
  }
}

/** The Fourier embedding of dimension p (see {@link FourierEmbedding}). */
export function fourier(options: FourierOptions = {}): FourierEmbedding {
  return new FourierEmbedding(options);
}
