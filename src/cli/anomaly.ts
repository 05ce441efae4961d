import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AnomalyDetector, type AnomalyDetectorOptions } from '../estimators/anomaly-detector.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { loadDataset, type ImageDataset } from '../io/datasets.js';
import { takeLabels, takeRows } from '../ml/data/matrix.js';
import { stratifiedSplit } from '../ml/data/splits.js';
import { rocCurve } from '../ml/metrics/roc-curve.js';
import type { EpochRecord } from '../ml/training/history.js';
import type { DType } from '../tensor/dtype.js';
import { RUN_RECORD_VERSION, type RunRecord, type ScoreSamples } from '../report/run-record.js';
import { checkOutputDir, checkOutputFile } from '../io/output-file.js';
import { writeReport } from '../io/report-file.js';
import { passesFlag, positiveInt, positiveNumber } from './parse.js';
import { commandLine } from './run-records.js';
import { createProgress } from './progress.js';
import { withFlagNames } from './estimator-flags.js';

/** Options of `tnkit anomaly`, as commander parses them. */
export interface AnomalyCliOptions {
  dataset: string;
  normalClass: string;
  model: string;
  spacing: string;
  bondDim: string;
  /** Gradient trainer: epochs (default 10). */
  epochs?: string;
  /** Sweep trainer: sweeps (default 10). */
  sweeps?: string;
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
  /** Renormalise the SMPO to ‖P‖_F = 1 after every batch (tn4ml's `normalize=True`; default true, gradient trainer only). */
  normalize?: boolean;
  /** Write the trained model (cores, embedding, settings) to this file. */
  save?: string;
  /** Skip training: score the test set with the model in this file (data set, class, loss settings from the file). */
  load?: string;
  /** Write the per-sample test scores and labels as JSON to this file. */
  scores?: string;
  /** Write an HTML report (index.html, run.json) into this folder. */
  report?: string;
  json?: boolean;
}

/** What `--save` stores as the model file's metadata, and `--load` reads back. */
export interface AnomalyModelMetadata {
  tnkit_anomaly: {
    dataset: 'mnist' | 'digits';
    normal_class: number;
    alpha: number;
    norm_exponent: number;
    trainer: string;
    normalize: boolean;
    epochs: number;
    seed: number;
    train_samples: number;
  };
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
  /** Training loss of the last epoch (null with --load). */
  final_loss: number | null;
  /** Whether the SMPO was renormalised after every batch. */
  normalize: boolean;
  seed: number;
  /** The model file scored, with --load. */
  loaded_from?: string;
}

/** The share of the digits images held out as the anomaly test part, and the fixed seed of that split. */
export const DIGITS_TEST_FRACTION = 0.2;
export const DIGITS_SPLIT_SEED = 0;

/**
 * The images of one part of a data set as `tnkit anomaly` uses them, in file order: MNIST's
 * official parts (the first 10,000 training images; the 10,000 test images) at 14×14 by
 * area averaging; the 8×8 digits, which ship as one set of 1,797 images, split 80/20
 * stratified by digit with the fixed seed {@link DIGITS_SPLIT_SEED} (1,437 train, 360 test;
 * the same split on every run and for `tnkit predict`). `classes` and `limit` apply within the part.
 */
export function anomalyImages(dataset: 'mnist' | 'digits', part: 'train' | 'test', options: { dtype?: DType; classes?: readonly number[]; limit?: number } = {}): ImageDataset {
  const dtype = options.dtype ?? 'f64';
  if (dataset === 'mnist') {
    return loadDataset('mnist', {
      split: part, dtype, resize: 14, ...(options.classes ? { classes: options.classes } : {}), ...(options.limit !== undefined ? { limit: options.limit } : {}),
    });
  }
  const all = loadDataset('digits', { dtype });
  const split = stratifiedSplit(all.y, { testFraction: DIGITS_TEST_FRACTION, seed: DIGITS_SPLIT_SEED });
  const wanted = options.classes ? new Set(options.classes) : undefined;
  let rows = Array.from(part === 'test' ? split.test : split.train).sort((a, b) => a - b).filter((i) => wanted === undefined || wanted.has(all.y[i]!));
  if (options.limit !== undefined) rows = rows.slice(0, options.limit);
  return { ...all, X: takeRows(all.X, rows), y: takeLabels(all.y, rows) };
}

