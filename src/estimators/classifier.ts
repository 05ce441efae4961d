import { adam, cosineDecay, sgd, type Optimizer } from '../autodiff/index.js';
import { MinMaxScaler } from '../ml/data/min-max-scaler.js';
import type { StandardScaler } from '../ml/data/standard-scaler.js';
import { takeLabels, takeRows } from '../ml/data/matrix.js';
import { encodeClassLabels } from '../ml/data/class-labels.js';
import { stratifiedSplit, type TrainTestIndices } from '../ml/data/splits.js';
import type { Embedding } from '../ml/embeddings/embedding.js';
import { parseEmbedding } from '../ml/embeddings/parse-spec.js';
import { initializerFromSpec, parseInitializer } from '../ml/init/initializers.js';
import { accuracy, argmaxRows } from '../ml/metrics/classification.js';
import { decodeModel, encodeModel, readModelBytes, writeModelBytes } from '../ml/model-file.js';
import { parameterCount, type SupervisedModel } from '../ml/models/model.js';
import { MpoModel } from '../ml/models/mpo-model.js';
import { MpsModel } from '../ml/models/mps-model.js';
import { PepsModel } from '../ml/models/peps-model.js';
import { TreeModel } from '../ml/models/tree-model.js';
import type { EpochRecord } from '../ml/training/history.js';
import { mpsSweepFit } from '../ml/training/sweep-mps-fit.js';
import { predictScores, productStateSource, supervisedProblem } from '../ml/training/supervised.js';
import { inputDifferences, sha256Hex, type CheckpointInputs, type InputDifference } from '../ml/training/checkpoint-inputs.js';
import { train, type TrainerCheckpoint } from '../ml/training/trainer.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { labelArray, sampleMatrix, type SampleInput } from './inputs.js';
import { choiceOption, EstimatorOptionError, intOption, numberOption } from './option-error.js';

/** The classifier's network kinds. */
export type ClassifierModelKind = 'mps' | 'tree' | 'mpo' | 'peps';
const MODELS: readonly ClassifierModelKind[] = ['mps', 'tree', 'mpo', 'peps'];

/**
 * Options of {@link Classifier}; the names are the `tnkit train` flags in camelCase, and so
 * are the defaults. The embedding fixes the physical dimension of the network.
 */
export interface ClassifierOptions {
  /** Network: mps (default), tree, mpo or peps (peps needs images: X `[n, h, w]` or `grid`). */
  model?: ClassifierModelKind;
  /** Bond dimension the network is built with (default 20); the sweep trainer caps every split at it (its `maxRank`). */
  bondDim?: number;
  /** An Embedding or a spec such as 'polynomial:2' (default), 'trigonometric:1', 'legendre:3'. */
  embedding?: Embedding | string;
  /** Maximum epochs (sweeps with trainer 'sweep'; default 60). */
  epochs?: number;
  /** Mini-batch size (default 32). */
  batchSize?: number;
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** constant (default) | cosine: decay to lr/100 over the run. */
  lrSchedule?: 'constant' | 'cosine';
  /** adam (default) | sgd. */
  optimizer?: 'adam' | 'sgd';
  /** Seed of the initial cores, the shuffles and a fractional validation split (default 0). */
  seed?: number;
  /** f64 (default) | f32. */
  dtype?: DType;
  /** Early-stopping patience in epochs; 0 turns it off (default 10). */
  patience?: number;
  /** Figure watched for early stopping and best weights: val_loss (default with validation data), val_accuracy, loss (default without). */
  monitor?: string;
  /** Site carrying the class index (mps, mpo; default the middle). */
  outputSite?: number;
  /** L2 penalty on the cores (default 0). */
  l2?: number;
  /** Clip the global gradient norm to this value (default: no clipping). */
  clipNorm?: number;
  /** Core initializer: identity:STD (default identity:0.01), normal:STD, isometric, gram-schmidt. */
  init?: string;
  /** gradient (default: mini-batch descent on all cores) | sweep (MPS only: two-site DMRG-style sweeps). */
  trainer?: 'gradient' | 'sweep';
  /**
   * Feature scaling fitted on the training part: minmax (to [0, 1], clipped), none, or auto
   * (default: minmax unless every training value already lies in [0, 1], as pixels do).
   */
  scaler?: 'minmax' | 'none' | 'auto';
  /** Image grid [rows, cols] of the features (peps; taken from X when X is `[n, rows, cols]`). */
  grid?: [number, number];
}

/** Class labels: integers 0…k−1, or names (strings) that become classes in sorted order. */
export type ClassLabels = ArrayLike<number> | readonly string[];

/** Labelled samples: features `[n, features]` and class labels. */
export interface LabelledSamples {
  X: SampleInput;
  y: ClassLabels;
}

