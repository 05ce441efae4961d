/** Losses and regularisers for tensor-network models, built from autodiff ops. */
export { softmaxCrossEntropy, balancedClassWeights, checkLabels } from './classification.js';
export { meanSquaredError } from './regression.js';
export { mpsLogAmplitudes, mpsLogNormSquared, mpsNegativeLogLikelihood } from './generative.js';
export { l2Penalty, nuclearNormPenalty } from './regularizers.js';
export { logQuadNorm, logReluFrobeniusNorm, smpoAnomalyLoss, smpoAnomalyScores, type AnomalyLossOptions } from './anomaly.js';
