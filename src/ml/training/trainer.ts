import { adam, clipByGlobalNorm, constant, valueAndGrad, type Optimizer, type Var } from '../../autodiff/index.js';
import type { DType } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { CheckpointInputs } from './checkpoint-inputs.js';
import type { EpochRecord } from './history.js';

/** Where training data come from: `size` samples, any subset of which makes a batch. */
export interface BatchSource<B> {
  readonly size: number;
  /** The samples at `indices` as one batch (in that order). */
  batch(indices: Int32Array): B;
}

/**
 * What the trainer optimises: initial parameters, a differentiable loss of a batch, and
 * optionally figures to report on held-out data (accuracy, …), each averaged over samples.
 */
export interface TrainingProblem<B> {
  readonly params: readonly Tensor[];
  /** The scalar loss of one batch, on the parameters as autodiff variables. */
  loss(params: readonly Var[], batch: B): Var;
  /** Named figures of a batch on fixed parameters (e.g. `{ accuracy }`), averaged by the trainer weighted by batch size. */
  metrics?(params: readonly Tensor[], batch: B): Record<string, number>;
}

/** Everything needed to continue training exactly where it stopped. */
export interface TrainerCheckpoint {
  /** Epochs completed. */
  epoch: number;
  params: Tensor[];
  optimizerState: unknown;
  /** The best monitored value so far, its epoch and the weights it was reached with. */
  best: { epoch: number; value: number; params: Tensor[] } | null;
  /** Epochs since the best (early-stopping counter). */
  wait: number;
  history: EpochRecord[];
  seed: number;
  /**
   * What the run was made from (settings, data hash), set by the caller that knows them
   * (e.g. the Classifier) and checked by it on resume; {@link train} neither sets nor reads it.
   */
  inputs?: CheckpointInputs;
}

/** Progress of one finished epoch, for {@link TrainOptions.onEpoch}. */
export interface EpochInfo {
  epoch: number;
  epochs: number;
  record: EpochRecord;
  params: readonly Tensor[];
  /** True when the monitored figure improved this epoch. */
  improved: boolean;
}

/** Options of {@link train}. */
export interface TrainOptions<B> {
  epochs: number;
  batchSize: number;
  /** Seed of the per-epoch shuffles (default 0). Epoch e shuffles with a generator seeded from (seed, e), so a resumed run sees the same batches. */
  seed?: number;
  /** Default: Adam with lr 10⁻³. */
  optimizer?: Optimizer<unknown>;
  /** Parameters are converted to this dtype before training (default: as given). */
  dtype?: DType;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  /** Held-out data: val_loss and the problem's metrics (prefixed `val_`) are computed each epoch. */
  validation?: BatchSource<B>;
  /** History key watched for early stopping and best weights (default 'val_loss' with validation, else 'loss'). */
  monitor?: string;
  /** Whether the monitored figure should go down ('min', default for names ending in 'loss') or up ('max'). */
  mode?: 'min' | 'max';
  /** Stop after this many epochs without improvement (default: never). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** At the end, go back to the weights of the best epoch (default true). */
  restoreBest?: boolean;
  /** Also compute the problem's metrics on the training data each epoch (default false). */
  evaluateTrain?: boolean;
  /** Batch size for evaluation passes (default max(batchSize, 256)). */
  evalBatchSize?: number;
  /** Call `onCheckpoint` every this many epochs. */
  checkpointEvery?: number;
  /** Receives a resumable checkpoint every `checkpointEvery` epochs. */
  onCheckpoint?: (checkpoint: TrainerCheckpoint) => void;
  /** Continue from a checkpoint (same data, options and seed give the same result as an uninterrupted run). */
  resume?: TrainerCheckpoint;
  /** Called after every epoch; return 'stop' to end training. */
  onEpoch?: (info: EpochInfo) => void | 'stop';
  /**
   * Maps the parameters after every optimizer step (e.g. renormalising a tensor network to
   * unit norm after each batch, tn4ml's `normalize=True`). Must return tensors of the same
   * shapes; the optimizer state is left as it is. The result is checked for NaN/Infinity.
   * The trainer may update the parameters it is given in place after the hook returns, so
   * the hook should not keep references to them (its own results are copied when needed).
   */
  afterStep?: (params: Tensor[]) => Tensor[];
}