/** Options of {@link Classifier.fit}. */
export interface ClassifierFitOptions {
  /** Held-out data for early stopping: a fraction of the training samples (stratified, split with the seed) or given samples. */
  validation?: number | LabelledSamples;
  /** Called after every epoch with its figures (loss, val_loss, val_accuracy, seconds…). */
  onEpoch?: (record: EpochRecord) => void;
  /** Every `every` epochs, `onCheckpoint` gets a resumable model file (bytes; write them with the io layer or `saveModel`) and the trainer state. Gradient trainer only. */
  checkpoint?: {
    /** Epochs between checkpoints. */
    every: number;
    /** Receives the model file bytes and the trainer state. */
    onCheckpoint: (bytes: Uint8Array, checkpoint: TrainerCheckpoint) => void;
  };
  /** Continue from a checkpoint (same data, options and seed give the run an uninterrupted one would). Gradient trainer only. */
  resume?: TrainerCheckpoint;
  /** Names of the feature columns, stored with the model (a CSV's header). */
  featureNames?: readonly string[];
  /**
   * Names of the classes when the integer labels stand for names (class k is
   * `classNames[k]`, e.g. from a CSV's string labels); saved with the model. Labels given
   * as strings set them by themselves.
   */
  classNames?: readonly string[];
}

/** How the last {@link Classifier.fit} went. */
export interface ClassifierFitSummary {
  /** Epochs (or sweeps) run, counting those before a resume. */
  epochs: number;
  /** The epoch whose weights were kept. */
  bestEpoch: number;
  stopReason: string;
  secondsPerEpoch: number;
  /** Scalar parameters of the trained network. */
  params: number;
  samples: { train: number; validation: number };
}

/** The options as resolved (defaults filled in, embedding built). */
export type ResolvedClassifierOptions = Required<Omit<ClassifierOptions, 'embedding' | 'outputSite' | 'clipNorm' | 'grid' | 'monitor'>> & {
  embedding: Embedding;
  outputSite?: number;
  clipNorm?: number;
  grid?: [number, number];
  monitor?: string;
};

/** What a saved classifier keeps beside the network, embedding, scaler and history. */
interface ClassifierMetadata {
  options: Omit<ResolvedClassifierOptions, 'embedding'>;
  classes: number;
  features: number;
  featureNames?: string[];
  /** The original label of each class (string labels); absent for numeric labels and in older files. */
  classNames?: string[];
}

const WHO = 'Classifier';

/** The metadata key a classifier's model file holds its settings under. */
export const CLASSIFIER_METADATA_KEY = 'tnkit_classifier';