function checkDataset(name: string): 'mnist' | 'digits' {
  if (name !== 'mnist' && name !== 'digits') throw new RangeError(`--dataset must be 'mnist' or 'digits', got '${name}'`);
  return name;
}

function checkDigit(value: string | number, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new RangeError(`${flag} must be a digit 0–9, got '${value}'`);
  return n;
}

/** The `tnkit_anomaly` settings of a model file saved by `--save`, checked. */
function readAnomalyMetadata(metadata: unknown, path: string): AnomalyModelMetadata['tnkit_anomaly'] {
  const m = (metadata as Partial<AnomalyModelMetadata> | undefined)?.tnkit_anomaly;
  if (m === undefined || m === null || typeof m !== 'object') throw new RangeError(`--load: ${path} holds no tnkit_anomaly settings (was it saved by 'tnkit anomaly --save'?)`);
  for (const key of ['normal_class', 'alpha', 'norm_exponent', 'epochs', 'seed', 'train_samples'] as const) {
    if (typeof m[key] !== 'number') throw new RangeError(`--load: ${path}: tnkit_anomaly.${key} must be a number, got ${JSON.stringify(m[key])}`);
  }
  return { ...m, dataset: checkDataset(m.dataset), normal_class: checkDigit(m.normal_class, `--load: ${path}: tnkit_anomaly.normal_class`) };
}

/**
 * Trains an SMPO anomaly detector ({@link AnomalyDetector}) on the normal class of the
 * training images and scores the test set (the computation behind `tnkit anomaly`); with
 * `load`, scores the test set with a saved detector instead of training one.
 */
