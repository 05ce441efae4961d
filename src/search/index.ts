/**
 * Tensor-network structure search: RGTN (ring start, compression by information flow;
 * optional scales), the paper's gated search (for comparison) and the baselines (TT-SVD, TR-SVD, greedy rank growth, TNGA, TNLS, TnALE),
 * each a strategy over one evaluation interface.
 * @packageDocumentation
 */
export { search, SEARCH_METHODS, type SearchMethod, type SearchOptions, type RgtnOwnOptions } from './strategies.js';
export { rgtn, type RgtnOptions } from './rgtn.js';
export { finalEvaluation, type SearchResult } from './search-result.js';
export { gatedSearch, type GatedSearchOptions } from './gated-search.js';
export type { ScaleSearchOptions } from './scale-loop.js';
export { Evaluator, type Evaluation, type EvaluatorOptions, type StopReason, type WarmStart } from './evaluator.js';
export { gatedLoss, absorbGates, initialGates, gateValues, type GateLogits, type LossWeights, type LossParts } from './gated-network.js';
export { buildPyramid, downsample, upsampleCore, coarserDims, type Downsampling, type Scale } from './pyramid.js';
export { resizeBond, adaptCores, bondSpectrum, bondInformation } from './bond-ops.js';
export { growToTarget, rankPrune, type GrowOptions, type PruneOptions } from './refine.js';
export { allocatedChain, compressByFlow, numericalRank, type AllocateOptions, type CompressOptions } from './compress.js';
export { tnga, type TngaOptions } from './tnga.js';
export { tnls, tnale, feasibleStart, type LocalSearchStart, type TnlsOptions, type TnaleOptions } from './local-search.js';
export { ttSvdStructure, trSvdStructure } from './svd-baselines.js';
export { memoryCheckpoint, type CheckpointStore, type RgtnCheckpoint, type ScaleLog } from './checkpoint.js';
export { structureKey, fullyConnected, activeEdges, allPairs, withBond } from './structure.js';
export { EvaluationPool, evaluateBatch, poolFor, runFitJob, type Candidate, type PoolOptions, type FitSetup, type FitJob, type FitJobResult } from './worker-pool.js';
export { validatedCompletion, interleavedFold, AUTO_SMOOTHNESS, type ValidatedCompletionOptions, type ValidatedCompletion, type InterleavedFold } from './validated-completion.js';
