/**
 * Classification metrics: accuracy, confusion matrix, precision/recall/F1 (per class and
 * macro) and exact ROC AUC.
 * @packageDocumentation
 */
export { accuracy, confusionMatrix, precisionRecallF1, argmaxRows, type ClassCountOptions, type ClassScores, type ClassificationReport } from './classification.js';
export { rocAuc, type RocAucOptions } from './roc-auc.js';
export { rocCurve, type RocCurvePoints, type RocCurveOptions } from './roc-curve.js';