function resolve(options: ClassifierOptions): ResolvedClassifierOptions {
  if (options === null || typeof options !== 'object') throw new EstimatorOptionError(WHO, 'options', 'expected an object');
  const known = ['model', 'bondDim', 'embedding', 'epochs', 'batchSize', 'lr', 'lrSchedule', 'optimizer', 'seed', 'dtype', 'patience', 'monitor', 'outputSite', 'l2', 'clipNorm', 'init', 'trainer', 'scaler', 'grid'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new EstimatorOptionError(WHO, key, `unknown option (known: ${known.join(', ')})`);
  }
  let embedding: Embedding;
  const spec = options.embedding ?? 'polynomial:2';
  if (typeof spec === 'string') {
    try {
      embedding = parseEmbedding(spec, 'spec');
    } catch (e) {
      throw new EstimatorOptionError(WHO, 'embedding', (e as Error).message.replace(/^spec: /, ''));
    }
  } else if (spec !== null && typeof spec === 'object' && typeof spec.embed === 'function' && typeof spec.siteDims === 'function') {
    embedding = spec;
  } else {
    throw new EstimatorOptionError(WHO, 'embedding', 'expected an Embedding or a spec string such as \'polynomial:2\'');
  }
  const init = options.init ?? 'identity:0.01';
  try {
    initializerFromSpec(parseInitializer(init));
  } catch (e) {
    throw new EstimatorOptionError(WHO, 'init', (e as Error).message);
  }
  const r: ResolvedClassifierOptions = {
    model: choiceOption(WHO, 'model', options.model ?? 'mps', MODELS),
    bondDim: intOption(WHO, 'bondDim', options.bondDim ?? 20, 1),
    embedding,
    epochs: intOption(WHO, 'epochs', options.epochs ?? 60, 1),
    batchSize: intOption(WHO, 'batchSize', options.batchSize ?? 32, 1),
    lr: numberOption(WHO, 'lr', options.lr ?? 1e-3),
    lrSchedule: choiceOption(WHO, 'lrSchedule', options.lrSchedule ?? 'constant', ['constant', 'cosine'] as const),
    optimizer: choiceOption(WHO, 'optimizer', options.optimizer ?? 'adam', ['adam', 'sgd'] as const),
    seed: intOption(WHO, 'seed', options.seed ?? 0, 0),
    dtype: choiceOption(WHO, 'dtype', options.dtype ?? 'f64', ['f64', 'f32'] as const),
    patience: intOption(WHO, 'patience', options.patience ?? 10, 0),
    l2: numberOption(WHO, 'l2', options.l2 ?? 0, true),
    init,
    trainer: choiceOption(WHO, 'trainer', options.trainer ?? 'gradient', ['gradient', 'sweep'] as const),
    scaler: choiceOption(WHO, 'scaler', options.scaler ?? 'auto', ['minmax', 'none', 'auto'] as const),
  };
  if (options.monitor !== undefined) {
    if (typeof options.monitor !== 'string' || options.monitor === '') throw new EstimatorOptionError(WHO, 'monitor', `expected a history key such as 'val_loss', got ${JSON.stringify(options.monitor)}`);
    r.monitor = options.monitor;
  }
  if (options.outputSite !== undefined) r.outputSite = intOption(WHO, 'outputSite', options.outputSite, 0);
  if (options.clipNorm !== undefined) r.clipNorm = numberOption(WHO, 'clipNorm', options.clipNorm);
  if (options.grid !== undefined) {
    const g = options.grid;
    if (!Array.isArray(g) || g.length !== 2 || !g.every((v) => Number.isInteger(v) && v >= 1)) throw new EstimatorOptionError(WHO, 'grid', `expected [rows, cols] of positive integers, got ${JSON.stringify(g)}`);
    r.grid = [g[0], g[1]];
  }
  if (r.trainer === 'sweep') {
    // The sweep trainer's local step is a fixed Adam step with truncation: say which options it cannot honour.
    if (r.model !== 'mps') throw new EstimatorOptionError(WHO, 'trainer', `sweep: only model 'mps' is supported, got '${r.model}'`);
    if (r.optimizer !== 'adam') throw new EstimatorOptionError(WHO, 'trainer', `sweep: the local step is Adam; optimizer '${r.optimizer}' is not supported`);
    if (r.lrSchedule !== 'constant') throw new EstimatorOptionError(WHO, 'trainer', `sweep: lrSchedule '${r.lrSchedule}' is not supported (constant only)`);
    if (r.l2 !== 0) throw new EstimatorOptionError(WHO, 'trainer', 'sweep: l2 is not supported');
    if (r.clipNorm !== undefined) throw new EstimatorOptionError(WHO, 'trainer', 'sweep: clipNorm is not supported');
  }
  return r;
}

/** Row-wise softmax of scores `[n, k]`, as f64. */
function softmaxRows(scores: Tensor): Tensor {
  const [n, k] = scores.shape as [number, number];
  const s = scores.toTypedArray();
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, s[i * k + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[i * k + j] = Math.exp(s[i * k + j]! - max);
    for (let j = 0; j < k; j++) out[i * k + j] = out[i * k + j]! / sum;
  }
  return new Tensor(out, [n, k]);
}

/** Whether `y` holds string labels (class names) rather than integers. */
function isStringLabels(y: ClassLabels): y is readonly string[] {
  return Array.isArray(y) && y.some((v) => typeof v === 'string');
}

/** Class names as given: distinct, non-empty strings. */
function checkClassNames(names: unknown, option: string): string[] {
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && n !== '')) throw new EstimatorOptionError(WHO, option, 'expected an array of non-empty strings');
  if (new Set(names).size !== names.length) throw new EstimatorOptionError(WHO, option, `holds a name twice: ${JSON.stringify(names)}`);
  return [...names] as string[];
}

/** Training labels as classes, with the class names (from string labels, or as given). */
function fitLabels(y: ClassLabels, samples: number, names: readonly string[] | undefined): { labels: Int32Array; classNames?: string[] } {
  if (isStringLabels(y)) {
    if (names !== undefined) throw new EstimatorOptionError(WHO, 'classNames', 'goes with integer labels (string labels name their classes themselves)');
    if (y.length !== samples) throw new EstimatorOptionError(WHO, 'y', `${y.length} labels for ${samples} samples (rows of X)`);
    y.forEach((v, i) => {
      if (typeof v !== 'string' || v === '') throw new EstimatorOptionError(WHO, 'y', `label ${i} is ${JSON.stringify(v)}; give every label as a non-empty string, or every label as an integer`);
    });
    const { y: labels, classNames } = encodeClassLabels(y);
    return { labels, classNames };
  }
  const labels = labelArray(WHO, 'y', y as ArrayLike<number>, samples);
  if (names === undefined) return { labels };
  const classNames = checkClassNames(names, 'classNames');
  const top = labels.reduce((m, v) => Math.max(m, v), -1);
  if (top >= classNames.length) throw new EstimatorOptionError(WHO, 'classNames', `names ${classNames.length} classes, but the labels go up to ${top}`);
  return { labels, classNames };
}

