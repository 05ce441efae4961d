/**
 * The high-level API: estimators with `fit` / `predict` / `score` / `save` / `load` and a
 * per-epoch `history`, thin over the ml and search layers.
 * @packageDocumentation
 */
export { Classifier, CLASSIFIER_METADATA_KEY, ResumeMismatchError, type ClassLabels, type ClassifierOptions, type ClassifierFitOptions, type ClassifierFitSummary, type ClassifierModelKind, type LabelledSamples, type ResolvedClassifierOptions } from './classifier.js';
export { AnomalyDetector, DETECTOR_METADATA_KEY, type AnomalyDetectorOptions, type AnomalyFitSummary, type ResolvedAnomalyDetectorOptions } from './anomaly-detector.js';
export { trainTestSplit, type TrainTestSplit, type TrainTestSplitOptions } from './train-test-split.js';
export { Compressor, COMPRESSOR_METHODS, COMPRESSOR_FILE_VERSION, DEFAULT_BUDGET_SECONDS, type CompressorOptions, type CompressorFitOptions, type CompressorMethod, type CompressorProgress, type CompressorPoint } from './compressor.js';
export { EstimatorOptionError } from './option-error.js';
export type { SampleInput } from './inputs.js';