/** What {@link train} returns. */
export interface TrainResult {
  /** Final weights (the best epoch's when restored). */
  params: Tensor[];
  history: EpochRecord[];
  /** Epoch (1-based) whose weights were kept, or the last epoch. */
  bestEpoch: number;
  bestValue: number | null;
  /** Epochs completed, counting those before a resume. */
  epochs: number;
  stopReason: 'completed' | 'early-stopping' | 'callback';
  optimizerState: unknown;
  /** Mean wall-clock seconds of the training pass of the epochs run in this call. */
  secondsPerEpoch: number;
}

/** Training hit a NaN or infinity: names the epoch, the batch and the core (parameter index). */
export class NonFiniteTrainingError extends Error {
  override name = 'NonFiniteTrainingError';
  constructor(
    readonly epoch: number,
    readonly batch: number,
    /** Parameter index, or -1 when only the loss value was non-finite. */
    readonly core: number,
    readonly where: 'loss' | 'gradient' | 'parameter',
    /** History of the epochs completed before the failure. */
    readonly history: EpochRecord[],
  ) {
    super(
      core >= 0
        ? `training diverged at epoch ${epoch}, batch ${batch}: non-finite ${where} of core ${core} (try a smaller learning rate, gradient clipping, or a stabler initializer)`
        : `training diverged at epoch ${epoch}, batch ${batch}: the loss is not finite while all cores and gradients are (try a smaller learning rate or a stabler initializer)`,
    );
  }
}

/** A copy of a tensor; one flat copy of the buffer when it is contiguous (Tensor.copy walks rows). */
function copyOf(t: Tensor): Tensor {
  return t.isContiguous && t.offset === 0 && t.data.length === t.size ? new Tensor(t.data.slice(), t.shape) : t.copy();
}

/** Index of the first tensor holding a NaN or ±Infinity, or -1. */
function firstNonFinite(ts: readonly Tensor[]): number {
  for (let k = 0; k < ts.length; k++) {
    const x = ts[k]!.toTypedArray();
    // x·0 is 0 for finite x and NaN otherwise; four sums without a branch per element
    // run this check, done on every gradient of every batch, about twice as fast.
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = 0;
    for (; i + 3 < x.length; i += 4) {
      a += x[i]! * 0;
      b += x[i + 1]! * 0;
      c += x[i + 2]! * 0;
      d += x[i + 3]! * 0;
    }
    for (; i < x.length; i++) a += x[i]! * 0;
    if (a + b + c + d !== 0) return k;
  }
  return -1;
}

function checkPositiveInt(v: unknown, name: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RangeError(`train: ${name} must be a positive integer, got ${String(v)}`);
}

/** The afterStep hook's result, checked to keep the parameters' count and shapes. */
function checkedAfterStep(mapped: Tensor[], before: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(mapped) || mapped.length !== before.length) throw new RangeError(`train: afterStep must return ${before.length} tensors, got ${Array.isArray(mapped) ? mapped.length : typeof mapped}`);
  mapped.forEach((t, k) => {
    const want = before[k]!.shape;
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      throw new RangeError(`train: afterStep changed the shape of parameter ${k} from [${want.join(', ')}] to [${t.shape.join(', ')}]`);
    }
  });
  return mapped;
}

/** The generator that shuffles epoch `epoch` (1-based): a pure function of (seed, epoch). */
export function epochRandom(seed: number, epoch: number): Random {
  return new Random(Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch, 0x85ebca6b));
}

/** Mean loss and metrics of `source` on fixed parameters, in order, batch by batch, weighted by batch size. */
export function evaluate<B>(problem: TrainingProblem<B>, params: readonly Tensor[], source: BatchSource<B>, batchSize: number): Record<string, number> {
  const totals: Record<string, number> = {};
  const constants = params.map(constant);
  for (let start = 0; start < source.size; start += batchSize) {
    const n = Math.min(batchSize, source.size - start);
    const idx = Int32Array.from({ length: n }, (_, i) => start + i);
    const batch = source.batch(idx);
    totals['loss'] = (totals['loss'] ?? 0) + n * problem.loss(constants, batch).item();
    if (problem.metrics) for (const [k, v] of Object.entries(problem.metrics(params, batch))) totals[k] = (totals[k] ?? 0) + n * v;
  }
  for (const k of Object.keys(totals)) totals[k] = totals[k]! / Math.max(source.size, 1);
  return totals;
}