/** Labels to score against: integers, or names mapped through the classes' names. */
function knownLabels(name: string, y: ClassLabels, samples: number, classNames: readonly string[] | undefined): Int32Array {
  if (!isStringLabels(y)) return labelArray(WHO, name, y as ArrayLike<number>, samples);
  if (classNames === undefined) throw new EstimatorOptionError(WHO, name, 'string labels, but the classifier was trained on integer labels');
  if (y.length !== samples) throw new EstimatorOptionError(WHO, name, `${y.length} labels for ${samples} samples (rows of X)`);
  const index = new Map(classNames.map((n, k) => [n, k]));
  return Int32Array.from(y, (v, i) => {
    const k = index.get(v);
    if (k === undefined) throw new EstimatorOptionError(WHO, name, `label ${i} is ${JSON.stringify(v)}, not one of the classes (${classNames.map((n) => JSON.stringify(n)).join(', ')})`);
    return k;
  });
}

/**
 * A resume whose checkpoint does not fit this run: the settings (or data) that differ,
 * checkpoint value against this run's, so a caller can name its own flags.
 */
export class ResumeMismatchError extends EstimatorOptionError {
  override name = 'ResumeMismatchError';
  constructor(readonly differences: readonly InputDifference[]) {
    super(WHO, 'resume', `the checkpoint was made with other inputs: ${differences.map(describeDifference).join('; ')}; resume with the checkpoint's settings and data, or train afresh`);
  }
}

/** `bondDim 3 (this run: 4)`, or for the data the hashes' first digits. */
function describeDifference(d: InputDifference): string {
  if (d.key === 'data') return `training data sha256 ${String(d.checkpoint).slice(0, 12)}… (this run: ${String(d.run).slice(0, 12)}…)`;
  return `${d.key} ${String(d.checkpoint)} (this run: ${String(d.run)})`;
}

/** The embedding as a short stable string (its spec as JSON). */
function embeddingKey(embedding: Embedding): string {
  try {
    return JSON.stringify(embedding.toJSON());
  } catch {
    return 'custom';
  }
}

/** SHA-256 of the training and validation rows and labels (as given, before scaling). */
function dataHash(x: Tensor, y: Int32Array, valX: Tensor | undefined, valY: Int32Array | undefined): { dataSha256?: string } {
  const shape = (t: Tensor | undefined): Int32Array => Int32Array.from(t?.shape ?? []);
  const hash = sha256Hex([shape(x), x.contiguous().toTypedArray(), y, shape(valX), valX?.contiguous().toTypedArray() ?? new Float64Array(0), valY ?? new Int32Array(0)]);
  return hash === undefined ? {} : { dataSha256: hash };
}

/**
 * Checks a checkpoint against this run before any training: not already at or past the
 * epochs, not already stopped early, the same inputs (when the checkpoint records them),
 * and cores of this model's shapes.
 * @throws EstimatorOptionError naming the option (ResumeMismatchError for other inputs).
 */
function checkResume(cp: TrainerCheckpoint, inputs: CheckpointInputs, model: SupervisedModel, o: ResolvedClassifierOptions): void {
  if (cp.inputs !== undefined) {
    const differences = inputDifferences(cp.inputs, inputs);
    if (differences.length > 0) throw new ResumeMismatchError(differences);
  }
  const cores = model.params;
  if (cp.params.length !== cores.length) {
    throw new EstimatorOptionError(WHO, 'resume', `the checkpoint holds ${cp.params.length} cores, this model has ${cores.length} (another model, embedding or number of features?)`);
  }
  cores.forEach((core, k) => {
    const saved = cp.params[k]!.shape;
    if (saved.length !== core.shape.length || saved.some((d, i) => d !== core.shape[i])) {
      throw new EstimatorOptionError(WHO, 'resume', `core ${k} has shape [${saved.join(', ')}] in the checkpoint, [${core.shape.join(', ')}] in this model (another bond dimension, embedding, model, or number of features or classes?)`);
    }
  });
  if (cp.epoch >= o.epochs) {
    throw new EstimatorOptionError(WHO, 'epochs', `the checkpoint is at epoch ${cp.epoch}, already at or past epochs ${o.epochs}: give epochs greater than ${cp.epoch} to train further`);
  }
  if (o.patience > 0 && cp.wait >= o.patience) {
    throw new EstimatorOptionError(WHO, 'patience', `the checkpoint had already stopped early (no improvement for ${cp.wait} epochs, patience ${o.patience}): give a patience above ${cp.wait}, or 0, to train further`);
  }
}

/** Whether every value lies in [0, 1]. */
function inUnitInterval(x: Tensor): boolean {
  for (const v of x.toTypedArray()) if (!(v >= 0 && v <= 1)) return false;
  return true;
}