export function runAnomaly(options: AnomalyCliOptions, onProgress?: (done: number, total: number, label: string) => void): { summary: AnomalySummary; record: RunRecord } {
  const startedAt = new Date().toISOString();
  if (options.dtype !== 'f32' && options.dtype !== 'f64') throw new RangeError(`--dtype must be f32 or f64, got '${options.dtype}'`);
  let dtype: DType = options.dtype;
  let dataset = checkDataset(options.dataset);
  if (options.model !== 'smpo') throw new RangeError(`--model must be 'smpo', got '${options.model}'`);
  if (options.trainer !== 'gradient' && options.trainer !== 'sweep') throw new RangeError(`--trainer must be 'gradient' or 'sweep', got '${options.trainer}'`);
  let normalClass = checkDigit(options.normalClass, '--normal-class');
  const spacing = positiveInt(options.spacing, '--spacing');
  const bondDim = positiveInt(options.bondDim, '--bond-dim');
  let epochs = passesFlag(options.trainer, options.epochs, options.sweeps, '10');
  const batchSize = positiveInt(options.batchSize, '--batch-size');
  let seed = Number(options.seed);
  if (!Number.isInteger(seed)) throw new RangeError(`--seed must be an integer, got '${options.seed}'`);
  const lr = positiveNumber(options.lr, '--lr');
  const alpha = positiveNumber(options.alpha, '--alpha', true);
  const normExponent = positiveNumber(options.normExponent, '--norm-exponent', true);
  const patience = options.patience === undefined ? undefined : positiveInt(options.patience, '--patience');
  const trainLimit = options.trainLimit === undefined ? undefined : positiveInt(options.trainLimit, '--train-limit');
  const testLimit = options.testLimit === undefined ? undefined : positiveInt(options.testLimit, '--test-limit');
  if (options.load !== undefined && options.save !== undefined) throw new RangeError('--load and --save cannot be combined (--load does not train)');
  if (options.save !== undefined) checkOutputFile('--save', options.save);
  if (options.scores !== undefined) checkOutputFile('--scores', options.scores);
  if (options.report !== undefined) checkOutputDir('--report', options.report);
  if (options.scores !== undefined) {
    for (const [flag, other] of [['--save', options.save], ['--load', options.load]] as const) {
      if (other !== undefined && resolve(other) === resolve(options.scores)) throw new RangeError(`--scores ${options.scores} and ${flag} ${other}: the same file; give each its own path`);
    }
  }

  // A saved detector brings its own data set, class, loss settings and embedding.
  let detector: AnomalyDetector;
  let trainSamples: number;
  if (options.load !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(options.load));
    } catch (e) {
      throw new Error(`--load: cannot read ${options.load}: ${(e as Error).message}`);
    }
    detector = AnomalyDetector.fromBytes(bytes, options.load);
    const meta = readAnomalyMetadata(detector.metadata, options.load);
    dataset = meta.dataset;
    normalClass = meta.normal_class;
    epochs = meta.epochs;
    seed = meta.seed;
    dtype = detector.options.dtype;
    trainSamples = meta.train_samples;
  } else {
    const settings: AnomalyDetectorOptions = {
      model: 'smpo', spacing, bondDim, epochs, batchSize, lr, seed, dtype, alpha, normExponent, trainer: options.trainer,
      normalize: options.normalize ?? true,
      // Pixels are already in [0, 1]: no per-pixel rescaling, as tn4ml.
      scaler: 'none',
      ...(patience !== undefined ? { patience } : {}),
    };
    detector = withFlagNames(() => new AnomalyDetector(settings));
    trainSamples = 0;
  }

  // MNIST at 14×14 (area averaging), as tn4ml's notebook; digits stay 8×8, split 80/20.
  const testSet = anomalyImages(dataset, 'test', { dtype });
  let testX = testSet.X;
  let testY = testSet.y;
  if (testLimit !== undefined) {
    const n = Math.min(testLimit, testY.length);
    testX = testX.slice([0, n]).contiguous();
    testY = testY.slice(0, n);
  }
  let finalLoss: number | null = null;
  let secondsPerEpoch = 0;
  if (options.load !== undefined) {
    const [, ...pixels] = testX.shape;
    const features = pixels.reduce((a, b) => a * b, 1);
    if (detector.featureCount !== features) {
      throw new RangeError(`--load: the model reads ${detector.featureCount} features, the ${dataset} test images give ${features} (${pixels.join('×')})`);
    }
  } else {
    const trainSet = anomalyImages(dataset, 'train', { classes: [normalClass], dtype, ...(trainLimit !== undefined ? { limit: trainLimit } : {}) });
    if (trainSet.y.length === 0) throw new RangeError(`the ${dataset} training images hold no digit ${normalClass}`);
    detector.fit(trainSet.X, { onEpoch: (record) => onProgress?.(record.epoch, epochs, `loss ${record.loss.toPrecision(5)}`) });
    const fit = detector.fitSummary!;
    trainSamples = fit.trainSamples;
    secondsPerEpoch = fit.secondsPerEpoch;
    finalLoss = fit.finalLoss;
    if (options.save !== undefined) {
      const o = detector.options;
      const metadata: AnomalyModelMetadata = {
        tnkit_anomaly: {
          dataset, normal_class: normalClass, alpha: o.alpha, norm_exponent: o.normExponent,
          trainer: o.trainer, normalize: o.normalize, epochs, seed, train_samples: trainSamples,
        },
      };
      detector.metadata = { ...metadata };
      writeFileAtomic(options.save, detector.toBytes());
    }
  }

  const scores = detector.scoreSamples(testX);
  const labels = Int32Array.from(testY, (y) => (y === normalClass ? 0 : 1));
  if (options.scores !== undefined) {
    writeFileAtomic(options.scores, `${JSON.stringify({ normal_class: normalClass, labels: Array.from(labels), scores: Array.from(scores) })}\n`);
  }
  const history: EpochRecord[] = detector.history;
  const roc = rocCurve(labels, scores, { maxPoints: 1000 });
  const o = detector.options;
  const summary: AnomalySummary = {
    auc: roc.auc,
    seconds_per_epoch: secondsPerEpoch,
    dataset, normal_class: normalClass, model: 'smpo', trainer: o.trainer, spacing: detector.model.spacing, bond_dim: detector.model.bondDim,
    epochs, train_samples: trainSamples, test_samples: labels.length, final_loss: finalLoss, normalize: o.normalize, seed,
    ...(options.load !== undefined ? { loaded_from: options.load } : {}),
  };
  const record: RunRecord = {
    version: RUN_RECORD_VERSION, kind: 'anomaly', startedAt,
    title: `SMPO anomaly detector, ${dataset} normal class ${normalClass}`,
    summary: { ...summary }, history, roc, scores: scoreSamples(scores, labels, 2000),
  };
  return { summary, record };
}

