import type { Command } from 'commander';
import { takeRows } from '../ml/data/matrix.js';
import { adam, type Optimizer } from '../autodiff/index.js';
import { loadDataset } from '../io/datasets.js';
import { trigonometric } from '../ml/embeddings/index.js';
import { smpoAnomalyLoss, smpoAnomalyScores, type AnomalyLossOptions } from '../ml/losses/anomaly.js';
import { rocAuc } from '../ml/metrics/roc-auc.js';
import { SmpoModel } from '../ml/models/smpo-model.js';
import { train, type BatchSource } from '../ml/training/trainer.js';
import { smpoSweepTrain } from '../ml/training/sweep-smpo.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { createProgress } from './progress.js';

/** Options of `tnkit anomaly`, as commander parses them. */
export interface AnomalyCliOptions {
  dataset: string;
  normalClass: string;
  model: string;
  spacing: string;
  bondDim: string;
  epochs: string;
  trainLimit?: string;
  testLimit?: string;
  seed: string;
  lr: string;
  batchSize: string;
  dtype: string;
  alpha: string;
  normExponent: string;
  trainer: string;
  patience?: string;
  json?: boolean;
}

/** What `tnkit anomaly --json` prints. */
export interface AnomalySummary {
  /** ROC AUC on the test set, normal class negative, every other digit positive, score = per-sample loss. */
  auc: number;
  /** Mean wall-clock seconds of one training epoch (or sweep). */
  seconds_per_epoch: number;
  dataset: string;
  normal_class: number;
  model: string;
  trainer: string;
  spacing: number;
  bond_dim: number;
  epochs: number;
  train_samples: number;
  test_samples: number;
  final_loss: number;
}

function positiveInt(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) throw new RangeError(`${flag} must be a positive integer, got '${value}'`);
  return n;
}

function nonNegativeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new RangeError(`${flag} must be a non-negative number, got '${value}'`);
  return n;
}

/** Product states of a batch of rows of `x` `[n, sites, d]`. */
function rowSource(x: Tensor): BatchSource<Tensor> {
  return { size: x.shape[0]!, batch: (idx) => takeRows(x, idx) };
}

/**
 * Trains an SMPO anomaly detector on the normal class of the training images and scores
 * the test set (the computation behind `tnkit anomaly`).
 */
export function runAnomaly(options: AnomalyCliOptions, onProgress?: (done: number, total: number, label: string) => void): AnomalySummary {
  if (options.dataset !== 'mnist' && options.dataset !== 'digits') throw new RangeError(`--dataset must be 'mnist' or 'digits', got '${options.dataset}'`);
  const dataset = options.dataset;
  if (options.model !== 'smpo') throw new RangeError(`--model must be 'smpo', got '${options.model}'`);
  if (options.trainer !== 'gradient' && options.trainer !== 'sweep') throw new RangeError(`--trainer must be 'gradient' or 'sweep', got '${options.trainer}'`);
  if (options.dtype !== 'f32' && options.dtype !== 'f64') throw new RangeError(`--dtype must be f32 or f64, got '${options.dtype}'`);
  const dtype: DType = options.dtype;
  const normalClass = Number(options.normalClass);
  if (!Number.isInteger(normalClass) || normalClass < 0 || normalClass > 9) throw new RangeError(`--normal-class must be a digit 0–9, got '${options.normalClass}'`);
  const spacing = positiveInt(options.spacing, '--spacing');
  const bondDim = positiveInt(options.bondDim, '--bond-dim');
  const epochs = positiveInt(options.epochs, '--epochs');
  const batchSize = positiveInt(options.batchSize, '--batch-size');
  const seed = Number(options.seed);
  if (!Number.isInteger(seed)) throw new RangeError(`--seed must be an integer, got '${options.seed}'`);
  const lr = nonNegativeNumber(options.lr, '--lr');
  if (lr === 0) throw new RangeError('--lr must be positive');
  const lossOptions: AnomalyLossOptions = { alpha: nonNegativeNumber(options.alpha, '--alpha'), normExponent: nonNegativeNumber(options.normExponent, '--norm-exponent') };
  const patience = options.patience === undefined ? undefined : positiveInt(options.patience, '--patience');

  // MNIST at 14×14 (area averaging), as tn4ml's notebook; digits stay 8×8.
  const resize = dataset === 'mnist' ? { resize: 14 } : {};
  const trainSet = loadDataset(dataset, {
    split: 'train', classes: [normalClass], dtype, ...resize,
    ...(options.trainLimit !== undefined ? { limit: positiveInt(options.trainLimit, '--train-limit') } : {}),
  });
  const testSet = loadDataset(dataset, { split: 'test', dtype, ...resize });
  if (trainSet.y.length === 0) throw new RangeError(`the ${dataset} training images hold no digit ${normalClass}`);
  let testX = testSet.X;
  let testY = testSet.y;
  if (options.testLimit !== undefined) {
    const n = Math.min(positiveInt(options.testLimit, '--test-limit'), testY.length);
    testX = testX.slice([0, n]).contiguous();
    testY = testY.slice(0, n);
  }
  const embedding = trigonometric();
  const x = embedding.embed(trainSet.X, { dtype, outOfRange: 'ignore' });
  const xTest = embedding.embed(testX, { dtype, outOfRange: 'ignore' });
  const sites = x.shape[1]!;

  let model = SmpoModel.create({ sites, physDim: x.shape[2]!, spacing, bondDim, seed, dtype });
  let secondsPerEpoch: number;
  let finalLoss: number;
  if (options.trainer === 'gradient') {
    const result = train(
      { params: model.params, loss: (p, batch: Tensor) => smpoAnomalyLoss(model, p, batch, lossOptions) },
      rowSource(x),
      {
        epochs, batchSize, seed, optimizer: adam({ lr }) as Optimizer<unknown>,
        ...(patience !== undefined ? { patience } : {}),
        onEpoch: ({ epoch, record }) => onProgress?.(epoch, epochs, `loss ${record.loss.toPrecision(5)}`),
      },
    );
    model = model.withParams(result.params);
    secondsPerEpoch = result.secondsPerEpoch;
    finalLoss = result.history[result.history.length - 1]!.loss;
  } else {
    const result = smpoSweepTrain(model, x, {
      ...lossOptions, sweeps: epochs, batchSize, seed, lr, maxBond: bondDim,
      observer: (e) => { if (e.type === 'sweep') onProgress?.(e.sweep, epochs, `loss ${e.loss.toPrecision(5)}`); },
    });
    model = model.withCores(result.cores);
    secondsPerEpoch = result.secondsPerSweep;
    finalLoss = result.history[result.history.length - 1]!;
  }

  const scores = smpoAnomalyScores(model, xTest, { ...lossOptions, batchSize: 256 });
  const labels = Int32Array.from(testY, (y) => (y === normalClass ? 0 : 1));
  return {
    auc: rocAuc(labels, scores, { positiveLabel: 1 }),
    seconds_per_epoch: secondsPerEpoch,
    dataset, normal_class: normalClass, model: 'smpo', trainer: options.trainer, spacing, bond_dim: bondDim,
    epochs, train_samples: x.shape[0]!, test_samples: labels.length, final_loss: finalLoss,
  };
}

