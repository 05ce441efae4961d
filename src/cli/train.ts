import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { adam, cosineDecay, sgd, type Optimizer } from '../autodiff/index.js';
import { loadCsv, loadDataset, type DatasetName } from '../io/datasets.js';
import { MinMaxScaler } from '../ml/data/min-max-scaler.js';
import { takeLabels, takeRows } from '../ml/data/matrix.js';
import { stratifiedSplit, trainValidationTestSplit } from '../ml/data/splits.js';
import type { Embedding } from '../ml/embeddings/embedding.js';
import { fourier, hermite, laguerre, legendre, linearComplement, polynomial, trigonometric } from '../ml/embeddings/index.js';
import { initializerFromSpec, parseInitializer } from '../ml/init/initializers.js';
import { argmaxRows } from '../ml/metrics/classification.js';
import { loadModel, saveModel } from '../ml/model-file.js';
import { parameterCount, type SupervisedModel } from '../ml/models/model.js';
import { MpoModel } from '../ml/models/mpo-model.js';
import { MpsModel } from '../ml/models/mps-model.js';
import { PepsModel } from '../ml/models/peps-model.js';
import { TreeModel } from '../ml/models/tree-model.js';
import { historyToCsv, historyToJson, type EpochRecord } from '../ml/training/history.js';
import { predictScores, productStateSource, supervisedProblem } from '../ml/training/supervised.js';
import { mpsSweepTrain } from '../ml/training/sweep-mps.js';
import { evaluate, train, type BatchSource, type TrainerCheckpoint } from '../ml/training/trainer.js';
import type { LabeledBatch } from '../ml/training/supervised.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { RUN_RECORD_VERSION, type RunRecord } from '../report/run-record.js';
import { createProgress } from './progress.js';

/** Options of `tnkit train`, as commander parses them (strings, checked by {@link runTrain}). */
export interface TrainCliOptions {
  dataset?: string;
  data?: string;
  target?: string;
  model: string;
  bondDim: string;
  embedding: string;
  init: string;
  optimizer: string;
  lr: string;
  /** constant (default) | cosine. */
  lrSchedule?: string;
  batchSize: string;
  epochs: string;
  patience: string;
  seed: string;
  dtype: string;
  classSite?: string;
  l2?: string;
  clipNorm?: string;
  monitor: string;
  resize?: string;
  save?: string;
  checkpoint?: string;
  checkpointEvery?: string;
  resume?: string;
  history?: string;
  json?: boolean;
  /** gradient (default): mini-batch gradient descent on all cores | sweep: two-site DMRG-style sweeps (MPS only). */
  trainer?: string;
}

/** What `tnkit train --json` prints. */
export interface TrainSummary {
  test_accuracy: number;
  train_accuracy: number;
  val_accuracy: number;
  seconds_per_epoch: number;
  epochs: number;
  best_epoch: number;
  stop_reason: string;
  params: number;
  samples: { train: number; validation: number; test: number };
}

const DATASETS = ['breast-cancer', 'iris', 'wine', 'mnist', 'digits'];
const MODELS = ['mps', 'tree', 'mpo', 'peps'];
const TRAINERS = ['gradient', 'sweep'];

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: '${value}' is not a positive integer`);
  return n;
}

function nonNegativeInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: '${value}' is not a non-negative integer`);
  return n;
}

function positiveNumber(value: string, flag: string, allowZero = false): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`${flag}: '${value}' is not a ${allowZero ? 'non-negative' : 'positive'} number`);
  return n;
}

