/** The gradient trainer, its history and checkpoint helpers. */
export {
  train, evaluate, epochRandom, NonFiniteTrainingError,
  type BatchSource, type TrainingProblem, type TrainOptions, type TrainResult, type TrainerCheckpoint, type EpochInfo,
} from './trainer.js';
export { historyToCsv, historyToJson, parseHistory, type EpochRecord } from './history.js';
export { encodeState, decodeState, type EncodedState } from './state-codec.js';
export { sha256Hex, inputDifferences, parseCheckpointInputs, type CheckpointInputs, type InputDifference, type InputValue } from './checkpoint-inputs.js';
export { supervisedProblem, productStateSource, predictScores, type SupervisedProblemOptions, type LabeledBatch } from './supervised.js';
export * from './sweep.js';
export * from './sweep-smpo.js';
export * from './sweep-mps.js';
export { mpsSweepFit, type MpsSweepFitOptions, type MpsSweepFitResult } from './sweep-mps-fit.js';
