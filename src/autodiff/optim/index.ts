/** Pure optimizers, learning-rate schedules and gradient clipping. */
export type { Optimizer, LearningRate } from './optimizer.js';
export { sgd, type SgdOptions, type SgdState } from './sgd.js';
export { adam, adamw, type AdamOptions, type AdamState } from './adam.js';
export { constantSchedule, stepDecay, exponentialDecay, cosineDecay, linearWarmup, type Schedule } from './schedule.js';
export { globalNorm, clipByGlobalNorm, clipByValue } from './clip.js';