/**
 * A tensor-network classifier with the usual estimator API: `new Classifier(options)`,
 * `fit(X, y)`, `predict`, `predictProba`, `score`, `history`, `save` / `load`.
 *
 * ```ts
 * const clf = new Classifier({ model: 'mps', bondDim: 20, embedding: 'polynomial:2' }).fit(XTrain, yTrain, { validation: 0.2 });
 * clf.score(XTest, yTest); // accuracy
 * ```
 *
 * `fit` fits a min-max scaler on the training part, embeds each feature into a product
 * state, and trains the network by mini-batch gradient descent (or two-site sweeps), with
 * early stopping on held-out data and the best epoch's weights restored. Every option and
 * input is checked before training starts.
 */
export class Classifier {
  /** The options with defaults filled in. */
  readonly options: Readonly<ResolvedClassifierOptions>;
  /** Extra JSON saved with the model (data set, command line…); restored by {@link Classifier.load}. */
  metadata: Record<string, unknown> = {};
  private trained: SupervisedModel | undefined;
  private fittedScaler: MinMaxScaler | StandardScaler | undefined;
  private epochs: EpochRecord[] = [];
  private shape: { features: number; classes: number; featureNames?: string[]; classNames?: string[] } | undefined;
  private summary: ClassifierFitSummary | undefined;

  /** @throws EstimatorOptionError naming the first bad option. */
  constructor(options: ClassifierOptions = {}) {
    this.options = resolve(options);
  }

  /** The embedding (fixes each site's physical dimension). */
  get embedding(): Embedding {
    return this.options.embedding;
  }

  /** Per-epoch figures of the last fit (loss, val_loss, val_accuracy, seconds…); the saved history after load. */
  get history(): EpochRecord[] {
    return this.epochs.map((r) => ({ ...r }));
  }

  /** The trained network. @throws Error before fit. */
  get model(): SupervisedModel {
    return this.fitted().model;
  }

  /** The scaler fitted on the training part, if any. */
  get scaler(): MinMaxScaler | StandardScaler | undefined {
    return this.fittedScaler;
  }

  /** Number of classes (after fit or load). */
  get classes(): number {
    return this.fitted().shape.classes;
  }

  /** Number of features the classifier reads (after fit or load). */
  get features(): number {
    return this.fitted().shape.features;
  }

  /** Feature names given to fit (or stored in the file), if any. */
  get featureNames(): string[] | undefined {
    return this.shape?.featureNames?.slice();
  }

  /** The original label of each class (class k is `classNames[k]`) when trained on string labels; undefined for numeric labels. */
  get classNames(): string[] | undefined {
    return this.shape?.classNames?.slice();
  }

  /** How the last fit went (undefined after load). */
  get fitSummary(): ClassifierFitSummary | undefined {
    return this.summary;
  }

