/**
 * The compressor / completer estimator: finds a tensor network for a tensor (structure
 * search, or a fixed format), keeps its cores, reconstructs the tensor in its own layout,
 * fills in missing entries, and saves to / loads from the tnkit network format.
 *
 * ```ts
 * const c = new Compressor({ method: 'rgtn', rse: 0.05, shape: [4, 4, 4, 4, 4, 4, 4, 4, 4] });
 * c.fit(image);             // image [512, 512]; fitted as the 9-way reshape
 * c.cr; c.rse; c.ranks;     // the structure found
 * c.reconstruct();          // [512, 512] again
 * c.save('camera.tn');      // Node only; Compressor.load('camera.tn') reads it back
 * ```
 */
import { contractCores } from '../decompose/contract-cores.js';
import { compressionRatio, rse as relativeError } from '../decompose/metrics.js';
import { fitCores, type SweepInfo } from '../decompose/fit-cores.js';
import { trAls } from '../decompose/tr-als.js';
import { trSvd } from '../decompose/tr-svd.js';
import { ttSvd } from '../decompose/tt-svd.js';
import { readModelBytes, writeModelBytes } from '../ml/model-file.js';
import { decodeNetwork, encodeNetwork } from '../network/file-format.js';
import { paramCount, validateRankMatrix } from '../network/rank-matrix.js';
import type { TensorNetwork } from '../network/tensor-network.js';
import type { StopFlag } from '../decompose/stop-flag.js';
import type { CheckpointStore } from '../search/checkpoint.js';
import type { Evaluation, StopReason } from '../search/evaluator.js';
import type { Downsampling } from '../search/pyramid.js';
import type { SearchResult } from '../search/rgtn.js';
import { search, SEARCH_METHODS, type SearchOptions } from '../search/strategies.js';
import { interleavedFold, validatedCompletion, type InterleavedFold } from '../search/validated-completion.js';
import { Tensor } from '../tensor/tensor.js';
import { choiceOption, EstimatorOptionError, intOption, numberOption } from './option-error.js';
import { coresFromNetwork, networkFromCores } from './rank-matrix-network.js';

const NAME = 'Compressor';

/** Every method: the structure searches, validated completion, and the fixed formats tt, tr, ranks (a given rank matrix). */
export const COMPRESSOR_METHODS = [...SEARCH_METHODS, 'validated', 'tt', 'tr', 'ranks'] as const;
/** A method name {@link Compressor} accepts. */
export type CompressorMethod = (typeof COMPRESSOR_METHODS)[number];

/** Default wall-clock budget of a search or completion, in seconds (`budgetSeconds: 0` for none). */
export const DEFAULT_BUDGET_SECONDS = 300;

/** Version of the `tnkit_compressor` metadata a saved network carries. */
export const COMPRESSOR_FILE_VERSION = 1;

/**
 * A progress report: RGTN's starting structure of each scale and each reduction it keeps
 * ('step'; CR and RSE of that scale's data), each finished scale ('scale'), each ALS
 * sweep of tr/ranks ('sweep'), or a new best result so far of a search on the data ('best').
 */
export interface CompressorProgress {
  stage: 'step' | 'scale' | 'sweep' | 'best';
  /** Seconds since fit() started (an RGTN scale: since the search started, resumed runs included). */
  seconds: number;
  params: number;
  cr: number;
  /** RSE on the fitted (observed) entries. */
  rse: number;
  /** RGTN: the scale (0 = coarsest) and its dims. */
  scale?: number;
  dims?: number[];
  /** 'best': the structure of the best result so far and the evaluations made. */
  ranks?: number[][];
  evaluations?: number;
  /** 'best' of validated completion: the RSE on the held-out observed entries, which chooses the structure. */
  validation?: number;
  /** ALS: the sweep (1-based) and the sweep limit. */
  iter?: number;
  total?: number;
}

/** One point of {@link Compressor.history}. */
export interface CompressorPoint {
  seconds: number;
  params: number;
  cr: number;
  rse: number;
}

/**
 * Options of {@link Compressor}; the names are the `tnkit search` / `complete` /
 * `decompose` flags in camelCase.
 */