/** Parses `--embedding NAME[:ARG]`: polynomial:D, trigonometric:k, fourier:p, legendre:D, hermite:D, laguerre:D, linear-complement. */
export function parseEmbedding(text: string): Embedding {
  const [name, arg] = text.split(':', 2) as [string, string | undefined];
  const n = (fallback: number): number => (arg === undefined ? fallback : positiveInt(arg, `--embedding ${name}`));
  switch (name) {
    case 'polynomial':
      return polynomial({ degree: n(2), bias: true });
    case 'trigonometric':
      return trigonometric({ k: n(1) });
    case 'fourier':
      return fourier({ p: n(2) });
    case 'legendre':
      return legendre({ degree: n(2) });
    case 'hermite':
      return hermite({ degree: n(2) });
    case 'laguerre':
      return laguerre({ degree: n(2) });
    case 'linear-complement':
      return linearComplement({});
    default:
      throw new Error(`--embedding: '${text}' is not one of polynomial:D, trigonometric:k, fourier:p, legendre:D, hermite:D, laguerre:D, linear-complement`);
  }
}

interface LoadedData {
  X: Tensor;
  y: Int32Array;
  classes: number;
  /** Image grid [rows, cols] for image data sets. */
  grid?: [number, number];
  /** A data set's own test set (MNIST's official 10k test images), used instead of a split. */
  test?: { X: Tensor; y: Int32Array };
}

function loadData(opts: TrainCliOptions, dtype: DType): LoadedData {
  if (opts.dataset !== undefined && opts.data !== undefined) throw new Error('--dataset and --data: give one of them, not both');
  let X: Tensor;
  let y: Int32Array;
  let grid: [number, number] | undefined;
  if (opts.data !== undefined) {
    if (opts.target === undefined) throw new Error('--target: required with --data (the label column)');
    ({ X, y } = loadCsv(opts.data, { target: opts.target, dtype }));
  } else {
    const name = opts.dataset ?? '';
    if (!DATASETS.includes(name)) throw new Error(`--dataset: '${name}' is not one of ${DATASETS.join(', ')} (or give --data FILE.csv --target COLUMN)`);
    if (name === 'mnist' || name === 'digits') {
      const resize = opts.resize === undefined ? (name === 'mnist' ? 14 : undefined) : positiveInt(opts.resize, '--resize');
      const options = { dtype, ...(resize === undefined ? {} : { resize }) };
      const ds = loadDataset(name as 'mnist' | 'digits', options);
      const [n, h, w] = ds.X.shape as [number, number, number];
      X = ds.X.reshape(n, h * w);
      y = ds.y;
      grid = [h, w];
      if (name === 'mnist') {
        // MNIST has an official test set: report accuracy on it, as the papers do.
        const test = loadDataset('mnist', { ...options, split: 'test' });
        const [m] = test.X.shape as [number];
        return { X, y, classes: 10, grid, test: { X: test.X.reshape(m, h * w), y: test.y } };
      }
    } else {
      ({ X, y } = loadDataset(name as DatasetName as 'iris', { dtype }));
    }
  }
  let classes = 0;
  for (const v of y) classes = Math.max(classes, v + 1);
  if (classes < 2) throw new Error('the data have fewer than two classes');
  return grid ? { X, y, classes, grid } : { X, y, classes };
}

function buildModel(opts: TrainCliOptions, sites: number, physDim: number, classes: number, dtype: DType, grid: [number, number] | undefined): SupervisedModel {
  const bondDim = positiveInt(opts.bondDim, '--bond-dim');
  const seed = nonNegativeInt(opts.seed, '--seed');
  let initSpec;
  try {
    initSpec = parseInitializer(opts.init);
  } catch (e) {
    throw new Error(`--init: ${(e as Error).message}`);
  }
  const init = initializerFromSpec(initSpec);
  const classSite = opts.classSite === undefined ? Math.floor(sites / 2) : nonNegativeInt(opts.classSite, '--class-site');
  if (classSite >= sites) throw new Error(`--class-site: ${classSite} is not a site (the data have ${sites} features)`);
  switch (opts.model) {
    case 'mps':
      return MpsModel.create({ sites, physDim, bondDim, outputDim: classes, outputSite: classSite, init, seed, dtype });
    case 'tree':
      return TreeModel.create({ sites, physDim, bondDim, outputDim: classes, init, seed, dtype });
    case 'mpo':
      return MpoModel.create({ sites, physDim, bondDim, outDims: Array.from({ length: sites }, (_, s) => (s === classSite ? classes : 1)), init, seed, dtype });
    case 'peps':
      if (!grid) throw new Error('--model peps: needs an image data set (--dataset digits or mnist)');
      return PepsModel.create({ grid, physDim, bondDim, outputDim: classes, init, seed, dtype });
    default:
      throw new Error(`--model: '${opts.model}' is not one of ${MODELS.join(', ')}`);
  }
}

