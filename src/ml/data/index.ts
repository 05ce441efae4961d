/**
 * Data preparation for the ML layer: scalers (saved with models), seeded splits,
 * mini-batches, CSV parsing and image resizing. Pure functions: file reading lives in
 * src/io/datasets.ts.
 * @packageDocumentation
 */
export { MinMaxScaler, type MinMaxScalerOptions, type MinMaxScalerJSON } from './min-max-scaler.js';
export { StandardScaler, type StandardScalerJSON } from './standard-scaler.js';
export { scalerFromJSON, type ScalerJSON } from './scaler.js';
export {
  stratifiedSplit,
  randomSplit,
  trainValidationTestSplit,
  breastCancerProtocolSplit,
  type SplitOptions,
  type ThreeWaySplitOptions,
  type TrainTestIndices,
  type TrainValidationTestIndices,
} from './splits.js';
export { MiniBatchSampler, epochBatches, type MiniBatch, type MiniBatchOptions } from './mini-batches.js';
export { takeRows, takeLabels } from './matrix.js';
export { parseCsv, parseCsvFeatures, type CsvOptions, type LabelledTable } from './csv.js';
export { encodeClassLabels } from './class-labels.js';
export { resizeArea, areaWeights } from './resize.js';