export interface CompressorOptions {
  /** rgtn (default), greedy, tnga, tnls, tnale, ttsvd, trsvd, validated (completion), tt, tr, ranks. */
  method?: CompressorMethod;
  /**
   * Target RSE on the fitted entries: searches (default 1e-2); tt and tr the SVD tolerance
   * (tt-svd, tr-svd). Not used by validated (held-out error) or ranks.
   */
  rse?: number;
  /**
   * Fixed structures: tt N−1 bond caps, tr N ring bonds (one number: every bond); with
   * `rse` they cap the SVD ranks, without it tr runs ALS at these ranks. ranks: the N×N
   * rank matrix.
   */
  ranks?: number | readonly number[] | readonly (readonly number[])[];
  /** Seed of the search, the fits and held-out splits (default 0). */
  seed?: number;
  /**
   * Wall-clock budget of a search or completion in seconds (default {@link DEFAULT_BUDGET_SECONDS};
   * 0: none). When it runs out the search ends at its next safe point with its best result
   * so far ({@link Compressor.stopped} is 'budget').
   */
  budgetSeconds?: number;
  /**
   * A shared stop request (createStopFlag / requestStop): the search ends at its next safe
   * point with its best result so far ({@link Compressor.stopped} is 'interrupted').
   */
  stop?: StopFlag;
  /** Smoothness penalty per mode (one weight or one per mode after shape/fold); 'auto' with validated. */
  smoothness?: number | readonly number[] | 'auto';
  /** Worker threads for the candidates of tnga/tnls/tnale/validated (default 0; results do not depend on it). */
  workers?: number;
  /** ALS sweeps: per search evaluation (default 40), per validated candidate (default 20), tr ALS and ranks (default 50). */
  iters?: number;
  /** validated: sweeps of the final refit (default 3 × iters). */
  finalIters?: number;
  /** validated: fraction of the observed entries held out (default 0.1). */
  validation?: number;
  /** RGTN pyramid: downsampling (default pool) and levels (default 1). */
  downsample?: Downsampling;
  scales?: number;
  /** RGTN: save after each scale and resume from it. */
  checkpoint?: CheckpointStore;
  /** Reshape the data to these dims before fitting (the product must match); reconstruct() undoes it. */
  shape?: readonly number[];
  /** Fold with interleaved factors instead (one list per axis after the first, see interleavedFold); reconstruct() unfolds. */
  fold?: readonly (readonly number[])[];
  /** Clip the reconstruction to [lo, hi] (e.g. [0, 255] for 8-bit images). */
  clip?: readonly [number, number];
  /** Free-form JSON about the data (file name, 8-bit or not, …), saved with the network. */
  source?: Record<string, unknown>;
  /** Called at each RGTN step and scale, or ALS sweep. */
  onProgress?: (p: CompressorProgress) => void;
}

/** What fit() takes beside the data. */
export interface CompressorFitOptions {
  /** Observed entries (non-zero = observed), in X's layout, one per entry. */
  mask?: Uint8Array | Tensor;
  /** The full tensor (X's shape), to measure the RSE on the missing entries. */
  truth?: Tensor;
}

/** The state of a fitted compressor (what save() writes). */
interface Fitted {
  R: number[][];
  cores: Tensor[];
  /** Shape of the data as given to fit(). */
  inputShape: number[];
  rse: number;
  rseMissing?: number;
  seconds: number;
  evaluations: number;
  history: CompressorPoint[];
  /** validated: held-out RSE and the smoothness weights used. */
  rseValidation?: number;
  smoothnessUsed?: number[];
  /** Searches: whether the result meets the target RSE. */
  met?: boolean;
  /** Set when the search ended early (budget or stop request). */
  stopped?: StopReason;
}

/** The metadata saved with the network. */
interface SavedMetadata {
  version: number;
  method: CompressorMethod;
  options: Record<string, unknown>;
  inputShape: number[];
  shape: number[] | null;
  fold: number[][] | null;
  clip: [number, number] | null;
  params: number;
  cr: number;
  rse: number;
  rseMissing: number | null;
  seconds: number;
  evaluations: number;
  history: CompressorPoint[];
  source: Record<string, unknown> | null;
  /** Searches: whether the target was met; absent in files written before it was saved. */
  met?: boolean | null;
  /** Why the search ended early, or null. */
  stopped?: StopReason | null;
}

/** The compressor / completer estimator (see the module comment). */
export class Compressor {
  readonly method: CompressorMethod;
  private readonly options: CompressorOptions;
  private state: Fitted | undefined;
  private fittedData: { x: Tensor; mask: Uint8Array | undefined } | undefined;
  private model: Tensor | undefined;
  private net: TensorNetwork | undefined;