function accuracyOf(model: SupervisedModel, X: Tensor, y: Int32Array, embedding: Embedding): number {
  if (y.length === 0) return NaN;
  const pred = argmaxRows(predictScores(model, X, embedding));
  let hits = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === y[i]) hits++;
  return hits / y.length;
}

/** Rejects options the sweep trainer cannot honour, naming the flag. */
function checkSweepOptions(opts: TrainCliOptions): void {
  if (opts.model !== 'mps') throw new Error(`--trainer sweep: only --model mps is supported, got '${opts.model}'`);
  if (opts.optimizer !== 'adam') throw new Error(`--trainer sweep: the local step is Adam; --optimizer '${opts.optimizer}' is not supported`);
  if ((opts.lrSchedule ?? 'constant') !== 'constant') throw new Error(`--trainer sweep: --lr-schedule '${opts.lrSchedule}' is not supported (constant only)`);
  for (const [flag, value] of [['--l2', opts.l2], ['--clip-norm', opts.clipNorm], ['--checkpoint-every', opts.checkpointEvery], ['--resume', opts.resume]] as const) {
    if (value !== undefined) throw new Error(`--trainer sweep: ${flag} is not supported`);
  }
}

interface SweepTrainOptions {
  sweeps: number;
  maxBond: number;
  lr: number;
  batchSize: number;
  seed: number;
  monitor: string;
  patience?: number;
  onSweep?: (sweep: number, record: EpochRecord) => void;
}

/**
 * Sweep training with the gradient trainer's bookkeeping: one call of {@link mpsSweepTrain}
 * per sweep (its shuffle seeded by (seed, sweep)), validation after each sweep, early stopping
 * on `monitor` with `patience`, and the best sweep's cores restored.
 */
