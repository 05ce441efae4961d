/**
 * Tensor-network machine learning: embeddings into product states, scalers and splits,
 * models (MPS, MPO, SMPO, tree, PEPS), initializers, losses, training and metrics.
 * @packageDocumentation
 */
export * from './embeddings/index.js';
export * from './data/index.js';
export * from './metrics/index.js';
export * from './models/index.js';
export * from './init/index.js';
export * from './losses/index.js';
export * from './training/index.js';
export * from './model-file.js';
