import type { Embedding, EmbeddingSpec } from './embedding.js';
import { ScalarEmbedding } from './embedding.js';
import { fourier } from './fourier.js';
import { gaussianRbf } from './gaussian-rbf.js';
import { linearComplement } from './linear-complement.js';
import { oneHot } from './one-hot.js';
import { hermite, laguerre, legendre, type PolynomialNormalization } from './orthogonal-polynomials.js';
import { patchAmplitude, patchFrqi, type PatchAmplitudeEmbedding, type PatchFrqiEmbedding, type PatchPixelOrder } from './patch.js';
import { perFeature } from './per-feature.js';
import { polynomial } from './polynomial.js';
import { trigonometric } from './trigonometric.js';

/* Rebuilding embeddings from their toJSON() descriptions, so a saved model can carry its feature map. */

function num(spec: EmbeddingSpec, key: string): number {
  const v = spec[key];
  if (typeof v !== 'number') throw new TypeError(`embeddingFromJSON: '${spec.type}' needs a number '${key}', got ${JSON.stringify(v)}`);
  return v;
}

function bool(spec: EmbeddingSpec, key: string): boolean {
  const v = spec[key];
  if (typeof v !== 'boolean') throw new TypeError(`embeddingFromJSON: '${spec.type}' needs a boolean '${key}', got ${JSON.stringify(v)}`);
  return v;
}

function numbers(spec: EmbeddingSpec, key: string): number[] {
  const v = spec[key];
  if (!Array.isArray(v) || !v.every((e) => typeof e === 'number')) {
    throw new TypeError(`embeddingFromJSON: '${spec.type}' needs an array of numbers '${key}'`);
  }
  return v as number[];
}

/**
 * Rebuilds a vector embedding from {@link Embedding.toJSON} output.
 * @throws TypeError for an unknown type or a malformed field (named).
 */
export function embeddingFromJSON(spec: EmbeddingSpec): Embedding {
  if (spec === null || typeof spec !== 'object' || typeof spec.type !== 'string') {
    throw new TypeError('embeddingFromJSON: expected an object with a string "type"');
  }
  switch (spec.type) {
    case 'trigonometric':
      return trigonometric({ k: num(spec, 'k') });
    case 'fourier':
      return fourier({ p: num(spec, 'p') });
    case 'linear-complement':
      return linearComplement({ bias: bool(spec, 'bias'), normalize: bool(spec, 'normalize') });
    case 'polynomial':
      return spec['crossTerms'] === true
        ? polynomial({ degree: num(spec, 'degree'), bias: bool(spec, 'bias'), crossTerms: true, groupSize: num(spec, 'groupSize') })
        : polynomial({ degree: num(spec, 'degree'), bias: bool(spec, 'bias') });
    case 'legendre':
    case 'laguerre':
    case 'hermite': {
      const options = { degree: num(spec, 'degree'), normalization: spec['normalization'] as PolynomialNormalization };
      return spec.type === 'legendre' ? legendre(options) : spec.type === 'laguerre' ? laguerre(options) : hermite(options);
    }
    case 'gaussian-rbf':
      return gaussianRbf({ centers: numbers(spec, 'centers'), gamma: num(spec, 'gamma'), normalize: bool(spec, 'normalize') });
    case 'one-hot':
      return oneHot({ categories: numbers(spec, 'categories') });
    case 'per-feature': {
      const maps = spec['maps'];
      if (!Array.isArray(maps)) throw new TypeError("embeddingFromJSON: 'per-feature' needs an array 'maps'");
      return perFeature(
        maps.map((m: EmbeddingSpec, j) => {
          const e = embeddingFromJSON(m);
          if (!(e instanceof ScalarEmbedding)) throw new TypeError(`embeddingFromJSON: per-feature entry ${j} ('${m.type}') is not a per-value embedding`);
          return e;
        }),
      );
    }
    default:
      throw new TypeError(`embeddingFromJSON: unknown embedding type '${spec.type}'`);
  }
}

/** Rebuilds a patch embedding from its toJSON() output. */
export function patchEmbeddingFromJSON(spec: EmbeddingSpec): PatchAmplitudeEmbedding | PatchFrqiEmbedding {
  // Files written before the rename carry 'maxBond'; read silently it would drop the cap.
  if (typeof spec['maxBond'] === 'number') throw new TypeError("patchEmbeddingFromJSON: the field 'maxBond' is now named 'maxRank'");
  const maxRank = spec['maxRank'];
  const base = {
    patchSize: num(spec, 'patchSize'),
    order: spec['order'] as PatchPixelOrder,
    ...(typeof maxRank === 'number' ? { maxRank } : {}),
  };
  if (spec.type === 'patch-amplitude') return patchAmplitude({ ...base, amplitude: spec['amplitude'] as 'linear' | 'sqrt' });
  if (spec.type === 'patch-frqi') return patchFrqi(base);
  throw new TypeError(`patchEmbeddingFromJSON: unknown patch embedding type '${String(spec.type)}'`);
}