/**
 * Mini-batch gradient training of any {@link TrainingProblem}: seeded shuffling each epoch,
 * an optimizer from src/autodiff (Adam by default; schedules live in its learning rate),
 * optional global-norm clipping, validation with early stopping that restores a copy of
 * the best weights, a guard that stops at the first NaN/Infinity naming epoch, batch and
 * core, per-epoch history, checkpoints and exact resume.
 * @throws NonFiniteTrainingError when a loss, gradient or parameter stops being finite.
 */
export function train<B>(problem: TrainingProblem<B>, data: BatchSource<B>, options: TrainOptions<B>): TrainResult {
  checkPositiveInt(options.epochs, 'epochs');
  checkPositiveInt(options.batchSize, 'batchSize');
  if (options.patience !== undefined) checkPositiveInt(options.patience, 'patience');
  if (options.checkpointEvery !== undefined) checkPositiveInt(options.checkpointEvery, 'checkpointEvery');
  if (options.clipNorm !== undefined && !(options.clipNorm > 0)) throw new RangeError(`train: clipNorm must be positive, got ${options.clipNorm}`);
  if (data.size < 1) throw new RangeError('train: the training data are empty');
  if (options.validation && options.validation.size < 1) throw new RangeError('train: the validation data are empty');
  const seed = options.seed ?? 0;
  const optimizer = options.optimizer ?? (adam({ lr: 1e-3 }) as Optimizer<unknown>);
  const monitor = options.monitor ?? (options.validation ? 'val_loss' : 'loss');
  const mode = options.mode ?? (monitor.endsWith('loss') ? 'min' : 'max');
  const minDelta = options.minDelta ?? 0;
  const restoreBest = options.restoreBest ?? true;
  const evalBatch = options.evalBatchSize ?? Math.max(options.batchSize, 256);
  const cast = (ts: readonly Tensor[]): Tensor[] => ts.map((t) => (options.dtype ? t.astype(options.dtype) : t));

  let params: Tensor[];
  let state: unknown;
  let best: TrainerCheckpoint['best'];
  let wait: number;
  let history: EpochRecord[];
  let startEpoch: number;
  if (options.resume) {
    const cp = options.resume;
    if (cp.seed !== seed) throw new RangeError(`train: the checkpoint was made with seed ${cp.seed}, but this run uses seed ${seed}`);
    if (cp.params.length !== problem.params.length) throw new RangeError(`train: the checkpoint has ${cp.params.length} cores, the problem ${problem.params.length}`);
    params = cast(cp.params);
    state = cp.optimizerState;
    best = cp.best ? { ...cp.best, params: cast(cp.best.params) } : null;
    wait = cp.wait;
    history = cp.history.map((r) => ({ ...r }));
    startEpoch = cp.epoch + 1;
  } else {
    params = cast(problem.params);
    state = optimizer.init(params);
    best = null;
    wait = 0;
    history = [];
    startEpoch = 1;
  }

  // Optimizers with an in-place step update trainer-owned copies of the parameters and
  // state (no fresh buffers per batch); what the trainer hands out (epoch callbacks,
  // checkpoints, the best weights) are copies, so the numbers are those of `update`.
  const inPlace = optimizer.updateInPlace !== undefined && optimizer.copyState !== undefined;
  if (inPlace) {
    params = params.map(copyOf);
    if (options.resume) state = optimizer.copyState!(state);
  }
  const handedOut = (ts: readonly Tensor[]): Tensor[] => (inPlace ? ts.map(copyOf) : [...ts]);
  // With in-place steps the trainer is the only holder of a batch's gradients once the
  // step is done, so they are lent back to the next batch's backward pass to write into.
  let spareGradients: Tensor[] | null = null;

  let stopReason: TrainResult['stopReason'] = 'completed';
  let trainSeconds = 0;
  let epochsRun = 0;
  let lastEpoch = startEpoch - 1;
  if (options.patience !== undefined && wait >= options.patience) stopReason = 'early-stopping';
  for (let epoch = startEpoch; epoch <= options.epochs && stopReason === 'completed'; epoch++) {
    const t0 = performance.now();
    const order = Int32Array.from({ length: data.size }, (_, i) => i);
    const rng = epochRandom(seed, epoch);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let lossSum = 0;
    let batchNo = 0;
    for (let start = 0; start < order.length; start += options.batchSize, batchNo++) {
      const idx = order.subarray(start, Math.min(start + options.batchSize, order.length));
      const batch = data.batch(idx);
      const { value, grads: raw } = valueAndGrad((...p: Var[]) => problem.loss(p, batch), params, spareGradients ? { gradientBuffers: spareGradients } : {});
      const badGrad = firstNonFinite(raw);
      if (badGrad >= 0) throw new NonFiniteTrainingError(epoch, batchNo + 1, badGrad, 'gradient', history);
      if (!Number.isFinite(value)) throw new NonFiniteTrainingError(epoch, batchNo + 1, -1, 'loss', history);
      const grads = options.clipNorm !== undefined ? clipByGlobalNorm(raw, options.clipNorm).grads : raw;
      if (inPlace) {
        state = optimizer.updateInPlace!(grads, state, params);
        spareGradients = raw;
      } else {
        const next = optimizer.update(grads, state, params);
        params = next.params;
        state = next.state;
      }
      if (options.afterStep) {
        const mapped = checkedAfterStep(options.afterStep(params), params);
        // The hook's results become the buffers the next in-place step writes, unless they are ours already.
        params = inPlace ? mapped.map((t, k) => (t === params[k] ? t : copyOf(t))) : mapped;
      }
      // Finite gradients keep the parameters finite except by overflow, which the next
      // batch's gradient check catches; so parameters are checked once per epoch (below).
      lossSum += value * idx.length;
    }
    const badParam = firstNonFinite(params);
    if (badParam >= 0) throw new NonFiniteTrainingError(epoch, batchNo, badParam, 'parameter', history);
    const seconds = (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    epochsRun++;
    lastEpoch = epoch;
    const record: EpochRecord = { epoch, loss: lossSum / data.size };
    if (options.evaluateTrain && problem.metrics) {
      for (const [k, v] of Object.entries(evaluate(problem, params, data, evalBatch))) if (k !== 'loss') record[k] = v;
    }
    if (options.validation) {
      for (const [k, v] of Object.entries(evaluate(problem, params, options.validation, evalBatch))) record[`val_${k}`] = v;
    }
    record['seconds'] = seconds;
    history.push(record);
    const value = record[monitor];
    if (value === undefined) throw new RangeError(`train: monitor '${monitor}' is not among the recorded figures (${Object.keys(record).join(', ')})`);
    const improved = best === null || (mode === 'min' ? value < best.value - minDelta : value > best.value + minDelta);
    if (improved) {
      best = { epoch, value, params: params.map(copyOf) };
      wait = 0;
    } else {
      wait++;
    }
    if (options.patience !== undefined && wait >= options.patience) stopReason = 'early-stopping';
    if (options.onEpoch?.({ epoch, epochs: options.epochs, record, params: handedOut(params), improved }) === 'stop' && stopReason === 'completed') stopReason = 'callback';
    if (options.checkpointEvery !== undefined && epoch % options.checkpointEvery === 0 && options.onCheckpoint) {
      const optimizerState = inPlace ? optimizer.copyState!(state) : state;
      options.onCheckpoint({ epoch, params: handedOut(params), optimizerState, best, wait, history: history.map((r) => ({ ...r })), seed });
    }
  }
  let bestEpoch = lastEpoch;
  if (restoreBest && best !== null && best.epoch !== lastEpoch) {
    params = best.params.map(copyOf);
    bestEpoch = best.epoch;
  }
  return {
    params,
    history,
    bestEpoch,
    bestValue: best?.value ?? null,
    epochs: lastEpoch,
    stopReason,
    optimizerState: state,
    secondsPerEpoch: epochsRun > 0 ? trainSeconds / epochsRun : 0,
  };
}