  /**
   * Trains on `X` `[n, features]` (or images `[n, h, w]`) and labels `y`: integers 0…k−1,
   * or strings, whose distinct values in sorted order become classes 0…k−1 ({@link classNames}).
   * @throws EstimatorOptionError before any training for bad shapes, labels or options.
   */
  fit(X: SampleInput, y: ClassLabels, options: ClassifierFitOptions = {}): this {
    const o = this.options;
    const dtype = o.dtype;
    let grid = o.grid;
    if (X instanceof Tensor && X.ndim === 3 && grid === undefined) grid = [X.shape[1]!, X.shape[2]!];
    const all = sampleMatrix(WHO, 'X', X, dtype, 2);
    const { labels, classNames } = fitLabels(y, all.shape[0]!, options.classNames);
    const features = all.shape[1]!;
    let classes = classNames?.length ?? 0;
    for (const v of labels) classes = Math.max(classes, v + 1);
    if (classes < 2) throw new EstimatorOptionError(WHO, 'y', 'the labels hold fewer than two classes');
    if (grid !== undefined && grid[0] * grid[1] !== features) throw new EstimatorOptionError(WHO, 'grid', `[${grid.join(', ')}] holds ${grid[0] * grid[1]} pixels, the samples have ${features} features`);
    if (o.model === 'peps' && grid === undefined) throw new EstimatorOptionError(WHO, 'model', "peps needs images: X [n, rows, cols] or the grid option");
    const featureNames = options.featureNames === undefined ? undefined : [...options.featureNames];
    if (featureNames !== undefined && (featureNames.length !== features || !featureNames.every((s) => typeof s === 'string'))) {
      throw new EstimatorOptionError(WHO, 'featureNames', `expected ${features} names (one per feature), got ${featureNames.length}`);
    }

    // Training and validation parts, as raw rows.
    let trainX = all;
    let trainY = labels;
    let valX: Tensor | undefined;
    let valY: Int32Array | undefined;
    const v = options.validation;
    if (typeof v === 'number') {
      if (!(v > 0 && v < 1)) throw new EstimatorOptionError(WHO, 'validation', `a fraction must be in (0, 1), got ${v}`);
      let split: TrainTestIndices;
      try {
        split = stratifiedSplit(labels, { testFraction: v, seed: o.seed });
      } catch (e) {
        throw new EstimatorOptionError(WHO, 'validation', (e as Error).message);
      }
      trainX = takeRows(all, split.train);
      trainY = takeLabels(labels, split.train);
      valX = takeRows(all, split.test);
      valY = takeLabels(labels, split.test);
    } else if (v !== undefined) {
      if (v === null || typeof v !== 'object') throw new EstimatorOptionError(WHO, 'validation', 'expected a fraction or { X, y }');
      valX = sampleMatrix(WHO, 'validation.X', v.X, dtype);
      valY = knownLabels('validation.y', v.y, valX.shape[0]!, classNames);
      if (valX.shape[1] !== features) throw new EstimatorOptionError(WHO, 'validation.X', `has ${valX.shape[1]} features, X has ${features}`);
    }
    const monitor = o.monitor ?? (valX ? 'val_loss' : 'loss');
    if (!valX && monitor.startsWith('val_')) throw new EstimatorOptionError(WHO, 'monitor', `'${monitor}' needs validation data (fit's validation option)`);
    if (o.trainer === 'sweep' && (options.checkpoint !== undefined || options.resume !== undefined)) {
      throw new EstimatorOptionError(WHO, 'trainer', `sweep: ${options.checkpoint !== undefined ? 'checkpoint' : 'resume'} is not supported`);
    }
    if (options.checkpoint !== undefined) {
      intOption(WHO, 'checkpoint.every', options.checkpoint.every, 1);
      if (typeof options.checkpoint.onCheckpoint !== 'function') throw new EstimatorOptionError(WHO, 'checkpoint.onCheckpoint', 'expected a function');
    }

    // The scaler sees the training part only.
    const scale = o.scaler === 'minmax' || (o.scaler === 'auto' && !inUnitInterval(trainX));
    const scaler = scale ? new MinMaxScaler({ clip: true }).fit(trainX) : undefined;
    const prepare = (x: Tensor): Tensor => (scaler ? scaler.transform(x) : x).astype(dtype);
    const xTrain = prepare(trainX);
    const xVal = valX ? prepare(valX) : undefined;

    const embedding = o.embedding;
    let siteDims: number[];
    try {
      siteDims = embedding.siteDims(features);
    } catch (e) {
      throw new EstimatorOptionError(WHO, 'embedding', (e as Error).message);
    }
    const sites = siteDims.length;
    const physDim = Math.max(...siteDims);
    const outputSite = o.outputSite ?? Math.floor(sites / 2);
    if (outputSite >= sites) throw new EstimatorOptionError(WHO, 'outputSite', `${outputSite} is not a site (the data have ${sites} sites)`);
    const init = initializerFromSpec(parseInitializer(o.init));
    const { bondDim, seed } = o;
    let model: SupervisedModel;
    switch (o.model) {
      case 'mps':
        model = MpsModel.create({ sites, physDim, bondDim, outputDim: classes, outputSite, init, seed, dtype });
        break;
      case 'tree':
        model = TreeModel.create({ sites, physDim, bondDim, outputDim: classes, init, seed, dtype });
        break;
      case 'mpo':
        model = MpoModel.create({ sites, physDim, bondDim, outDims: Array.from({ length: sites }, (_, s) => (s === outputSite ? classes : 1)), init, seed, dtype });
        break;
      case 'peps':
        model = PepsModel.create({ grid: grid!, physDim, bondDim, outputDim: classes, init, seed, dtype });
        break;
    }

    // What a checkpoint is bound to: a resume on other data or settings is refused up front.
    const inputs = options.checkpoint !== undefined || options.resume !== undefined
      ? {
        settings: {
          model: o.model, bondDim, embedding: embeddingKey(embedding), features, classes,
          classNames: classNames ? JSON.stringify(classNames) : null, grid: grid ? grid.join('x') : null,
          // The default class site follows from the features (checked): bind only one given.
          outputSite: o.outputSite ?? null, dtype, scaler: scale ? 'minmax' : 'none',
          optimizer: o.optimizer, lr: o.lr, lrSchedule: o.lrSchedule, batchSize: o.batchSize, seed, l2: o.l2, clipNorm: o.clipNorm ?? null, monitor,
        },
        ...dataHash(trainX, trainY, valX, valY),
      } satisfies CheckpointInputs
      : undefined;
    if (options.resume !== undefined) checkResume(options.resume, inputs!, model, o);

    const valSource = xVal ? productStateSource(xVal, embedding, { labels: valY! }) : undefined;
    const patience = o.patience > 0 ? { patience: o.patience } : {};
    let result: { params: Tensor[]; history: EpochRecord[]; bestEpoch: number; epochs: number; stopReason: string; secondsPerEpoch: number };
    if (o.trainer === 'sweep') {
      const mps = model as MpsModel;
      result = mpsSweepFit(mps, embedding.embed(xTrain, { dtype }), trainY, valSource, {
        sweeps: o.epochs, maxRank: bondDim, lr: o.lr, batchSize: o.batchSize, seed, monitor, ...patience,
        onSweep: (_sweep, record) => options.onEpoch?.(record),
      });
      // Sweeps may leave a bond below bondDim (the SVD rank), so rebuild the chain from its cores.
      model = MpsModel.fromCores(result.params, mps.outputSite, mps.bondDim);
    } else {
      // Cosine decay to lr/100 over the whole run smooths the late epochs (MNIST: 0.95 → 0.96).
      const rate = o.lrSchedule === 'cosine'
        ? cosineDecay(o.lr, { totalSteps: o.epochs * Math.ceil(trainY.length / o.batchSize), minLr: o.lr / 100 })
        : o.lr;
      const optimizer = (o.optimizer === 'adam' ? adam({ lr: rate }) : sgd({ lr: rate })) as Optimizer<unknown>;
      const base = model;
      const cp = options.checkpoint;
      result = train(supervisedProblem(model, { l2: o.l2 }), productStateSource(xTrain, embedding, { labels: trainY }), {
        epochs: o.epochs, batchSize: o.batchSize, seed, optimizer, dtype, monitor, ...patience,
        ...(valSource ? { validation: valSource } : {}),
        ...(o.clipNorm === undefined ? {} : { clipNorm: o.clipNorm }),
        ...(options.resume === undefined ? {} : { resume: options.resume }),
        ...(cp === undefined ? {} : {
          checkpointEvery: cp.every,
          onCheckpoint: (trainerState: TrainerCheckpoint) => {
            const state = { ...trainerState, inputs: inputs! };
            cp.onCheckpoint(encodeModel({ model: base.withParams(state.params), embedding, ...(scaler ? { scaler } : {}), history: state.history, checkpoint: state }), state);
          },
        }),
        onEpoch: ({ record }) => options.onEpoch?.(record),
      });
      model = model.withParams(result.params);
    }
    this.trained = model;
    this.fittedScaler = scaler;
    this.epochs = result.history;
    this.shape = { features, classes, ...(featureNames ? { featureNames } : {}), ...(classNames ? { classNames } : {}) };
    if (grid !== undefined && o.grid === undefined) (this.options as ResolvedClassifierOptions).grid = grid;
    this.summary = {
      epochs: result.epochs, bestEpoch: result.bestEpoch, stopReason: result.stopReason, secondsPerEpoch: result.secondsPerEpoch,
      params: parameterCount(model), samples: { train: trainY.length, validation: valY?.length ?? 0 },
    };
    return this;
  }

