/**
 * Tensor decompositions (TT-SVD, TR-SVD, TR-ALS, Tucker/HOSVD/HOOI, CP-ALS), ALS for any
 * rank-matrix topology (fitCores, also for completion) and the error metrics.
 * @packageDocumentation
 */
export { assertRankMatrix, trainRankMatrix } from './rank-matrix.js';
export { contractCores, randomCores, assertCores, type RandomCoresOptions } from './contract-cores.js';
export { ttSvd, type TtSvdOptions, type TtDecomposition } from './tt-svd.js';
export { trSvd, type TrSvdOptions, type TrDecomposition } from './tr-svd.js';
export { fitCores, type FitCoresOptions, type FitCoresResult, type SweepInfo } from './fit-cores.js';
export { createStopFlag, requestStop, stopRequested, type StopFlag } from './stop-flag.js';
export { lmFit, type LmFitOptions } from './levenberg-marquardt.js';
export { trAls, type TrAlsResult } from './tr-als.js';
export { hosvd, tucker, tuckerToTensor, type TuckerOptions, type TuckerDecomposition } from './tucker.js';
export { cpAls, cpToTensor, type CpAlsOptions, type CpDecomposition } from './cp-als.js';
export { compressionRatio, rse, psnr, mpsnr, type RseOptions, type PsnrOptions } from './metrics.js';
export type { Mask } from './mask.js';
