import { adam, type Optimizer } from '../autodiff/index.js';
import { MinMaxScaler } from '../ml/data/min-max-scaler.js';
import { takeRows } from '../ml/data/matrix.js';
import type { Embedding } from '../ml/embeddings/embedding.js';
import { parseEmbedding } from '../ml/embeddings/parse-spec.js';
import { trigonometric } from '../ml/embeddings/trigonometric.js';
import { smpoAnomalyLoss, smpoAnomalyScores } from '../ml/losses/anomaly.js';
import { rocAuc } from '../ml/metrics/roc-auc.js';
import { decodeModelWith, encodeModel, readModelBytes, writeModelBytes } from '../ml/model-file.js';
import { parameterCount } from '../ml/models/model.js';
import { SmpoModel } from '../ml/models/smpo-model.js';
import type { EpochRecord } from '../ml/training/history.js';
import { smpoSweepTrain } from '../ml/training/sweep-smpo.js';
import { train, type BatchSource } from '../ml/training/trainer.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { sampleMatrix, type SampleInput } from './inputs.js';
import { choiceOption, EstimatorOptionError, intOption, numberOption } from './option-error.js';

/**
 * Options of {@link AnomalyDetector}; the names are the `tnkit anomaly` flags in camelCase,
 * and so are the defaults.
 */
export interface AnomalyDetectorOptions {
  /** The network: smpo (a spaced matrix product operator; the only kind so far). */
  model?: 'smpo';
  /** An output leg every `spacing` sites (default 8). */
  spacing?: number;
  /** Bond dimension the network is built with (default 10); the sweep trainer caps every split at it (its `maxRank`). */
  bondDim?: number;
  /** An Embedding or a spec such as 'trigonometric:1' (default trigonometric of order 1). */
  embedding?: Embedding | string;
  /** Training epochs (sweeps with trainer 'sweep'; default 10). */
  epochs?: number;
  /** Mini-batch size (default 128). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Seed of the initial cores and the shuffles (default 0). */
  seed?: number;
  dtype?: DType;
  /** Weight α of ReLU(ln ‖P‖_F²) in the loss (default 0.4). */
  alpha?: number;
  /** e in (ln ‖P·φ‖^e − 1)²: 4 as tn4ml's code (default), 2 as its formula. */
  normExponent?: number;
  /** gradient (default: all cores, Adam) | sweep (two-site DMRG-style). */
  trainer?: 'gradient' | 'sweep';
  /** Stop after this many epochs without a lower training loss (gradient trainer; default: never). */
  patience?: number;
  /** Renormalise to ‖P‖_F = 1 after every batch (tn4ml's normalize=True; default true; gradient trainer only). */
  normalize?: boolean;
  /** Feature scaling fitted on the normal samples: minmax, none, or auto (default: minmax unless every value already lies in [0, 1]). */
  scaler?: 'minmax' | 'none' | 'auto';
  /** Quantile of the training samples' scores used as predict's default threshold (default 0.95). */
  quantile?: number;
}

/** How the last {@link AnomalyDetector.fit} went. */
export interface AnomalyFitSummary {
  epochs: number;
  secondsPerEpoch: number;
  /** Training loss of the last epoch (or sweep). */
  finalLoss: number;
  trainSamples: number;
  params: number;
}

/** The options as resolved (defaults filled in, embedding built). */
export type ResolvedAnomalyDetectorOptions = Required<Omit<AnomalyDetectorOptions, 'embedding' | 'patience'>> & { embedding: Embedding; patience?: number };

/** What a saved detector keeps beside the network, embedding, scaler and history. */
interface DetectorMetadata {
  options: Omit<ResolvedAnomalyDetectorOptions, 'embedding'>;
  features: number;
  threshold: number;
}

const WHO = 'AnomalyDetector';

/** The metadata key a detector's model file holds its settings under. */
export const DETECTOR_METADATA_KEY = 'tnkit_anomaly_detector';

