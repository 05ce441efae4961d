import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { Classifier, ResumeMismatchError, type ClassifierOptions } from '../estimators/classifier.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { loadCsv, loadDataset, type DatasetName } from '../io/datasets.js';
import { takeLabels, takeRows } from '../ml/data/matrix.js';
import { stratifiedSplit, trainValidationTestSplit } from '../ml/data/splits.js';
import { EMBEDDING_SPECS, parseEmbedding } from '../ml/embeddings/parse-spec.js';
import { decodeModel } from '../ml/model-file.js';
import { historyToCsv, historyToJson } from '../ml/training/history.js';
import type { TrainerCheckpoint } from '../ml/training/trainer.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { RUN_RECORD_VERSION, type RunRecord } from '../report/run-record.js';
import { checkOutputDir, checkOutputFile } from '../io/output-file.js';
import { writeReport } from '../io/report-file.js';
import { commandLine } from './run-records.js';
import { flagOf, withFlagNames } from './estimator-flags.js';
import { nonNegativeInt, passesFlag, positiveInt, positiveNumber } from './parse.js';
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
  /** Gradient trainer: epochs (default 60). */
  epochs?: string;
  /** Sweep trainer: sweeps (default 60). */
  sweeps?: string;
  patience: string;
  seed: string;
  dtype: string;
  outputSite?: string;
  l2?: string;
  clipNorm?: string;
  monitor: string;
  resize?: string;
  save?: string;
  checkpoint?: string;
  checkpointEvery?: string;
  resume?: string;
  history?: string;
  /** Write an HTML report (index.html, run.json) into this folder. */
  report?: string;
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

interface LoadedData {
  X: Tensor;
  y: Int32Array;
  classes: number;
  /** Image grid [rows, cols] for image data sets. */
  grid?: [number, number];
  /** A data set's own test set (MNIST's official 10k test images), used instead of a split. */
  test?: { X: Tensor; y: Int32Array };
  /** The feature columns' names (CSV data). */
  featureNames?: string[];
  /** The label of each class, when the CSV's labels are names (class k is classNames[k]). */
  classNames?: string[];
}

function loadData(opts: TrainCliOptions, dtype: DType): LoadedData {
  if (opts.dataset !== undefined && opts.data !== undefined) throw new Error('--dataset and --data: give one of them, not both');
  let X: Tensor;
  let y: Int32Array;
  let grid: [number, number] | undefined;
  let featureNames: string[] | undefined;
  let classNames: string[] | undefined;
  if (opts.data !== undefined) {
    if (opts.target === undefined) throw new Error('--target: required with --data (the label column)');
    const table = loadCsv(opts.data, { target: opts.target, dtype });
    ({ X, y } = table);
    featureNames = table.featureNames;
    classNames = table.classNames;
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
      ({ X, y, featureNames } = loadDataset(name as DatasetName as 'iris', { dtype }));
    }
  }
  let classes = classNames?.length ?? 0;
  for (const v of y) classes = Math.max(classes, v + 1);
  if (classes < 2) throw new Error(`${dataSource(opts)}: the labels have fewer than two classes (${classes === 1 ? 'every row has the same label' : 'no row'}); a classifier needs at least two`);
  return { X, y, classes, ...(grid ? { grid } : {}), ...(featureNames ? { featureNames } : {}), ...(classNames ? { classNames } : {}) };
}

/** How the data were named on the command line, for errors about them. */
function dataSource(opts: TrainCliOptions): string {
  return opts.data !== undefined ? `--data ${opts.data}` : `--dataset ${opts.dataset}`;
}

/** The Classifier's options from the flags, with errors naming the flag. */
function classifierOptions(opts: TrainCliOptions, dtype: DType): ClassifierOptions {
  const schedule = opts.lrSchedule ?? 'constant';
  const trainer = opts.trainer ?? 'gradient';
  const options: ClassifierOptions = {
    model: opts.model as NonNullable<ClassifierOptions['model']>,
    bondDim: positiveInt(opts.bondDim, '--bond-dim'),
    embedding: parseEmbedding(opts.embedding, '--embedding'),
    epochs: passesFlag(trainer, opts.epochs, opts.sweeps, '60'),
    batchSize: positiveInt(opts.batchSize, '--batch-size'),
    lr: positiveNumber(opts.lr, '--lr'),
    lrSchedule: schedule as NonNullable<ClassifierOptions['lrSchedule']>,
    optimizer: opts.optimizer as NonNullable<ClassifierOptions['optimizer']>,
    seed: nonNegativeInt(opts.seed, '--seed'),
    dtype,
    patience: nonNegativeInt(opts.patience, '--patience'),
    monitor: opts.monitor,
    l2: opts.l2 === undefined ? 0 : positiveNumber(opts.l2, '--l2', true),
    init: opts.init,
    trainer: trainer as NonNullable<ClassifierOptions['trainer']>,
  };
  if (opts.outputSite !== undefined) options.outputSite = nonNegativeInt(opts.outputSite, '--output-site');
  if (opts.clipNorm !== undefined) options.clipNorm = positiveNumber(opts.clipNorm, '--clip-norm');
  return options;
}