/** Registers `tnkit anomaly`. */
export function registerAnomaly(program: Command): void {
  program
    .command('anomaly')
    .description('train an SMPO anomaly detector on one class (tn4ml protocol) and report the test ROC AUC')
    .option('--dataset <name>', 'mnist (14×14 by area averaging) or digits', 'mnist')
    .option('--normal-class <digit>', 'the normal class (trained on); every other digit is an anomaly', '0')
    .option('--model <kind>', 'smpo', 'smpo')
    .option('--spacing <n>', 'an output leg every n sites', '8')
    .option('--bond-dim <n>', 'maximum bond dimension', '10')
    .option('--epochs <n>', 'training epochs (sweeps with --trainer sweep)', '10')
    .option('--train-limit <n>', 'use at most n training images of the normal class')
    .option('--test-limit <n>', 'score only the first n test images')
    .option('--seed <n>', 'seed of the initialisation and shuffles', '0')
    .option('--lr <x>', 'Adam learning rate', '1e-3')
    .option('--batch-size <n>', 'mini-batch size', '128')
    .option('--dtype <dtype>', 'f32 or f64', 'f64')
    .option('--alpha <x>', 'weight of ReLU(ln ‖P‖_F²)', '0.4')
    .option('--norm-exponent <e>', 'e in (ln ‖P·φ‖^e − 1)²: 4 as tn4ml\'s code, 2 as its formula', '4')
    .option('--trainer <kind>', 'gradient (all cores, Adam) or sweep (two-site DMRG-style)', 'gradient')
    .option('--patience <n>', 'stop after n epochs without a lower training loss')
    .option('--json', 'print { auc, seconds_per_epoch, … } as JSON on stdout')
    .action((opts: AnomalyCliOptions) => {
      const progress = createProgress();
      let summary: AnomalySummary;
      try {
        summary = runAnomaly(opts, (done, total, label) => progress.update(done, total, label));
      } finally {
        progress.stop();
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } else {
        process.stdout.write(
          `normal class ${summary.normal_class}: AUC ${summary.auc.toFixed(4)} (${summary.test_samples} test images, ${summary.train_samples} training images, ` +
            `${summary.seconds_per_epoch.toFixed(2)} s/epoch, final loss ${summary.final_loss.toPrecision(5)})\n`,
        );
      }
    });
}