function sweepTrain(model: MpsModel, x: Tensor, labels: Int32Array, validation: BatchSource<LabeledBatch>, options: SweepTrainOptions): {
  params: Tensor[]; history: EpochRecord[]; bestEpoch: number; epochs: number; stopReason: string; secondsPerEpoch: number;
} {
  const mode = options.monitor.endsWith('loss') ? 'min' : 'max';
  let cores = [...model.params];
  let best: { sweep: number; value: number; cores: Tensor[] } | null = null;
  let wait = 0;
  let seconds = 0;
  let sweep = 0;
  let stopReason = 'completed';
  const history: EpochRecord[] = [];
  while (sweep < options.sweeps && stopReason === 'completed') {
    sweep++;
    const current = MpsModel.fromCores(cores, model.outputSite, model.bondDim);
    const result = mpsSweepTrain(current, x, labels, {
      schedule: [{ maxBond: options.maxBond, lr: options.lr }], sweeps: 1, batchSize: options.batchSize,
      seed: (Math.imul(options.seed | 0, 7919) + sweep) | 0,
    });
    cores = result.cores;
    seconds += result.secondsPerSweep;
    const record: EpochRecord = { epoch: sweep, loss: result.history[0]! };
    const trained = MpsModel.fromCores(cores, model.outputSite, model.bondDim);
    for (const [k, v] of Object.entries(evaluate(supervisedProblem(trained), cores, validation, Math.max(options.batchSize, 256)))) record[`val_${k}`] = v;
    record['seconds'] = result.secondsPerSweep;
    history.push(record);
    const value = record[options.monitor];
    if (value === undefined) throw new Error(`--monitor: '${options.monitor}' is not among the recorded figures (${Object.keys(record).join(', ')})`);
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

/**
 * Runs `tnkit train`: loads and splits the data (80/20 stratified test split, then 80/20
 * train/validation, fixed by the seed; 364/91/114 for breast cancer), min-max scales with
 * the training part, embeds, trains with early stopping, and reports accuracies.
 */
export function runTrain(opts: TrainCliOptions, onEpoch?: (epoch: number, epochs: number, label: string) => void): { summary: TrainSummary; record: RunRecord } {
  const startedAt = new Date().toISOString();
  if (opts.dtype !== 'f32' && opts.dtype !== 'f64') throw new Error(`--dtype: '${opts.dtype}' is not one of f32, f64`);
  const dtype = opts.dtype;
  if (!MODELS.includes(opts.model)) throw new Error(`--model: '${opts.model}' is not one of ${MODELS.join(', ')}`);
  if (opts.optimizer !== 'adam' && opts.optimizer !== 'sgd') throw new Error(`--optimizer: '${opts.optimizer}' is not one of adam, sgd`);
  const lr = positiveNumber(opts.lr, '--lr');
  const batchSize = positiveInt(opts.batchSize, '--batch-size');
  const epochs = positiveInt(opts.epochs, '--epochs');
  const patience = nonNegativeInt(opts.patience, '--patience');
  const seed = nonNegativeInt(opts.seed, '--seed');
  const l2 = opts.l2 === undefined ? 0 : positiveNumber(opts.l2, '--l2', true);
  const clipNorm = opts.clipNorm === undefined ? undefined : positiveNumber(opts.clipNorm, '--clip-norm');
  const checkpointEvery = opts.checkpointEvery === undefined ? undefined : positiveInt(opts.checkpointEvery, '--checkpoint-every');
  if (opts.history !== undefined && !/\.(csv|json)$/i.test(opts.history)) throw new Error(`--history: '${opts.history}' must end in .csv or .json`);
  const embedding = parseEmbedding(opts.embedding);
  const trainer = opts.trainer ?? 'gradient';
  if (!TRAINERS.includes(trainer)) throw new Error(`--trainer: '${trainer}' is not one of ${TRAINERS.join(', ')}`);
  if (trainer === 'sweep') checkSweepOptions(opts);

  const data = loadData(opts, dtype);
  // With an official test set, the training images are split 90/10 into train and
  // validation; otherwise 80/20 test, then 80/20 validation (the tn4ml protocol).
  const split = data.test
    ? (({ train, test }) => ({ train, validation: test, test: new Int32Array(0) }))(stratifiedSplit(data.y, { testFraction: 0.1, seed }))
    : trainValidationTestSplit(data.y, { testFraction: 0.2, validationFraction: 0.2, stratify: true, seed });
  // Pixels are already in [0, 1]; a per-pixel min-max would blow up faint, rarely inked pixels.
  const scaler = data.grid ? undefined : new MinMaxScaler({ clip: true }).fit(takeRows(data.X, split.train));
  const X = (scaler ? scaler.transform(data.X) : data.X).astype(dtype);
  const part = (idx: Int32Array): { X: Tensor; y: Int32Array } => ({ X: takeRows(X, idx), y: takeLabels(data.y, idx) });
  const trainPart = part(split.train);
  const valPart = part(split.validation);
  const testPart = data.test ? { X: data.test.X.astype(dtype), y: data.test.y } : part(split.test);
  const sites = embedding.siteDims(X.shape[1]!).length;
  const physDim = Math.max(...embedding.siteDims(X.shape[1]!));
  const model = buildModel(opts, sites, physDim, data.classes, dtype, data.grid);

  let resume: TrainerCheckpoint | undefined;
  if (opts.resume !== undefined) {
    const file = loadModel(opts.resume);
    if (!file.checkpoint) throw new Error(`--resume: ${opts.resume} holds no trainer checkpoint`);
    resume = file.checkpoint;
  }
  const schedule = opts.lrSchedule ?? 'constant';
  if (schedule !== 'constant' && schedule !== 'cosine') throw new Error(`--lr-schedule: '${schedule}' is not one of constant, cosine`);
  // Cosine decay to lr/100 over the whole run smooths the late epochs (MNIST: 0.95 → 0.96).
  const rate = schedule === 'cosine'
    ? cosineDecay(lr, { totalSteps: epochs * Math.ceil(split.train.length / batchSize), minLr: lr / 100 })
    : lr;
  const optimizer = (opts.optimizer === 'adam' ? adam({ lr: rate }) : sgd({ lr: rate })) as Optimizer<unknown>;
  const checkpointPath = opts.checkpoint ?? 'checkpoint.tnk';
  const trainSource = productStateSource(trainPart.X, embedding, { labels: trainPart.y });
  const valSource = productStateSource(valPart.X, embedding, { labels: valPart.y });
  const result = trainer === 'sweep' ? sweepTrain(model as MpsModel, embedding.embed(trainPart.X, { dtype }), trainPart.y, valSource, {
    sweeps: epochs, maxBond: positiveInt(opts.bondDim, '--bond-dim'), lr, batchSize, seed, monitor: opts.monitor,
    ...(patience > 0 ? { patience } : {}),
    onSweep: (sweep, record) => {
      const metric = record['val_accuracy'] === undefined ? '' : `, val_accuracy ${record['val_accuracy'].toFixed(4)}`;
      onEpoch?.(sweep, epochs, `sweep ${sweep}, loss ${record['loss']!.toFixed(4)}${metric}`);
    },
  }) : train(supervisedProblem(model, { l2 }), trainSource, {
    epochs, batchSize, seed, optimizer, dtype,
    validation: valSource,
    monitor: opts.monitor,
    ...(patience > 0 ? { patience } : {}),
    ...(clipNorm === undefined ? {} : { clipNorm }),
    ...(resume === undefined ? {} : { resume }),
    ...(checkpointEvery === undefined ? {} : {
      checkpointEvery,
      onCheckpoint: (cp: TrainerCheckpoint) => saveModel(checkpointPath, { model: model.withParams(cp.params), embedding, ...(scaler ? { scaler } : {}), history: cp.history, checkpoint: cp }),
    }),
    onEpoch: ({ epoch, epochs: total, record }) => {
      const metric = record['val_accuracy'] === undefined ? '' : `, val_accuracy ${record['val_accuracy'].toFixed(4)}`;
      onEpoch?.(epoch, total, `epoch ${epoch}, loss ${record['loss']!.toFixed(4)}${metric}`);
    },
  });
  // Sweeps may leave a bond below --bond-dim (the SVD rank), so rebuild the chain from its cores.
  const trained = trainer === 'sweep' ? MpsModel.fromCores(result.params, (model as MpsModel).outputSite, (model as MpsModel).bondDim) : model.withParams(result.params);
  if (opts.save !== undefined) {
    saveModel(opts.save, { model: trained, embedding, ...(scaler ? { scaler } : {}), history: result.history, metadata: { command: 'tnkit train', options: opts } });
  }
  if (opts.history !== undefined) {
    writeFileSync(opts.history, opts.history.toLowerCase().endsWith('.csv') ? historyToCsv(result.history) : historyToJson(result.history));
  }
  const summary: TrainSummary = {
    test_accuracy: accuracyOf(trained, testPart.X, testPart.y, embedding),
    train_accuracy: accuracyOf(trained, trainPart.X, trainPart.y, embedding),
    val_accuracy: accuracyOf(trained, valPart.X, valPart.y, embedding),
    seconds_per_epoch: result.secondsPerEpoch,
    epochs: result.epochs,
    best_epoch: result.bestEpoch,
    stop_reason: result.stopReason,
    params: parameterCount(trained),
    samples: { train: split.train.length, validation: split.validation.length, test: testPart.y.length },
  };
  const record: RunRecord = {
    version: RUN_RECORD_VERSION, kind: 'train', startedAt,
    title: `${opts.model.toUpperCase()} classifier on ${opts.dataset ?? opts.data}`,
    summary: { ...summary }, history: result.history,
  };
  return { summary, record };
}

/** Registers `tnkit train` on the program. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a tensor-network classifier (MPS, tree, MPO, PEPS) on a data set and report accuracy')
    .option('--dataset <name>', `built-in data set: ${DATASETS.join(' | ')}`)
    .option('--data <file.csv>', 'a CSV file with a header row (use with --target)')
    .option('--target <column>', 'the label column of --data')
    .option('--model <kind>', MODELS.join(' | '), 'mps')
    .option('--bond-dim <n>', 'maximum bond dimension', '20')
    .option('--embedding <name:arg>', 'polynomial:D | trigonometric:k | fourier:p | legendre:D | hermite:D | laguerre:D | linear-complement', 'polynomial:2')
    .option('--init <name[:std]>', 'core initializer: identity:STD | normal:STD | isometric | gram-schmidt', 'identity:0.01')
    .option('--optimizer <name>', 'adam | sgd', 'adam')
    .option('--lr <rate>', 'learning rate', '1e-3')
    .option('--lr-schedule <kind>', 'constant | cosine (decay to lr/100 over the run)', 'constant')
    .option('--batch-size <n>', 'mini-batch size', '32')
    .option('--epochs <n>', 'maximum epochs', '60')
    .option('--patience <n>', 'early-stopping patience in epochs (0: off)', '10')
    .option('--monitor <key>', 'figure watched for early stopping: val_loss | val_accuracy | loss', 'val_loss')
    .option('--seed <n>', 'seed of the split, the initial cores and the shuffles', '0')
    .option('--dtype <dtype>', 'f64 | f32', 'f64')
    .option('--class-site <n>', 'site carrying the class index (default: the middle)')
    .option('--l2 <lambda>', 'L2 penalty on the cores')
    .option('--clip-norm <n>', 'clip the global gradient norm')
    .option('--resize <side>', 'image data sets: resize to side×side (mnist default 14)')
    .option('--save <file.tnk>', 'write the trained model (cores, embedding, scaler, history)')
    .option('--checkpoint <file.tnk>', 'checkpoint file written by --checkpoint-every', 'checkpoint.tnk')
    .option('--checkpoint-every <n>', 'write a resumable checkpoint every n epochs')
    .option('--resume <file.tnk>', 'continue from a checkpoint (same data options and seed)')
    .option('--history <file>', 'write the per-epoch history as .csv or .json')
    .option('--trainer <kind>', 'gradient (all cores, --optimizer) | sweep (MPS only: two-site sweeps, --epochs sweeps, --bond-dim max bond, --lr local Adam step)', 'gradient')
    .option('--json', 'print the summary as JSON on stdout')
    .action((opts: TrainCliOptions) => {
      const progress = createProgress();
      let summary: TrainSummary;
      try {
        ({ summary } = runTrain(opts, (epoch, epochs, label) => progress.update(epoch, epochs, label)));
      } finally {
        progress.stop();
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary) + '\n');
        return;
      }
      console.log(`test accuracy   ${(100 * summary.test_accuracy).toFixed(2)}%`);
      console.log(`train accuracy  ${(100 * summary.train_accuracy).toFixed(2)}%`);
      console.log(`epochs          ${summary.epochs} (best ${summary.best_epoch}, ${summary.stop_reason})`);
      console.log(`s/epoch         ${summary.seconds_per_epoch.toFixed(4)}`);
      console.log(`parameters      ${summary.params}`);
    });
}