/**
 * Runs `tnkit train`: loads and splits the data (80/20 stratified test split, then 80/20
 * train/validation, fixed by the seed; 364/91/114 for breast cancer), and fits a
 * {@link Classifier} (which min-max scales with the training part, embeds and trains with
 * early stopping); reports accuracies. Every flag and output path is checked before the
 * data are loaded.
 */
export function runTrain(opts: TrainCliOptions, onEpoch?: (epoch: number, epochs: number, label: string) => void): { summary: TrainSummary; record: RunRecord } {
  const startedAt = new Date().toISOString();
  if (opts.dtype !== 'f32' && opts.dtype !== 'f64') throw new Error(`--dtype: '${opts.dtype}' is not one of f32, f64`);
  const dtype = opts.dtype;
  const checkpointEvery = opts.checkpointEvery === undefined ? undefined : positiveInt(opts.checkpointEvery, '--checkpoint-every');
  if (opts.history !== undefined && !/\.(csv|json)$/i.test(opts.history)) throw new Error(`--history: '${opts.history}' must end in .csv or .json`);
  const options = classifierOptions(opts, dtype);
  if (options.trainer === 'sweep') {
    for (const [flag, value] of [['--checkpoint-every', opts.checkpointEvery], ['--resume', opts.resume]] as const) {
      if (value !== undefined) throw new Error(`--trainer: sweep: ${flag} is not supported`);
    }
  }
  // Unknown names, sweep conflicts, a bad --init: all before any data are read.
  const clf = withFlagNames(() => new Classifier(options));
  // --checkpoint only names the file --checkpoint-every writes: alone it would write nothing.
  if (opts.checkpoint !== undefined && checkpointEvery === undefined) throw new Error(`--checkpoint ${opts.checkpoint}: checkpoints are written only with --checkpoint-every N; add it (or drop --checkpoint)`);
  const checkpointPath = opts.checkpoint ?? 'checkpoint.tnk';
  const outputs: [string, string][] = [];
  if (opts.save !== undefined) outputs.push(['--save', opts.save]);
  if (opts.history !== undefined) outputs.push(['--history', opts.history]);
  if (checkpointEvery !== undefined) outputs.push(['--checkpoint', checkpointPath]);
  for (const [flag, path] of outputs) checkOutputFile(flag, path);
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      const [a, pa] = outputs[i]!;
      const [b, pb] = outputs[j]!;
      if (resolvePath(pa) === resolvePath(pb)) throw new Error(`${a} ${pa} and ${b} ${pb}: the same file; give each its own path`);
    }
    // An output over the input data would destroy it (a checkpoint may be continued in place).
    const [flag, path] = outputs[i]!;
    if (opts.data !== undefined && resolvePath(path) === resolvePath(opts.data)) throw new Error(`${flag} ${path}: is the --data file; give another path`);
  }
  if (opts.report !== undefined) checkOutputDir('--report', opts.report);
  let resume: TrainerCheckpoint | undefined;
  if (opts.resume !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(opts.resume));
    } catch (e) {
      throw new Error(`--resume: cannot read ${opts.resume}: ${(e as Error).message}`);
    }
    const file = decodeModel(bytes, opts.resume);
    if (!file.checkpoint) throw new Error(`--resume: ${opts.resume} holds no trainer checkpoint (write one with --checkpoint-every N)`);
    resume = file.checkpoint;
    if (resume.epoch >= options.epochs!) {
      throw new Error(`--epochs ${options.epochs}: the checkpoint ${opts.resume} is already at epoch ${resume.epoch}; give --epochs greater than ${resume.epoch} to train further`);
    }
    // Checkpoints written before they recorded their inputs cannot be checked: say so once.
    if (resume.inputs === undefined) process.stderr.write(`tnkit: warning: --resume ${opts.resume}: the checkpoint does not record its data and settings (an older file), so they are not checked; resume with the same data and flags it was made with\n`);
  }

  const data = loadData(opts, dtype);
  const seed = clf.options.seed;
  // With an official test set, the training images are split 90/10 into train and
  // validation; otherwise 80/20 test, then 80/20 validation (the tn4ml protocol).
  let split: { train: Int32Array; validation: Int32Array; test: Int32Array };
  try {
    split = data.test
      ? (({ train, test }) => ({ train, validation: test, test: new Int32Array(0) }))(stratifiedSplit(data.y, { testFraction: 0.1, seed }))
      : trainValidationTestSplit(data.y, { testFraction: 0.2, validationFraction: 0.2, stratify: true, seed });
  } catch (error) {
    throw new Error(`${dataSource(opts)}: ${data.y.length} rows are too few to split into train, validation (20 %) and test (20 %) parts with every class in each: ${(error as Error).message}`, { cause: error });
  }
  const part = (idx: Int32Array): { X: Tensor; y: Int32Array } => ({ X: takeRows(data.X, idx), y: takeLabels(data.y, idx) });
  const trainPart = part(split.train);
  const valPart = part(split.validation);
  const testPart = data.test ? { X: data.test.X.astype(dtype), y: data.test.y } : part(split.test);
  // Pixels are already in [0, 1]; a per-pixel min-max would blow up faint, rarely inked pixels.
  const fitted = withFlagNames(() => new Classifier({ ...options, scaler: data.grid ? 'none' : 'minmax', ...(data.grid ? { grid: data.grid } : {}) }));
  const epochs = fitted.options.epochs;
  const verb = fitted.options.trainer === 'sweep' ? 'sweep' : 'epoch';
  withResumeFlags(opts.resume, () => fitted.fit(trainPart.X, trainPart.y, {
    validation: valPart,
    ...(data.featureNames ? { featureNames: data.featureNames } : {}),
    ...(data.classNames ? { classNames: data.classNames } : {}),
    ...(resume === undefined ? {} : { resume }),
    ...(checkpointEvery === undefined ? {} : { checkpoint: { every: checkpointEvery, onCheckpoint: (bytes: Uint8Array) => writeFileAtomic(checkpointPath, bytes) } }),
    onEpoch: (record) => {
      const metric = record['val_accuracy'] === undefined ? '' : `, val_accuracy ${record['val_accuracy'].toFixed(4)}`;
      onEpoch?.(record.epoch, epochs, `${verb} ${record.epoch}, loss ${record['loss']!.toFixed(4)}${metric}`);
    },
  }));
  const history = fitted.history;
  if (opts.save !== undefined) {
    fitted.metadata = { command: 'tnkit train', options: opts };
    writeFileAtomic(opts.save, fitted.toBytes());
  }
  if (opts.history !== undefined) {
    writeFileAtomic(opts.history, opts.history.toLowerCase().endsWith('.csv') ? historyToCsv(history) : historyToJson(history));
  }
  const fit = fitted.fitSummary!;
  const accuracy = (p: { X: Tensor; y: Int32Array }): number => (p.y.length === 0 ? NaN : fitted.score(p.X, p.y));
  const summary: TrainSummary = {
    test_accuracy: accuracy(testPart),
    train_accuracy: accuracy(trainPart),
    val_accuracy: accuracy(valPart),
    seconds_per_epoch: fit.secondsPerEpoch,
    epochs: fit.epochs,
    best_epoch: fit.bestEpoch,
    stop_reason: fit.stopReason,
    params: fit.params,
    samples: { train: split.train.length, validation: split.validation.length, test: testPart.y.length },
  };
  const record: RunRecord = {
    version: RUN_RECORD_VERSION, kind: 'train', startedAt,
    title: `${opts.model.toUpperCase()} classifier on ${opts.dataset ?? opts.data}`,
    summary: { ...summary }, history,
  };
  return { summary, record };
}