  /** @throws EstimatorOptionError naming the first bad option (before any work). */
  constructor(options: CompressorOptions = {}) {
    this.method = choiceOption(NAME, 'method', options.method ?? 'rgtn', COMPRESSOR_METHODS);
    const o = options;
    if (o.rse !== undefined && !(typeof o.rse === 'number' && o.rse >= 0 && o.rse <= 1)) throw new EstimatorOptionError(NAME, 'rse', `expected a relative error in [0, 1], got ${JSON.stringify(o.rse)}`);
    if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new EstimatorOptionError(NAME, 'seed', `expected an integer, got ${JSON.stringify(o.seed)}`);
    if (o.budgetSeconds !== undefined) numberOption(NAME, 'budgetSeconds', o.budgetSeconds, true);
    if (o.workers !== undefined) intOption(NAME, 'workers', o.workers, 0);
    if (o.iters !== undefined) intOption(NAME, 'iters', o.iters, 1);
    if (o.finalIters !== undefined) intOption(NAME, 'finalIters', o.finalIters, 1);
    if (o.scales !== undefined) intOption(NAME, 'scales', o.scales, 1);
    if (o.downsample !== undefined) choiceOption(NAME, 'downsample', o.downsample, ['pool', 'decimate']);
    if (o.validation !== undefined && !(typeof o.validation === 'number' && o.validation > 0 && o.validation < 1)) {
      throw new EstimatorOptionError(NAME, 'validation', `expected a fraction in (0, 1), got ${JSON.stringify(o.validation)}`);
    }
    if (o.smoothness !== undefined) {
      if (o.smoothness === 'auto') {
        if (this.method !== 'validated') throw new EstimatorOptionError(NAME, 'smoothness', `'auto' works with method validated, not ${this.method}`);
      } else {
        const w = typeof o.smoothness === 'number' ? [o.smoothness] : o.smoothness;
        if (!Array.isArray(w) || w.length === 0 || !w.every((v) => typeof v === 'number' && v >= 0 && Number.isFinite(v))) {
          throw new EstimatorOptionError(NAME, 'smoothness', `expected non-negative numbers, got ${JSON.stringify(o.smoothness)}`);
        }
      }
    }
    if (o.checkpoint !== undefined && this.method !== 'rgtn') {
      throw new EstimatorOptionError(NAME, 'checkpoint', `only method rgtn saves and resumes a search; ${this.method} does not (drop checkpoint)`);
    }
    if (o.shape !== undefined && o.fold !== undefined) throw new EstimatorOptionError(NAME, 'shape', 'give either shape or fold, not both');
    if (o.shape !== undefined && !(Array.isArray(o.shape) && o.shape.length > 0 && o.shape.every((d) => Number.isInteger(d) && d >= 1))) {
      throw new EstimatorOptionError(NAME, 'shape', `expected positive integers, got ${JSON.stringify(o.shape)}`);
    }
    if (o.clip !== undefined && !(Array.isArray(o.clip) && o.clip.length === 2 && o.clip[0] <= o.clip[1])) {
      throw new EstimatorOptionError(NAME, 'clip', `expected [lo, hi] with lo ≤ hi, got ${JSON.stringify(o.clip)}`);
    }
    if ((this.method === 'tt' || this.method === 'tr') && o.rse === undefined && o.ranks === undefined) {
      throw new EstimatorOptionError(NAME, 'rse', `method ${this.method} needs rse or ranks`);
    }
    if (this.method === 'ranks' && !(Array.isArray(o.ranks) && Array.isArray(o.ranks[0]))) {
      throw new EstimatorOptionError(NAME, 'ranks', 'method ranks needs the N×N rank matrix');
    }
    if ((this.method === 'tt' || this.method === 'tr') && o.ranks !== undefined && typeof o.ranks !== 'number') {
      if (!(Array.isArray(o.ranks) && (o.ranks as unknown[]).every((r) => Number.isInteger(r) && (r as number) >= 1))) {
        throw new EstimatorOptionError(NAME, 'ranks', `method ${this.method} takes one rank or a list of bond ranks, got ${JSON.stringify(o.ranks)}`);
      }
    }
    this.options = { ...options };
  }