  private fitted(): { model: SupervisedModel; shape: { features: number; classes: number } } {
    if (!this.trained || !this.shape) throw new Error(`${WHO}: call fit() (or Classifier.load) before using the model`);
    return { model: this.trained, shape: this.shape };
  }

  /** Raw class scores `[n, classes]` of samples (scaled and embedded as in training). */
  scores(X: SampleInput): Tensor {
    const { model, shape } = this.fitted();
    const x = sampleMatrix(WHO, 'X', X, this.options.dtype);
    if (x.shape[1] !== shape.features) throw new EstimatorOptionError(WHO, 'X', `has ${x.shape[1]} features, the classifier was trained on ${shape.features}`);
    const scaled = (this.fittedScaler ? this.fittedScaler.transform(x) : x).astype(this.options.dtype);
    return predictScores(model, scaled, this.options.embedding);
  }

  /** Predicted classes, one per row of X. */
  predict(X: SampleInput): Int32Array {
    return argmaxRows(this.scores(X));
  }

  /** Predicted labels as the training labels were written: class names after string labels, else the class numbers as strings. */
  predictLabels(X: SampleInput): string[] {
    const names = this.shape?.classNames;
    return Array.from(this.predict(X), (k) => names?.[k] ?? String(k));
  }

  /** Class probabilities `[n, classes]` (softmax of the scores; rows sum to 1). */
  predictProba(X: SampleInput): Tensor {
    return softmaxRows(this.scores(X));
  }

  /** Accuracy of the predictions on labelled samples (NaN for no samples); string labels are matched by class name. */
  score(X: SampleInput, y: ClassLabels): number {
    const x = sampleMatrix(WHO, 'X', X, this.options.dtype, 0);
    const labels = knownLabels('y', y, x.shape[0]!, this.shape?.classNames);
    if (labels.length === 0) return NaN;
    return accuracy(labels, this.predict(x));
  }