/** The flag (or what) each checkpoint input comes from, for resume errors. */
const INPUT_FLAGS: Record<string, string> = {
  features: 'features (data columns)', classes: 'classes', classNames: 'class names', grid: 'image size (--resize)', scaler: 'feature scaling',
  data: 'training data (sha256)',
};

/**
 * Runs `fn` (a fit) with the estimator's errors naming flags; a checkpoint made with other
 * inputs is reported flag by flag, the checkpoint's value against this run's.
 */
function withResumeFlags<T>(resumePath: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ResumeMismatchError)) return withFlagNames(() => { throw e; });
    const parts = e.differences.map((d) => {
      const name = INPUT_FLAGS[d.key] ?? flagOf(d.key);
      const show = (v: unknown): string => (d.key === 'data' ? `${String(v).slice(0, 12)}…` : v === null ? 'none' : String(v));
      return `${name} ${show(d.checkpoint)} in the checkpoint, ${show(d.run)} in this run`;
    });
    const data = e.differences.some((d) => d.key === 'data') ? '; the same --dataset or --data, --resize and --seed' : '';
    throw new Error(`--resume ${resumePath}: the checkpoint was made from other inputs: ${parts.join('; ')}. Give the flags it was made with${data}, or train afresh without --resume`, { cause: e });
  }
}

