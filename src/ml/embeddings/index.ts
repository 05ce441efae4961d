/**
 * Embeddings (feature maps): raw features → product states [batch, N, d], and image
 * patches → per-patch MPS cores.
 * @packageDocumentation
 */
export {
  ScalarEmbedding,
  RangeGuard,
  REAL_LINE,
  UNIT_INTERVAL,
  type Embedding,
  type EmbeddingSpec,
  type EmbedOptions,
  type InputRange,
  type OutOfRangePolicy,
} from './embedding.js';
export { TrigonometricEmbedding, trigonometric, type TrigonometricOptions } from './trigonometric.js';
export { FourierEmbedding, fourier, type FourierOptions } from './fourier.js';
export { LinearComplementEmbedding, linearComplement, type LinearComplementOptions } from './linear-complement.js';
export { PolynomialEmbedding, PolynomialCrossEmbedding, polynomial, monomialIndexTuples, type PolynomialOptions } from './polynomial.js';
export {
  LegendreEmbedding,
  LaguerreEmbedding,
  HermiteEmbedding,
  legendre,
  laguerre,
  hermite,
  type OrthogonalPolynomialOptions,
  type PolynomialNormalization,
} from './orthogonal-polynomials.js';
export { GaussianRbfEmbedding, gaussianRbf, evenlySpacedCenters, type GaussianRbfOptions } from './gaussian-rbf.js';
export { OneHotEmbedding, oneHot, type OneHotOptions } from './one-hot.js';
export { CustomEmbedding, customEmbedding, type CustomEmbeddingOptions } from './custom.js';
export { PerFeatureEmbedding, perFeature } from './per-feature.js';
export {
  PatchAmplitudeEmbedding,
  PatchFrqiEmbedding,
  patchAmplitude,
  patchFrqi,
  contractPatch,
  type PatchMps,
  type PatchEmbeddingOptions,
  type PatchAmplitudeOptions,
  type PatchPixelOrder,
} from './patch.js';
export { embeddingFromJSON, patchEmbeddingFromJSON } from './from-json.js';
export { parseEmbedding, EMBEDDING_SPECS } from './parse-spec.js';