  /**
   * Fits X (reshaped or folded first when `shape` / `fold` is set). With a mask only the
   * observed entries are fitted (searches, validated, tr ALS and ranks; not the SVD formats).
   * @throws EstimatorOptionError naming the option or argument at fault.
   */
  fit(X: Tensor, fitOptions: CompressorFitOptions = {}): this {
    const o = this.options;
    const started = performance.now();
    const layout = this.layoutFor(X.shape);
    // The fixed formats keep f32 data in f32 (as tt-svd, tr-svd and ALS do); searches fit in f64.
    const fixed = this.method === 'tt' || this.method === 'tr' || this.method === 'ranks';
    const original = fixed && X.dtype === 'f32' ? X : X.astype('f64');
    const x = layout.fold(original);
    /** The mask in X's layout (flat) and as fitted (reshaped or folded like X). */
    let flatMask: Uint8Array | undefined;
    let mask: Uint8Array | undefined;
    if (fitOptions.mask !== undefined) {
      const m = fitOptions.mask;
      const bytes = m instanceof Tensor ? m.toTypedArray() : m;
      if (bytes.length !== X.size) throw new EstimatorOptionError(NAME, 'mask', `has ${bytes.length} entries but X has ${X.size} (shape [${X.shape.join(', ')}])`);
      flatMask = Uint8Array.from(bytes as ArrayLike<number>, (v) => (v !== 0 ? 1 : 0));
      if (!flatMask.includes(1)) throw new EstimatorOptionError(NAME, 'mask', `has no observed entry (all ${bytes.length} are 0): there is nothing to fit`);
      mask = o.fold === undefined ? flatMask : Uint8Array.from(layout.fold(new Tensor(Float64Array.from(flatMask), [...X.shape])).toTypedArray());
    }
    if (this.method === 'validated' && mask === undefined) throw new EstimatorOptionError(NAME, 'mask', 'method validated completes missing entries: give fit(X, { mask })');
    if (mask !== undefined && (this.method === 'tt' || this.method === 'ttsvd' || this.method === 'trsvd' || (this.method === 'tr' && o.rse !== undefined))) {
      throw new EstimatorOptionError(NAME, 'mask', `method ${this.method} needs every entry (an SVD); use a search, validated, tr without rse, or ranks`);
    }
    let truth: Tensor | undefined;
    if (fitOptions.truth !== undefined) {
      if (fitOptions.truth.size !== X.size) throw new EstimatorOptionError(NAME, 'truth', `has shape [${fitOptions.truth.shape.join(', ')}], X has [${X.shape.join(', ')}]`);
      truth = layout.fold(fitOptions.truth.astype('f64').reshape(...X.shape));
    }
    const smoothness = o.smoothness === undefined || o.smoothness === 'auto' ? o.smoothness : typeof o.smoothness === 'number' ? new Array<number>(x.ndim).fill(o.smoothness) : [...o.smoothness];
    if (Array.isArray(smoothness) && smoothness.length !== x.ndim) {
      throw new EstimatorOptionError(NAME, 'smoothness', `has ${smoothness.length} weights but the tensor being fitted has ${x.ndim} modes`);
    }
    const seed = o.seed ?? 0;
    const budget = o.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
    const history: CompressorPoint[] = [];
    const since = (): number => (performance.now() - started) / 1000;
    const onSweep = (R: number[][], total: number) => ({ iter, rse }: SweepInfo): void => {
      const params = paramCount(R, x.shape);
      const p = { seconds: since(), params, cr: compressionRatio(params, x.size), rse };
      history.push(p);
      o.onProgress?.({ stage: 'sweep', ...p, iter, total });
    };

    let R: number[][];
    let cores: Tensor[];
    let rse: number | undefined;
    let rseMissing: number | undefined;
    let evaluations = 1;
    let rseValidation: number | undefined;
    let smoothnessUsed: number[] | undefined;
    let met: boolean | undefined;
    let stopped: StopReason | undefined;
    if ((SEARCH_METHODS as readonly string[]).includes(this.method) || this.method === 'validated') {
      if (x.ndim < 2) throw new EstimatorOptionError(NAME, 'X', `has shape [${x.shape.join(', ')}]: structure search needs order ≥ 2 (set shape)`);
      let r: SearchResult;
      if (this.method === 'validated') {
        const iters = o.iters ?? 20;
        const v = validatedCompletion(x, {
          mask: mask!, validation: o.validation ?? 0.1, seed, iters, finalIters: o.finalIters ?? 3 * iters, workers: o.workers ?? 0,
          ...(truth !== undefined ? { truth } : {}),
          ...(budget > 0 ? { budgetSeconds: budget } : {}),
          ...(o.stop !== undefined ? { stop: o.stop } : {}),
          ...(smoothness !== undefined ? { smoothness } : {}),
          ...(o.onProgress !== undefined ? {
            onImprove: (e: Evaluation, at: { validation: number; seconds: number; evaluations: number }) => o.onProgress!({
              stage: 'best', seconds: at.seconds, params: e.params, cr: e.cr, rse: e.rse, ranks: e.R, evaluations: at.evaluations, validation: at.validation,
            }),
          } : {}),
        });
        r = v;
        rseValidation = v.rseValidation;
        smoothnessUsed = v.smoothness;
      } else {
        const options: SearchOptions = { rse: o.rse ?? 1e-2, seed };
        if (mask !== undefined) options.mask = mask;
        if (truth !== undefined) options.truth = truth;
        if (o.workers !== undefined) options.workers = o.workers;
        if (budget > 0) options.budgetSeconds = budget;
        if (o.stop !== undefined) options.stop = o.stop;
        if (o.onProgress !== undefined) {
          const report = o.onProgress;
          options.onImprove = (e, at) => report({ stage: 'best', seconds: at.seconds, params: e.params, cr: e.cr, rse: e.rse, ranks: e.R, evaluations: at.evaluations });
        }
        if (o.iters !== undefined) options.iters = o.iters;
        if (smoothness !== undefined) options.smoothness = smoothness as number[];
        options.rgtn = {
          onStep: (e, at) => {
            const p = { seconds: at.seconds, params: e.params, cr: e.cr, rse: e.rse };
            history.push(p);
            o.onProgress?.({ stage: 'step', ...p, scale: at.scale, dims: [...e.cores.map((c) => c.shape[0]!)] });
          },
          onScale: (l) => o.onProgress?.({ stage: 'scale', seconds: l.seconds, params: l.params, cr: l.cr, rse: l.rse, scale: l.scale, dims: [...l.dims] }),
          ...(o.downsample !== undefined ? { downsample: o.downsample } : {}),
          ...(o.scales !== undefined ? { scales: o.scales } : {}),
          ...(o.checkpoint !== undefined ? { checkpoint: o.checkpoint } : {}),
        };
        r = search(this.method, x, options);
        smoothnessUsed = smoothness as number[] | undefined;
        met = r.feasible;
      }
      stopped = r.stopped;
      for (const l of r.log ?? []) history.push({ seconds: l.seconds, params: l.params, cr: l.cr, rse: l.rse });
      // Steps and scale ends in time order (a stable sort keeps a scale's end after its last step).
      history.sort((a, b) => a.seconds - b.seconds);
      R = r.ranks;
      cores = r.cores;
      rse = r.rse;
      rseMissing = r.rseMissing;
      evaluations = r.evaluations;
    } else if (this.method === 'tt') {
      if (x.ndim < 2) throw new EstimatorOptionError(NAME, 'X', `method tt needs at least 2 modes, got shape [${x.shape.join(', ')}] (set shape)`);
      const caps = this.bondList(x.ndim - 1, 'a tensor train');
      const tt = ttSvd(x, { ...(o.rse !== undefined ? { rse: o.rse } : {}), ...(caps ? { maxRank: caps } : {}) });
      R = tt.rankMatrix;
      cores = tt.cores;
    } else if (this.method === 'tr') {
      if (x.ndim < 3) throw new EstimatorOptionError(NAME, 'X', `method tr needs at least 3 modes, got shape [${x.shape.join(', ')}] (set shape)`);
      const given = this.bondList(x.ndim, 'a tensor ring');
      if (o.rse !== undefined) {
        const tr = trSvd(x, { rse: o.rse, ...(given ? { maxRank: given } : {}) });
        R = tr.rankMatrix;
        cores = tr.cores;
      } else {
        const total = o.iters ?? 50;
        const ring = ringOf(given!);
        const tr = trAls(x, given!, {
          iters: total, seed, onIter: onSweep(ring, total),
          ...(mask !== undefined ? { mask } : {}), ...(truth !== undefined ? { truth } : {}),
          ...(Array.isArray(smoothness) ? { smoothness } : {}),
        });
        R = tr.rankMatrix;
        cores = tr.cores;
        rseMissing = tr.rseMissing;
      }
    } else {
      const given = (o.ranks as readonly (readonly number[])[]).map((row) => [...row]);
      try {
        validateRankMatrix(x.shape, given);
      } catch (error) {
        throw new EstimatorOptionError(NAME, 'ranks', (error as Error).message);
      }
      const total = o.iters ?? 50;
      const fit = fitCores(x, given, {
        iters: total, seed, onIter: onSweep(given, total),
        ...(mask !== undefined ? { mask } : {}), ...(truth !== undefined ? { truth } : {}),
        ...(Array.isArray(smoothness) ? { smoothness } : {}),
      });
      R = given;
      cores = fit.cores;
      rseMissing = fit.rseMissing;
    }
    this.model = undefined;
    this.net = undefined;
    this.state = { R, cores, inputShape: [...X.shape], rse: 0, seconds: 0, evaluations, history };
    // The SVD formats and fixed fits: the RSE of the reconstruction itself (on the observed entries with a mask).
    rse ??= relativeError(this.contracted(), x, mask !== undefined ? { mask } : {});
    const params = paramCount(R, x.shape);
    const seconds = since();
    history.push({ seconds, params, cr: compressionRatio(params, x.size), rse });
    Object.assign(
      this.state, { rse, seconds }, rseMissing !== undefined ? { rseMissing } : {}, rseValidation !== undefined ? { rseValidation } : {},
      smoothnessUsed !== undefined ? { smoothnessUsed } : {}, met !== undefined ? { met } : {}, stopped !== undefined ? { stopped } : {},
    );
    this.fittedData = { x: original, mask: flatMask };
    return this;
  }