/** Registers `tnkit train` on the program. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a tensor-network classifier (MPS, tree, MPO, PEPS) on a data set and report accuracy')
    .option('--dataset <name>', `shipped data set: ${DATASETS.join(' | ')} (or --data)`)
    .option('--data <file.csv>', 'a CSV file with a header row (use with --target)')
    .option('--target <column>', 'the label column of --data: integer classes, or names (classes numbered in their sorted order, kept in the model for tnkit predict)')
    .option('--model <kind>', MODELS.join(' | '), 'mps')
    .option('--bond-dim <n>', 'bond dimension the network is built with (the sweep trainer caps its splits at it)', '20')
    .option('--embedding <name:arg>', EMBEDDING_SPECS.replaceAll(', ', ' | '), 'polynomial:2')
    .option('--init <name[:std]>', 'core initializer: identity:STD | normal:STD | isometric | gram-schmidt', 'identity:0.01')
    .option('--optimizer <name>', 'adam | sgd', 'adam')
    .option('--lr <rate>', 'learning rate', '1e-3')
    .option('--lr-schedule <kind>', 'constant | cosine (decay to lr/100 over the run)', 'constant')
    .option('--batch-size <n>', 'mini-batch size', '32')
    .option('--epochs <n>', 'maximum epochs of the gradient trainer (default 60)')
    .option('--sweeps <n>', 'maximum sweeps of the sweep trainer (default 60)')
    .option('--patience <n>', 'early-stopping patience in epochs (0: off)', '10')
    .option('--monitor <key>', 'figure watched for early stopping: val_loss | val_accuracy | loss', 'val_loss')
    .option('--seed <n>', 'seed of the split, the initial cores and the shuffles', '0')
    .option('--dtype <dtype>', 'f64 | f32', 'f64')
    .option('--output-site <n>', 'site carrying the class index (default: the middle)')
    .option('--l2 <lambda>', 'L2 penalty on the cores (default: 0)')
    .option('--clip-norm <n>', 'clip the global gradient norm (default: off)')
    .option('--resize <side>', 'image data sets: resize to side×side (mnist default 14)')
    .option('--save <file.tnk>', 'write the trained model (cores, embedding, scaler, history; tnkit predict reads it)')
    .option('--checkpoint <file.tnk>', 'checkpoint file written by --checkpoint-every (default: checkpoint.tnk)')
    .option('--checkpoint-every <n>', 'write a resumable checkpoint every n epochs')
    .option('--resume <file.tnk>', 'continue from a checkpoint: the same data and flags it was made with (checked) and an --epochs above its epoch')
    .option('--history <file>', 'write the per-epoch history as .csv or .json')
    .option('--trainer <kind>', 'gradient (all cores, --optimizer) | sweep (MPS only: two-site sweeps, --sweeps N, --bond-dim caps each split (its maxRank), --lr local Adam step)', 'gradient')
    .option('--report <dir>', 'write an HTML report (index.html with the training curves, run.json) into DIR')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (opts: TrainCliOptions) => {
      const progress = createProgress();
      let summary: TrainSummary;
      let record: RunRecord;
      try {
        ({ summary, record } = runTrain(opts, (epoch, epochs, label) => progress.update(epoch, epochs, label)));
      } finally {
        progress.stop();
      }
      record.command = commandLine();
      if (opts.report !== undefined) process.stderr.write(`report: ${await writeReport(opts.report, record)}\n`);
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