/** The scores split by label (0 normal, 1 anomalous), each evenly thinned to at most `max` values. */
export function scoreSamples(scores: ArrayLike<number>, labels: ArrayLike<number>, max: number): ScoreSamples {
  const normal: number[] = [];
  const anomalous: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] === 0 ? normal : anomalous).push(scores[i]!);
  const thin = (xs: number[]): number[] => (xs.length <= max ? xs : Array.from({ length: max }, (_, k) => xs[Math.floor((k * xs.length) / max)]!));
  return { normal: thin(normal), anomalous: thin(anomalous) };
}

/** Registers `tnkit anomaly`. */
export function registerAnomaly(program: Command): void {
  program
    .command('anomaly')
    .description('train an SMPO anomaly detector on one class (tn4ml protocol) and report the test ROC AUC')
    .option('--dataset <name>', 'mnist (14×14 by area averaging; official train/test parts) | digits (8×8; split 80/20 by digit with a fixed seed: 1,437 train, 360 test images)', 'mnist')
    .option('--normal-class <digit>', 'the normal class (trained on); every other digit is an anomaly', '0')
    .option('--model <kind>', 'smpo', 'smpo')
    .option('--spacing <n>', 'an output leg every n sites', '8')
    .option('--bond-dim <n>', 'bond dimension the SMPO is built with (the sweep trainer caps its splits at it)', '10')
    .option('--epochs <n>', 'training epochs of the gradient trainer (default 10)')
    .option('--sweeps <n>', 'sweeps of the sweep trainer (default 10)')
    .option('--train-limit <n>', 'use at most n training images of the normal class (default: all)')
    .option('--test-limit <n>', 'score only the first n test images (default: all)')
    .option('--seed <n>', 'seed of the initialisation and shuffles', '0')
    .option('--lr <x>', 'Adam learning rate', '1e-3')
    .option('--batch-size <n>', 'mini-batch size', '128')
    .option('--dtype <dtype>', 'f64 | f32', 'f64')
    .option('--alpha <x>', 'weight of ReLU(ln ‖P‖_F²)', '0.4')
    .option('--norm-exponent <e>', 'e in (ln ‖P·φ‖^e − 1)²: 4 as tn4ml\'s code, 2 as its formula', '4')
    .option('--trainer <kind>', 'gradient (all cores, Adam) | sweep (two-site DMRG-style)', 'gradient')
    .option('--patience <n>', 'stop after n epochs without a lower training loss (default: off)')
    .option('--no-normalize', 'do not renormalise the SMPO to unit Frobenius norm after every batch (tn4ml\'s normalize=True is the default; gradient trainer only)')
    .option('--save <file.tnk>', 'write the trained detector (cores, embedding, settings) to a tnkit model file (tnkit predict reads it)')
    .option('--load <file.tnk>', 'do not train: score the test set with a detector saved by --save (data set, class and loss settings come from the file)')
    .option('--scores <file.json>', 'write the per-sample test scores and labels as JSON')
    .option('--report <dir>', 'write an HTML report (index.html with the loss curve, ROC curve and score histograms; run.json) into DIR')
    .option('--json', 'print { auc, seconds_per_epoch, … } as JSON on stdout')
    .action(async (opts: AnomalyCliOptions) => {
      const progress = createProgress();
      let summary: AnomalySummary;
      let record: RunRecord;
      try {
        ({ summary, record } = runAnomaly(opts, (done, total, label) => progress.update(done, total, label)));
      } finally {
        progress.stop();
      }
      record.command = commandLine();
      if (opts.report !== undefined) process.stderr.write(`report: ${await writeReport(opts.report, record)}\n`);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } else {
        process.stdout.write(
          `normal class ${summary.normal_class}: AUC ${summary.auc.toFixed(4)} (${summary.test_samples} test images, ${summary.train_samples} training images, ` +
            `${summary.seconds_per_epoch.toFixed(2)} s/epoch, final loss ${summary.final_loss === null ? 'n/a' : summary.final_loss.toPrecision(5)})\n`,
        );
      }
    });
}