  /** The data reshaped/folded as fitted, and back. */
  private layoutFor(shape: readonly number[]): { fold(t: Tensor): Tensor; unfold(t: Tensor): Tensor } {
    const o = this.options;
    const size = shape.reduce((p, d) => p * d, 1);
    if (o.fold !== undefined) {
      let f: InterleavedFold;
      try {
        f = interleavedFold(shape, o.fold);
      } catch (error) {
        throw new EstimatorOptionError(NAME, 'fold', (error as Error).message.replace(/^interleavedFold: /, ''));
      }
      return f;
    }
    if (o.shape !== undefined) {
      const to = [...o.shape];
      const n = to.reduce((p, d) => p * d, 1);
      if (n !== size) throw new EstimatorOptionError(NAME, 'shape', `[${to.join(', ')}] has ${n} entries but X has shape [${shape.join(', ')}] (${size} entries)`);
      return { fold: (t) => t.reshape(...to), unfold: (t) => t.reshape(...shape).copy() };
    }
    return { fold: (t) => t, unfold: (t) => t.copy() };
  }

  /** The bond list of tt/tr from `ranks` (undefined when not given). */
  private bondList(count: number, what: string): number[] | undefined {
    const r = this.options.ranks;
    if (r === undefined) return undefined;
    if (typeof r === 'number') return new Array<number>(count).fill(r);
    const list = [...(r as readonly number[])];
    if (list.length !== count) throw new EstimatorOptionError(NAME, 'ranks', `${what} over ${what === 'a tensor train' ? count + 1 : count} modes needs ${count} ranks, got ${list.length} (${list.join(',')})`);
    return list;
  }