  /** The model file's bytes (network, embedding, scaler, history, settings; see src/ml/model-file.ts). */
  toBytes(): Uint8Array {
    const { model, shape } = this.fitted();
    const { embedding: _embedding, ...options } = this.options;
    const meta: ClassifierMetadata = {
      options, classes: shape.classes, features: shape.features,
      ...(this.shape?.featureNames ? { featureNames: this.shape.featureNames } : {}),
      ...(this.shape?.classNames ? { classNames: this.shape.classNames } : {}),
    };
    return encodeModel({
      model, embedding: this.options.embedding, ...(this.fittedScaler ? { scaler: this.fittedScaler } : {}), history: this.epochs,
      metadata: { ...this.metadata, [CLASSIFIER_METADATA_KEY]: meta },
    });
  }

  /** Writes the model file atomically (Node only). */
  save(path: string): void {
    writeModelBytes(path, this.toBytes());
  }

  /**
   * A classifier from model-file bytes. Files written by `tnkit train --save` before the
   * estimators existed load too (settings then default, features taken from the scaler).
   * @throws NetworkFileError naming the bad field; Error when the file holds no embedding.
   */
  static fromBytes(bytes: Uint8Array, source?: string): Classifier {
    const file = decodeModel(bytes, source);
    const where = source ?? 'model file';
    if (!file.embedding) throw new Error(`${where}: holds no embedding, so the classifier cannot read features`);
    const user = (file.metadata ?? {}) as Record<string, unknown>;
    const meta = user[CLASSIFIER_METADATA_KEY] as ClassifierMetadata | undefined;
    const { [CLASSIFIER_METADATA_KEY]: _own, ...rest } = user;
    let clf: Classifier;
    try {
      // Files written before the option was named outputSite call it classSite.
      const { classSite, ...saved } = (meta?.options ?? {}) as Record<string, unknown>;
      clf = new Classifier({ ...(classSite !== undefined && saved['outputSite'] === undefined ? { outputSite: classSite } : {}), ...saved, embedding: file.embedding } as ClassifierOptions);
    } catch (e) {
      throw new Error(`${where}: metadata.tnkit_model.user.${CLASSIFIER_METADATA_KEY}: ${(e as Error).message}`);
    }
    let features = meta?.features;
    if (features === undefined) {
      const scaler = file.scaler?.toJSON() as { min?: number[]; mean?: number[] } | undefined;
      features = scaler?.min?.length ?? scaler?.mean?.length ?? file.model.sites;
    }
    const classes = meta?.classes ?? file.model.outputDim;
    const field = (name: string): string => `${where}: metadata.tnkit_model.user.${CLASSIFIER_METADATA_KEY}.${name}`;
    // Checked here, not at predict(): a wrong count would size arrays or label rows wrongly.
    if (!(Number.isSafeInteger(features) && (features as number) >= 1)) throw new Error(`${field('features')}: expected a positive integer, got ${JSON.stringify(features)}`);
    if (!(Number.isSafeInteger(classes) && classes >= 2)) throw new Error(`${field('classes')}: expected an integer ≥ 2, got ${JSON.stringify(classes)}`);
    if (file.model.outputDim !== undefined && classes !== file.model.outputDim) {
      throw new Error(`${field('classes')}: ${classes}, but the model has ${file.model.outputDim} outputs`);
    }
    const names = meta?.featureNames as unknown;
    if (names !== undefined && !(Array.isArray(names) && names.length === features && names.every((n) => typeof n === 'string'))) {
      throw new Error(`${field('featureNames')}: expected ${features} strings, got ${JSON.stringify(names).slice(0, 80)}`);
    }
    let classNames: string[] | undefined;
    if (meta?.classNames !== undefined) {
      try {
        classNames = checkClassNames(meta.classNames, 'classNames');
      } catch (e) {
        throw new Error(`${where}: metadata.tnkit_model.user.${CLASSIFIER_METADATA_KEY}.classNames: ${(e as EstimatorOptionError).detail}`);
      }
      if (classNames.length !== classes) throw new Error(`${where}: metadata.tnkit_model.user.${CLASSIFIER_METADATA_KEY}.classNames: ${classNames.length} names for ${classes} classes`);
    }
    clf.trained = file.model;
    clf.fittedScaler = file.scaler;
    clf.epochs = file.history ?? [];
    clf.shape = { features, classes, ...(meta?.featureNames ? { featureNames: meta.featureNames } : {}), ...(classNames ? { classNames } : {}) };
    clf.metadata = rest;
    return clf;
  }

  /** Reads a model file written by {@link Classifier.save} (Node only). */
  static load(path: string): Classifier {
    return Classifier.fromBytes(readModelBytes(path), path);
  }
}