function resolve(options: AnomalyDetectorOptions): ResolvedAnomalyDetectorOptions {
  if (options === null || typeof options !== 'object') throw new EstimatorOptionError(WHO, 'options', 'expected an object');
  const known = ['model', 'spacing', 'bondDim', 'embedding', 'epochs', 'batchSize', 'lr', 'seed', 'dtype', 'alpha', 'normExponent', 'trainer', 'patience', 'normalize', 'scaler', 'quantile'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new EstimatorOptionError(WHO, key, `unknown option (known: ${known.join(', ')})`);
  }
  let embedding: Embedding;
  const spec = options.embedding;
  if (spec === undefined) embedding = trigonometric();
  else if (typeof spec === 'string') {
    try {
      embedding = parseEmbedding(spec, 'spec');
    } catch (e) {
      throw new EstimatorOptionError(WHO, 'embedding', (e as Error).message.replace(/^spec: /, ''));
    }
  } else if (spec !== null && typeof spec === 'object' && typeof spec.embed === 'function' && typeof spec.siteDims === 'function') {
    embedding = spec;
  } else {
    throw new EstimatorOptionError(WHO, 'embedding', 'expected an Embedding or a spec string such as \'trigonometric:1\'');
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new EstimatorOptionError(WHO, 'seed', `expected an integer, got ${JSON.stringify(seed)}`);
  const quantile = options.quantile ?? 0.95;
  if (typeof quantile !== 'number' || !(quantile > 0 && quantile <= 1)) throw new EstimatorOptionError(WHO, 'quantile', `expected a number in (0, 1], got ${JSON.stringify(quantile)}`);
  if (options.normalize !== undefined && typeof options.normalize !== 'boolean') throw new EstimatorOptionError(WHO, 'normalize', `expected true or false, got ${JSON.stringify(options.normalize)}`);
  const trainer = choiceOption(WHO, 'trainer', options.trainer ?? 'gradient', ['gradient', 'sweep'] as const);
  const r: ResolvedAnomalyDetectorOptions = {
    model: choiceOption(WHO, 'model', options.model ?? 'smpo', ['smpo'] as const),
    spacing: intOption(WHO, 'spacing', options.spacing ?? 8, 1),
    bondDim: intOption(WHO, 'bondDim', options.bondDim ?? 10, 1),
    embedding,
    epochs: intOption(WHO, 'epochs', options.epochs ?? 10, 1),
    batchSize: intOption(WHO, 'batchSize', options.batchSize ?? 128, 1),
    lr: numberOption(WHO, 'lr', options.lr ?? 1e-3),
    seed,
    dtype: choiceOption(WHO, 'dtype', options.dtype ?? 'f64', ['f64', 'f32'] as const),
    alpha: numberOption(WHO, 'alpha', options.alpha ?? 0.4, true),
    normExponent: numberOption(WHO, 'normExponent', options.normExponent ?? 4, true),
    trainer,
    // Renormalisation is a gradient-trainer hook; sweeps keep their own truncation.
    normalize: trainer === 'sweep' ? false : options.normalize ?? true,
    scaler: choiceOption(WHO, 'scaler', options.scaler ?? 'auto', ['minmax', 'none', 'auto'] as const),
    quantile,
  };
  if (options.patience !== undefined) r.patience = intOption(WHO, 'patience', options.patience, 1);
  return r;
}

/** Whether every value lies in [0, 1]. */
function inUnitInterval(x: Tensor): boolean {
  for (const v of x.toTypedArray()) if (!(v >= 0 && v <= 1)) return false;
  return true;
}

/** The q-quantile of values (nearest rank). */
function quantileOf(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * An anomaly detector trained on normal samples only (tn4ml's SMPO method): a spaced matrix
 * product operator P is trained so that ln ‖P·φ(x)‖ is near 1 for normal x; the anomaly
 * score of a sample is its loss term, so higher means more anomalous.
 *
 * ```ts
 * const det = new AnomalyDetector({ spacing: 8, bondDim: 10, epochs: 10 }).fit(normalImages);
 * det.auc(testImages, isAnomalous); // ROC AUC
 * ```
 */
export class AnomalyDetector {
  /** The options with defaults filled in. */
  readonly options: Readonly<ResolvedAnomalyDetectorOptions>;
  /** Extra JSON saved with the model (data set, command line…); restored by {@link AnomalyDetector.load}. */
  metadata: Record<string, unknown> = {};
  private trained: SmpoModel | undefined;
  private fittedScaler: MinMaxScaler | undefined;
  private epochs: EpochRecord[] = [];
  private features: number | undefined;
  private cut: number | undefined;
  private summary: AnomalyFitSummary | undefined;

  /** @throws EstimatorOptionError naming the first bad option. */
  constructor(options: AnomalyDetectorOptions = {}) {
    this.options = resolve(options);
  }

  /** Per-epoch training figures of the last fit (loss, seconds…); the saved history after load. */
  get history(): EpochRecord[] {
    return this.epochs.map((r) => ({ ...r }));
  }

  /** The trained operator. @throws Error before fit. */
  get model(): SmpoModel {
    return this.fitted().model;
  }

  /** The scaler fitted on the normal samples, if any (none for values already in [0, 1] under the auto scaler). */
  get scaler(): MinMaxScaler | undefined {
    return this.fittedScaler;
  }

  /** The embedding (fixes each site's physical dimension). */
  get embedding(): Embedding {
    return this.options.embedding;
  }

  /** Number of features the detector reads (after fit or load). */
  get featureCount(): number {
    return this.fitted().features;
  }

  /** predict's default threshold: the `quantile` of the training samples' scores. */
  get threshold(): number {
    return this.fitted().threshold;
  }

  /** How the last fit went (undefined after load). */
  get fitSummary(): AnomalyFitSummary | undefined {
    return this.summary;
  }

  private fitted(): { model: SmpoModel; features: number; threshold: number } {
    if (!this.trained || this.features === undefined || this.cut === undefined) throw new Error(`${WHO}: call fit() (or AnomalyDetector.load) before using the model`);
    return { model: this.trained, features: this.features, threshold: this.cut };
  }

  /** Product states of samples, scaled as in training. */
  private embedRows(x: Tensor): Tensor {
    const scaled = (this.fittedScaler ? this.fittedScaler.transform(x) : x).astype(this.options.dtype);
    return this.options.embedding.embed(scaled, { dtype: this.options.dtype, outOfRange: 'ignore' });
  }

  /**
   * Trains on normal samples `X` `[n, features]` (or images `[n, h, w]`).
   * @param options.onEpoch called after every epoch (or sweep) with its record.
   * @throws EstimatorOptionError before any training for bad shapes or options.
   */
  fit(X: SampleInput, options: { onEpoch?: (record: EpochRecord) => void } = {}): this {
    const o = this.options;
    const dtype = o.dtype;
    const x0 = sampleMatrix(WHO, 'X', X, dtype, 1);
    const features = x0.shape[1]!;
    const scale = o.scaler === 'minmax' || (o.scaler === 'auto' && !inUnitInterval(x0));
    const scaler = scale ? new MinMaxScaler({ clip: true }).fit(x0) : undefined;
    this.fittedScaler = scaler;
    let x: Tensor;
    try {
      x = this.embedRows(x0);
    } catch (e) {
      throw new EstimatorOptionError(WHO, 'embedding', (e as Error).message);
    }
    const lossOptions = { alpha: o.alpha, normExponent: o.normExponent };
    let model = SmpoModel.create({ sites: x.shape[1]!, physDim: x.shape[2]!, spacing: o.spacing, bondDim: o.bondDim, seed: o.seed, dtype });
    let history: EpochRecord[];
    let secondsPerEpoch: number;
    if (o.trainer === 'gradient') {
      const base = model;
      const source: BatchSource<Tensor> = { size: x.shape[0]!, batch: (idx) => takeRows(x, idx) };
      const result = train(
        { params: model.params, loss: (p, batch: Tensor) => smpoAnomalyLoss(base, p, batch, lossOptions) },
        source,
        {
          epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, optimizer: adam({ lr: o.lr }) as Optimizer<unknown>,
          ...(o.patience !== undefined ? { patience: o.patience } : {}),
          ...(o.normalize ? { afterStep: (p: Tensor[]) => [...base.withParams(p).normalized().params] } : {}),
          onEpoch: ({ record }) => options.onEpoch?.(record),
        },
      );
      model = model.withParams(result.params);
      history = result.history;
      secondsPerEpoch = result.secondsPerEpoch;
    } else {
      const result = smpoSweepTrain(model, x, {
        ...lossOptions, sweeps: o.epochs, batchSize: o.batchSize, seed: o.seed, lr: o.lr, maxRank: o.bondDim,
        observer: (e) => { if (e.type === 'sweep') options.onEpoch?.({ epoch: e.sweep, loss: e.loss, seconds: e.seconds }); },
      });
      model = model.withCores(result.cores);
      history = result.history.map((loss, k) => ({ epoch: k + 1, loss }));
      secondsPerEpoch = result.secondsPerSweep;
    }
    this.trained = model;
    this.features = features;
    this.epochs = history;
    this.cut = quantileOf(smpoAnomalyScores(model, x, { ...lossOptions, batchSize: 256 }), o.quantile);
    this.summary = {
      epochs: history.length, secondsPerEpoch, finalLoss: history[history.length - 1]!.loss,
      trainSamples: x.shape[0]!, params: parameterCount(model),
    };
    return this;
  }

  /** Anomaly scores, one per row of X (higher = more anomalous): (ln ‖P·φ(x)‖^e − 1)². */
  scoreSamples(X: SampleInput): Float64Array {
    const { model, features } = this.fitted();
    const x = sampleMatrix(WHO, 'X', X, this.options.dtype, 0);
    if (x.shape[1] !== features) throw new EstimatorOptionError(WHO, 'X', `has ${x.shape[1]} features, the detector was trained on ${features}`);
    if (x.shape[0] === 0) return new Float64Array(0);
    return smpoAnomalyScores(model, this.embedRows(x), { alpha: this.options.alpha, normExponent: this.options.normExponent, batchSize: 256 });
  }

  /** 1 for samples scoring above `threshold` (default: the `threshold` getter), else 0. */
  predict(X: SampleInput, threshold?: number): Int32Array {
    const cut = threshold ?? this.fitted().threshold;
    if (threshold === undefined && Number.isNaN(cut)) throw new EstimatorOptionError(WHO, 'threshold', 'this detector was saved without a default threshold: pass one');
    if (typeof cut !== 'number' || Number.isNaN(cut)) throw new EstimatorOptionError(WHO, 'threshold', `expected a number, got ${JSON.stringify(threshold)}`);
    return Int32Array.from(this.scoreSamples(X), (s) => (s > cut ? 1 : 0));
  }

  /** ROC AUC of the scores against `isAnomalous` (1/true anomalous, 0/false normal; both must occur). */
  auc(X: SampleInput, isAnomalous: ArrayLike<number | boolean>): number {
    const scores = this.scoreSamples(X);
    if (isAnomalous.length !== scores.length) throw new EstimatorOptionError(WHO, 'isAnomalous', `${isAnomalous.length} labels for ${scores.length} samples (rows of X)`);
    const labels = Int32Array.from({ length: scores.length }, (_, i) => {
      const v = isAnomalous[i];
      if (v !== 0 && v !== 1 && v !== true && v !== false) throw new EstimatorOptionError(WHO, 'isAnomalous', `label ${i} is ${JSON.stringify(v)}; expected 0/1 or false/true`);
      return v === 1 || v === true ? 1 : 0;
    });
    try {
      return rocAuc(labels, scores, { positiveLabel: 1 });
    } catch (e) {
      throw new EstimatorOptionError(WHO, 'isAnomalous', (e as Error).message);
    }
  }

  /** The model file's bytes (operator, embedding, scaler, history, settings). */
  toBytes(): Uint8Array {
    const { model, features, threshold } = this.fitted();
    const { embedding: _embedding, ...options } = this.options;
    const meta: DetectorMetadata = { options, features, threshold };
    return encodeModel({
      model, embedding: this.options.embedding, ...(this.fittedScaler ? { scaler: this.fittedScaler } : {}), history: this.epochs,
      metadata: { ...this.metadata, [DETECTOR_METADATA_KEY]: meta },
    });
  }

  /** Writes the model file atomically (Node only). */
  save(path: string): void {
    writeModelBytes(path, this.toBytes());
  }

  /**
   * A detector from model-file bytes. Files from `tnkit anomaly --save` written before the
   * estimators existed load too (loss settings from their `tnkit_anomaly` block; they hold
   * no default threshold, so predict then needs one).
   * @throws NetworkFileError naming the bad field; Error when the file holds no SMPO or no embedding.
   */
  static fromBytes(bytes: Uint8Array, source?: string): AnomalyDetector {
    const where = source ?? 'model file';
    const file = decodeModelWith(bytes, SmpoModel.fromSpec, source);
    if (!file.embedding) throw new Error(`${where}: holds no embedding, so the detector cannot read features`);
    const user = (file.metadata ?? {}) as Record<string, unknown>;
    const { [DETECTOR_METADATA_KEY]: own, ...rest } = user;
    const meta = own as DetectorMetadata | undefined;
    // Checked here, so a damaged file fails on load naming the field, not later in scoring.
    const field = `${where}: metadata.tnkit_model.user.${DETECTOR_METADATA_KEY}`;
    if (meta !== undefined) {
      if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new Error(`${field}: expected an object, got ${JSON.stringify(meta)}`);
      if (!Number.isSafeInteger(meta.features) || meta.features < 1) throw new Error(`${field}.features: expected a positive integer, got ${JSON.stringify(meta.features)}`);
      // JSON writes a NaN threshold (none) as null.
      if (meta.threshold !== null && meta.threshold !== undefined && typeof meta.threshold !== 'number') {
        throw new Error(`${field}.threshold: expected a number, got ${JSON.stringify(meta.threshold)}`);
      }
    }
    const legacy = user['tnkit_anomaly'] as { alpha?: number; norm_exponent?: number; trainer?: 'gradient' | 'sweep'; normalize?: boolean; epochs?: number; seed?: number } | undefined;
    const model = file.model;
    let options: AnomalyDetectorOptions;
    if (meta) options = { ...meta.options };
    else {
      options = { spacing: model.spacing, bondDim: model.bondDim, dtype: model.params[0]!.dtype, scaler: 'none' };
      if (legacy) {
        for (const [key, from] of [['alpha', 'alpha'], ['normExponent', 'norm_exponent'], ['epochs', 'epochs'], ['seed', 'seed']] as const) {
          if (typeof legacy[from] === 'number') options[key] = legacy[from];
        }
        if (legacy.trainer === 'gradient' || legacy.trainer === 'sweep') options.trainer = legacy.trainer;
        if (typeof legacy.normalize === 'boolean') options.normalize = legacy.normalize;
      }
    }
    let det: AnomalyDetector;
    try {
      det = new AnomalyDetector({ ...options, embedding: file.embedding });
    } catch (e) {
      throw new Error(`${where}: metadata.tnkit_model.user.${DETECTOR_METADATA_KEY}: ${(e as Error).message}`);
    }
    det.trained = model;
    if (file.scaler instanceof MinMaxScaler) det.fittedScaler = file.scaler;
    det.epochs = file.history ?? [];
    // Without the detector's own settings, one feature per site is the shipped embeddings' rule.
    det.features = meta?.features ?? model.sites;
    det.cut = meta?.threshold ?? NaN;
    det.metadata = rest;
    return det;
  }

  /** Reads a model file written by {@link AnomalyDetector.save} or `tnkit anomaly --save` (Node only). */
  static load(path: string): AnomalyDetector {
    return AnomalyDetector.fromBytes(readModelBytes(path), path);
  }
}