  private fitted(what: string): Fitted {
    if (!this.state) throw new Error(`${NAME}: ${what} needs a fitted compressor: call fit() or Compressor.load() first`);
    return this.state;
  }

  /** The contracted network in the fitted layout (cached). */
  private contracted(): Tensor {
    const s = this.fitted('reconstruct()');
    this.model ??= contractCores(s.cores, s.R);
    return this.model;
  }

  /** The rank matrix found (R[i][j] > 1: a bond between cores i and j; diagonal 1). */
  get ranks(): number[][] {
    return this.fitted('ranks').R.map((row) => [...row]);
  }

  /** Physical dimension of each core (the data's shape as fitted, after shape/fold). */
  get dims(): number[] {
    return this.fitted('dims').cores.map((c) => c.shape[0]!);
  }

  /** The fitted cores (fromRankMatrix's axis convention). */
  get cores(): readonly Tensor[] {
    return this.fitted('cores').cores;
  }

  /** Parameters: the entries of every core. */
  get params(): number {
    const s = this.fitted('params');
    return paramCount(s.R, this.dims);
  }

  /** Compression ratio: params / entries of the data. */
  get cr(): number {
    return compressionRatio(this.params, this.dims);
  }

  /** RSE on the fitted (observed) entries. */
  get rse(): number {
    return this.fitted('rse').rse;
  }

