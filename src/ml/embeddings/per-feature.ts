import { allocate } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { asFeatureBatch, embedFeatures, ScalarEmbedding, type EmbedOptions, type Embedding, type EmbeddingSpec } from './embedding.js';

/**
 * A different scalar embedding (and physical dimension) per feature: feature j goes
 * through `maps[j]`. `embed` returns [batch, N, d_max] with each site vector zero-padded to
 * d_max = max_j d_j (zero padding keeps the product state's amplitudes: the extra basis
 * states simply have amplitude 0); `siteDims` gives the true d_j, and {@link embedSites}
 * returns one unpadded [batch, d_j] tensor per site.
 */
export class PerFeatureEmbedding implements Embedding {
  readonly kind = 'per-feature';
  readonly maps: readonly ScalarEmbedding[];
  /** d_j of every feature. */
  readonly dims: readonly number[];
  /** max_j d_j, the last axis of {@link embed}'s output. */
  readonly maxDim: number;

  constructor(maps: readonly ScalarEmbedding[]) {
    if (!Array.isArray(maps) || maps.length === 0) throw new RangeError('per-feature embedding: needs a non-empty list of embeddings, one per feature');
    maps.forEach((m, j) => {
      if (!(m instanceof ScalarEmbedding)) {
        throw new TypeError(`per-feature embedding: entry ${j} is not a per-value embedding (grouped and patch embeddings cannot be listed)`);
      }
    });
    this.maps = Object.freeze([...maps]);
    this.dims = Object.freeze(maps.map((m) => m.dim));
    this.maxDim = Math.max(...this.dims);
  }

  siteDims(nFeatures: number): number[] {
    this.assertFeatures(nFeatures);
    return [...this.dims];
  }

  private assertFeatures(n: number): void {
    if (n !== this.maps.length) {
      throw new RangeError(`per-feature embedding: built for ${this.maps.length} features, got samples with ${n}`);
    }
  }

  embed(x: Tensor, options: EmbedOptions = {}): Tensor {
    const input = asFeatureBatch(x, 'per-feature embedding');
    this.assertFeatures(input.features);
    return embedFeatures(input, this.maps, this.maxDim, options.dtype ?? x.dtype, options);
  }

  /** The site vectors without padding: entry j is [batch, d_j] (or [d_j] for a 1-D sample). */
  embedSites(x: Tensor, options: EmbedOptions = {}): Tensor[] {
    const padded = this.embed(x, options);
    const single = x.ndim === 1;
    const batch = single ? 1 : x.shape[0]!;
    const n = this.maps.length;
    const D = this.maxDim;
    const src = padded.data;
    return this.dims.map((d, j) => {
      const out = allocate(padded.dtype, batch * d);
      for (let b = 0; b < batch; b++) {
        const from = (b * n + j) * D;
        out.set(src.subarray(from, from + d), b * d);
      }
      return new Tensor(out, single ? [d] : [batch, d]);
    });
  }

  toJSON(): EmbeddingSpec {
    return { type: this.kind, maps: this.maps.map((m) => m.toJSON()) };
  }
}

/** One embedding per feature (see {@link PerFeatureEmbedding}). */
export function perFeature(maps: readonly ScalarEmbedding[]): PerFeatureEmbedding {
  return new PerFeatureEmbedding(maps);
}
