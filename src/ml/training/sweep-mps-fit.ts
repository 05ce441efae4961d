import type { Tensor } from '../../tensor/tensor.js';
import { MpsModel } from '../models/mps-model.js';
import type { EpochRecord } from './history.js';
import { mpsSweepTrain } from './sweep-mps.js';
import { supervisedProblem, type LabeledBatch } from './supervised.js';
import { evaluate, type BatchSource } from './trainer.js';

/** Options of {@link mpsSweepFit}. */
export interface MpsSweepFitOptions {
  /** Maximum number of sweeps. */
  sweeps: number;
  /** Cap on the rank of each bond the two-site SVD splits create (the Classifier passes its `bondDim`). */
  maxRank: number;
  /** Step size of the local Adam update. */
  lr: number;
  batchSize: number;
  seed: number;
  /** History key watched for early stopping and best weights ('val_loss', 'val_accuracy', 'loss'; default 'val_loss' with validation, else 'loss'). */
  monitor?: string;
  /** Stop after this many sweeps without improvement (default: never). */
  patience?: number;
  /** Called after every sweep with its record. */
  onSweep?: (sweep: number, record: EpochRecord) => void;
}

/** What {@link mpsSweepFit} returns (the fields of the gradient trainer's result that sweeps have). */
export interface MpsSweepFitResult {
  /** The kept cores: the best sweep's when an earlier sweep scored better than the last. */
  params: Tensor[];
  history: EpochRecord[];
  bestEpoch: number;
  epochs: number;
  stopReason: 'completed' | 'early-stopping';
  secondsPerEpoch: number;
}

/**
 * Sweep training with the gradient trainer's bookkeeping: one call of {@link mpsSweepTrain}
 * per sweep (its shuffle seeded by (seed, sweep)), validation after each sweep when given,
 * early stopping on `monitor` with `patience`, and the best sweep's cores restored.
 * @throws RangeError when `monitor` is not among the recorded figures (checked after the first sweep).
 */
export function mpsSweepFit(model: MpsModel, x: Tensor, labels: Int32Array, validation: BatchSource<LabeledBatch> | undefined, options: MpsSweepFitOptions): MpsSweepFitResult {
  const monitor = options.monitor ?? (validation ? 'val_loss' : 'loss');
  const mode = monitor.endsWith('loss') ? 'min' : 'max';
  let cores = [...model.params];
  let best: { sweep: number; value: number; cores: Tensor[] } | null = null;
  let wait = 0;
  let seconds = 0;
  let sweep = 0;
  let stopReason: MpsSweepFitResult['stopReason'] = 'completed';
  const history: EpochRecord[] = [];
  while (sweep < options.sweeps && stopReason === 'completed') {
    sweep++;
    const current = MpsModel.fromCores(cores, model.outputSite, model.bondDim);
    const result = mpsSweepTrain(current, x, labels, {
      schedule: [{ maxRank: options.maxRank, lr: options.lr }], sweeps: 1, batchSize: options.batchSize,
      seed: (Math.imul(options.seed | 0, 7919) + sweep) | 0,
    });
    cores = result.cores;
    seconds += result.secondsPerSweep;
    const record: EpochRecord = { epoch: sweep, loss: result.history[0]! };
    if (validation) {
      const trained = MpsModel.fromCores(cores, model.outputSite, model.bondDim);
      for (const [k, v] of Object.entries(evaluate(supervisedProblem(trained), cores, validation, Math.max(options.batchSize, 256)))) record[`val_${k}`] = v;
    }
    record['seconds'] = result.secondsPerSweep;
    history.push(record);
    const value = record[monitor];
    if (value === undefined) throw new RangeError(`monitor: '${monitor}' is not among the recorded figures (${Object.keys(record).join(', ')})`);
    if (best === null || (mode === 'min' ? value < best.value : value > best.value)) {
      best = { sweep, value, cores: [...cores] };
      wait = 0;
    } else {
      wait++;
    }
    if (options.patience !== undefined && wait >= options.patience) stopReason = 'early-stopping';
    options.onSweep?.(sweep, record);
  }
  const restore = best !== null && best.sweep !== sweep;
  return {
    params: restore ? best!.cores : cores,
    history,
    bestEpoch: restore ? best!.sweep : sweep,
    epochs: sweep,
    stopReason,
    secondsPerEpoch: seconds / Math.max(sweep, 1),
  };
}