  /** RSE on the missing entries, when fitted with a mask and the truth. */
  get rseMissing(): number | undefined {
    return this.fitted('rseMissing').rseMissing;
  }

  /** validated: RSE on the held-out observed entries. */
  get rseValidation(): number | undefined {
    return this.fitted('rseValidation').rseValidation;
  }

  /** The smoothness weight per mode the fits used (the chosen one with 'auto'). */
  get smoothnessUsed(): number[] | undefined {
    return this.fitted('smoothnessUsed').smoothnessUsed;
  }

  /** Seconds fit() took. */
  get seconds(): number {
    return this.fitted('seconds').seconds;
  }

  /** Structures fitted (1 for the fixed formats). */
  get evaluations(): number {
    return this.fitted('evaluations').evaluations;
  }

  /**
   * Searches: whether the result meets the target RSE (`rse`); undefined for validated
   * completion (no target: chosen by held-out error) and the fixed formats.
   */
  get met(): boolean | undefined {
    return this.fitted('met').met;
  }

  /** Set when the search ended early: its budget ran out ('budget') or a stop was requested ('interrupted'). */
  get stopped(): StopReason | undefined {
    return this.fitted('stopped').stopped;
  }

  /** Points reported during the fit (RGTN scales, ALS sweeps), then the result. */
  get history(): readonly CompressorPoint[] {
    return this.fitted('history').history;
  }

  /** The shape of the data given to fit(). */
  get inputShape(): number[] {
    return [...this.fitted('inputShape').inputShape];
  }

  /** The fitted network (a copy of the cores' structure as a TensorNetwork, tags 'I0', 'I1', …). */
  get network(): TensorNetwork {
    const s = this.fitted('network');
    this.net ??= networkFromCores(s.R, s.cores);
    return this.net.copy();
  }

  /** The network contracted, in the layout and shape of the data given to fit() (clipped with `clip`). */
  reconstruct(): Tensor {
    const s = this.fitted('reconstruct()');
    const out = this.layoutFor(s.inputShape).unfold(this.contracted());
    const clip = this.options.clip;
    if (clip) {
      const d = out.data;
      for (let p = 0; p < d.length; p++) d[p] = Math.min(clip[1], Math.max(clip[0], d[p]!));
    }
    return out;
  }

  /**
   * The data with its missing entries filled in: observed entries as given to fit(),
   * missing ones from {@link reconstruct}. Needs a fit with a mask in this session.
   */
  complete(): Tensor {
    this.fitted('complete()');
    const data = this.fittedData;
    if (!data?.mask) throw new Error(`${NAME}: complete() needs a fit with a mask in this session (fit(X, { mask })); use reconstruct() otherwise`);
    const out = this.reconstruct();
    const d = out.data;
    const src = data.x.toTypedArray();
    for (let p = 0; p < d.length; p++) if (data.mask[p] !== 0) d[p] = src[p]!;
    return out;
  }

  /** The network and its metadata as network-file bytes (browser-safe). */
  toBytes(): Uint8Array {
    const s = this.fitted('save()');
    const o = this.options;
    const saved: Record<string, unknown> = {};
    for (const key of ['rse', 'ranks', 'seed', 'budgetSeconds', 'smoothness', 'workers', 'iters', 'finalIters', 'validation', 'downsample', 'scales'] as const) {
      if (o[key] !== undefined) saved[key] = o[key];
    }
    const meta: SavedMetadata = {
      version: COMPRESSOR_FILE_VERSION,
      method: this.method,
      options: saved,
      inputShape: s.inputShape,
      shape: o.shape ? [...o.shape] : null,
      fold: o.fold ? o.fold.map((f) => [...f]) : null,
      clip: o.clip ? [o.clip[0], o.clip[1]] : null,
      params: this.params,
      cr: this.cr,
      rse: s.rse,
      rseMissing: s.rseMissing ?? null,
      seconds: s.seconds,
      evaluations: s.evaluations,
      history: s.history,
      source: o.source ?? null,
      met: s.met ?? null,
      stopped: s.stopped ?? null,
    };
    this.net ??= networkFromCores(s.R, s.cores);
    return encodeNetwork(this.net, { metadata: { tnkit_compressor: meta } });
  }

  /** The `source` facts given at construction (or read from a saved file). */
  get source(): Record<string, unknown> | undefined {
    return this.options.source;
  }

  /** Saves the network and its metadata to `path` (tnkit network format, atomically; Node only). */
  save(path: string): void {
    writeModelBytes(path, this.toBytes());
  }

  /** Reads a compressor from network-file bytes; `name` goes into error messages. */
  static fromBytes(bytes: Uint8Array, name = 'network'): Compressor {
    const { network, metadata } = decodeNetwork(bytes, name);
    const meta = (metadata as { tnkit_compressor?: SavedMetadata } | null)?.tnkit_compressor;
    const bad = (field: string, why: string): Error => new Error(`${name}: metadata.tnkit_compressor.${field}: ${why}`);
    if (!meta || typeof meta !== 'object') throw new Error(`${name}: not a saved compressor (no metadata.tnkit_compressor; was it written by tnkit search --out or Compressor.save?)`);
    if (meta.version !== COMPRESSOR_FILE_VERSION) throw bad('version', `${JSON.stringify(meta.version)} is not ${COMPRESSOR_FILE_VERSION}`);
    if (!(COMPRESSOR_METHODS as readonly string[]).includes(meta.method)) throw bad('method', `'${String(meta.method)}' is not a known method`);
    const ints = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d) && d >= 1);
    if (!ints(meta.inputShape)) throw bad('inputShape', `expected positive integers, got ${JSON.stringify(meta.inputShape)}`);
    if (meta.shape !== null && !ints(meta.shape)) throw bad('shape', `expected positive integers or null, got ${JSON.stringify(meta.shape)}`);
    if (meta.fold !== null && !(Array.isArray(meta.fold) && meta.fold.every(ints))) throw bad('fold', `expected lists of positive integers or null, got ${JSON.stringify(meta.fold)}`);
    if (meta.clip !== null && !(Array.isArray(meta.clip) && meta.clip.length === 2 && meta.clip.every((v) => typeof v === 'number'))) throw bad('clip', `expected [lo, hi] or null, got ${JSON.stringify(meta.clip)}`);
    let R: number[][];
    let cores: Tensor[];
    try {
      ({ R, cores } = coresFromNetwork(network));
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
    }
    const dims = R.map((row, i) => row[i]!);
    R = R.map((row, i) => row.map((r, j) => (i === j ? 1 : r)));
    const size = dims.reduce((p, d) => p * d, 1);
    if (size !== meta.inputShape.reduce((p, d) => p * d, 1)) throw bad('inputShape', `[${meta.inputShape.join(', ')}] does not have the ${size} entries of the network's dims [${dims.join(', ')}]`);
    const options: CompressorOptions = { method: meta.method };
    if (meta.shape) options.shape = meta.shape;
    if (meta.fold) options.fold = meta.fold;
    if (meta.clip) options.clip = meta.clip;
    if (meta.source) options.source = meta.source;
    const c = new Compressor({ ...options, ...(meta.method === 'tt' || meta.method === 'tr' ? { rse: 0 } : {}), ...(meta.method === 'ranks' ? { ranks: R } : {}) });
    // The saved options are kept as given (not re-validated beyond what rebuilding needs).
    Object.assign(c.options, meta.options);
    const history = Array.isArray(meta.history) ? meta.history.filter((p) => p && typeof p.seconds === 'number') : [];
    c.state = {
      R, cores, inputShape: meta.inputShape,
      rse: Number(meta.rse), seconds: Number(meta.seconds) || 0, evaluations: Number(meta.evaluations) || 1, history,
      ...(typeof meta.rseMissing === 'number' ? { rseMissing: meta.rseMissing } : {}),
      ...(typeof meta.met === 'boolean' ? { met: meta.met } : {}),
      ...(meta.stopped === 'budget' || meta.stopped === 'interrupted' ? { stopped: meta.stopped } : {}),
    };
    return c;
  }

  /** Reads a compressor saved by {@link save} (Node only). Errors name the file and the field. */
  static load(path: string): Compressor {
    let bytes: Uint8Array;
    try {
      bytes = readModelBytes(path);
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
    return Compressor.fromBytes(bytes, path);
  }
}

/** The ring rank matrix of N bond ranks (ranks[k] joins cores k and k+1 mod N). */
function ringOf(ranks: readonly number[]): number[][] {
  const n = ranks.length;
  const R = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  ranks.forEach((r, k) => {
    const j = (k + 1) % n;
    R[k]![j] = r;
    R[j]![k] = r;
  });
  return R;
}
