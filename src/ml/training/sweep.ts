import { adam, valueAndGrad, type Var } from '../../autodiff/index.js';
import { matmul } from '../../linalg/matmul.js';
import { truncatedSvd } from '../../linalg/truncated-svd.js';
import type { Tensor } from '../../tensor/tensor.js';
import { epochRandom, type BatchSource } from './trainer.js';

/*
 * DMRG-style (two-site) sweep training as data plus one engine, after ITensorMPS's
 * sweeps / alternating_update: a schedule (maxRank, rse, steps, lr per sweep), a
 * sweep-order generator, a cached environment with moveTo(bond), an observer.
 *
 * Cores form an open chain: each core's first axis is its left bond and its last axis its
 * right bond (size 1 at the ends); the axes between are the site's own legs (physical,
 * output, class). At bond k the engine merges cores k and k+1, takes a few Adam steps on the
 * merged tensor with the rest of the chain frozen in the environments, and splits it back
 * by a truncated SVD, pushing the singular values in the direction of travel. Environments
 * are stacks per batch: left[k] covers sites < k, right[k] sites ≥ k; an update at sites
 * (k, k+1) invalidates only the entries that depend on them, so a full sweep costs O(L)
 * environment contractions.
 */

/** What a model must provide for sweep training: environments and a loss local to two sites. */
export interface SweepProblem<B, E> {
  /** The cores to start from (open chain, bonds first and last). */
  readonly cores: readonly Tensor[];
  /** The environment of no sites, at the left end. */
  leftBoundary(batch: B): E;
  /** The environment of no sites, at the right end. */
  rightBoundary(batch: B): E;
  /** `env` (sites < site) extended through `core` at `site`. */
  extendLeft(env: E, core: Tensor, site: number, batch: B): E;
  /** `env` (sites > site) extended through `core` at `site`. */
  extendRight(env: E, core: Tensor, site: number, batch: B): E;
  /**
   * The batch loss as a function of the merged tensor of sites `bond`, `bond+1`
   * (`[l, legs of bond…, legs of bond+1…, r]`), with `left` covering sites < bond and `right`
   * sites > bond+1. Equals the full model's loss on that batch.
   */
  localLoss(merged: Var, left: E, right: E, bond: number, batch: B): Var;
}

/** One sweep's settings. */
export interface SweepStage {
  /** Cap on the rank of the bond each two-site split creates (the trainers pass the model's `bondDim`). */
  maxRank: number;
  /** Bound on each split's relative error: drop the singular-value tail of norm ≤ rse·‖merged‖ (in [0, 1]; default 0). */
  rse?: number;
  /** Adam steps on each merged tensor (default 1). */
  steps?: number;
  /** Adam learning rate (default 10⁻³). */
  lr?: number;
}

/** A schedule: one stage per sweep; the last stage repeats when there are more sweeps than stages. */
export type SweepSchedule = readonly SweepStage[];

/** A position of the sweep: the bond (left site of the merged pair) and the direction of travel. */
export interface SweepStep {
  bond: number;
  direction: 'right' | 'left';
}

/** Left-to-right then right-to-left over the bonds of an n-site chain (2(n−1) − 1… steps, ends visited once each way). */
export function* twoWaySweep(sites: number): Generator<SweepStep> {
  for (let k = 0; k < sites - 1; k++) yield { bond: k, direction: 'right' };
  for (let k = sites - 2; k >= 0; k--) yield { bond: k, direction: 'left' };
}

/** Left to right only. */
export function* oneWaySweep(sites: number): Generator<SweepStep> {
  for (let k = 0; k < sites - 1; k++) yield { bond: k, direction: 'right' };
}

/** What the observer sees. */
export type SweepEvent =
  | { type: 'bond'; sweep: number; batch: number; bond: number; direction: 'right' | 'left'; loss: number; rank: number; discardedNorm: number }
  | { type: 'sweep'; sweep: number; loss: number; seconds: number; maxBondDim: number };

/** Options of {@link alternatingUpdate}. */
export interface SweepOptions {
  schedule: SweepSchedule;
  /** Number of sweeps (default: the schedule's length). */
  sweeps?: number;
  batchSize: number;
  /** Seed of the per-sweep shuffles (default 0). */
  seed?: number;
  /** The sweep order (default {@link twoWaySweep}). */
  order?: (sites: number) => Iterable<SweepStep>;
  /** Called after every bond update and every sweep (loss, rank kept, discarded norm). */
  observer?: (event: SweepEvent) => void;
}

/** What {@link alternatingUpdate} returns. */
export interface SweepResult {
  cores: Tensor[];
  /** Mean loss of each sweep (over the local steps' losses, weighted by batch size). */
  history: number[];
  secondsPerSweep: number;
}

/**
 * Environment stacks of one batch over a chain of cores, updated incrementally.
 * `leftAt(k)` covers sites < k, `rightAt(k)` sites ≥ k; both are computed from the nearest
 * cached entry and cached. `setPair` replaces two adjacent cores and drops exactly the
 * entries that saw them.
 */
export class CachedEnvironment<B, E> {
  private readonly left: (E | undefined)[];
  private readonly right: (E | undefined)[];
  private readonly cores: Tensor[];
  /** Number of single-site environment extensions performed (for cost checks). */
  extensions = 0;

  constructor(private readonly problem: SweepProblem<B, E>, cores: readonly Tensor[], private readonly batch: B) {
    const n = cores.length;
    this.cores = [...cores];
    this.left = new Array<E | undefined>(n + 1).fill(undefined);
    this.right = new Array<E | undefined>(n + 1).fill(undefined);
    this.left[0] = problem.leftBoundary(batch);
    this.right[n] = problem.rightBoundary(batch);
  }

  /** Number of sites (cores). */
  get sites(): number {
    return this.cores.length;
  }

  /** The environment of sites < k. */
  leftAt(k: number): E {
    this.checkPosition(k);
    let j = k;
    while (this.left[j] === undefined) j--;
    for (; j < k; j++) {
      this.left[j + 1] = this.problem.extendLeft(this.left[j]!, this.cores[j]!, j, this.batch);
      this.extensions++;
    }
    return this.left[k]!;
  }

  /** The environment of sites ≥ k. */
  rightAt(k: number): E {
    this.checkPosition(k);
    let j = k;
    while (this.right[j] === undefined) j++;
    for (; j > k; j--) {
      this.right[j - 1] = this.problem.extendRight(this.right[j]!, this.cores[j - 1]!, j - 1, this.batch);
      this.extensions++;
    }
    return this.right[k]!;
  }

  /** The environments around the pair (bond, bond+1). */
  moveTo(bond: number): { left: E; right: E } {
    if (!Number.isInteger(bond) || bond < 0 || bond >= this.sites - 1) throw new RangeError(`CachedEnvironment.moveTo: bond must be in [0, ${this.sites - 2}], got ${bond}`);
    return { left: this.leftAt(bond), right: this.rightAt(bond + 2) };
  }

  /** Replaces cores `bond` and `bond+1`, dropping the environments that contain them. */
  setPair(bond: number, a: Tensor, b: Tensor): void {
    if (!Number.isInteger(bond) || bond < 0 || bond >= this.sites - 1) throw new RangeError(`CachedEnvironment.setPair: bond must be in [0, ${this.sites - 2}], got ${bond}`);
    this.cores[bond] = a;
    this.cores[bond + 1] = b;
    for (let k = bond + 1; k <= this.sites; k++) this.left[k] = undefined;
    for (let k = 0; k <= bond + 1; k++) this.right[k] = undefined;
  }

  /** The current cores. */
  currentCores(): Tensor[] {
    return [...this.cores];
  }

  private checkPosition(k: number): void {
    if (!Number.isInteger(k) || k < 0 || k > this.sites) throw new RangeError(`CachedEnvironment: position must be in [0, ${this.sites}], got ${k}`);
  }
}

/** Merges two adjacent cores over their shared bond: `[l, a…, m]·[m, b…, r]` → `[l, a…, b…, r]`. */
export function mergeCores(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 1]!;
  if (b.shape[0] !== m) throw new RangeError(`mergeCores: the left core's right bond is ${m} but the right core's left bond is ${b.shape[0]}`);
  const rows = a.size / m;
  const cols = b.size / m;
  const product = matmul(a.contiguous().reshape(rows, m), b.contiguous().reshape(m, cols));
  return product.reshape(...a.shape.slice(0, -1), ...b.shape.slice(1));
}

/**
 * Splits a merged tensor `[l, a…, b…, r]` (the first `leftAxes` axes belong to the left core)
 * by a truncated SVD into `[l, a…, k]` and `[k, b…, r]`, k ≤ maxRank; the singular values go
 * to the right core when moving right, to the left core when moving left.
 */
export function splitMerged(merged: Tensor, leftAxes: number, direction: 'right' | 'left', maxRank: number, rse = 0): { left: Tensor; right: Tensor; rank: number; discardedNorm: number } {
  if (!Number.isInteger(leftAxes) || leftAxes < 1 || leftAxes >= merged.ndim) throw new RangeError(`splitMerged: leftAxes must be in [1, ${merged.ndim - 1}], got ${leftAxes}`);
  const leftShape = merged.shape.slice(0, leftAxes);
  const rightShape = merged.shape.slice(leftAxes);
  const rows = leftShape.reduce((p, d) => p * d, 1);
  const cols = rightShape.reduce((p, d) => p * d, 1);
  const { U, S, Vt, rank, discardedNorm } = truncatedSvd(merged.contiguous().reshape(rows, cols).astype('f64'), { maxRank, rse });
  const s = S.toTypedArray();
  const u = U.contiguous().copy();
  const vt = Vt.contiguous().copy();
  if (direction === 'right') {
    for (let i = 0; i < rank; i++) for (let j = 0; j < cols; j++) vt.data[i * cols + j] = vt.data[i * cols + j]! * s[i]!;
  } else {
    for (let r = 0; r < rows; r++) for (let i = 0; i < rank; i++) u.data[r * rank + i] = u.data[r * rank + i]! * s[i]!;
  }
  return {
    left: u.reshape(...leftShape, rank).astype(merged.dtype),
    right: vt.reshape(rank, ...rightShape).astype(merged.dtype),
    rank,
    discardedNorm,
  };
}

function checkStage(stage: SweepStage, k: number): Required<SweepStage> {
  const { maxRank, rse = 0, steps = 1, lr = 1e-3 } = stage;
  if (!Number.isInteger(maxRank) || maxRank < 1) throw new RangeError(`sweep schedule stage ${k}: maxRank must be a positive integer, got ${maxRank}`);
  if (!(rse >= 0 && rse <= 1)) throw new RangeError(`sweep schedule stage ${k}: rse must be in [0, 1], got ${rse}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`sweep schedule stage ${k}: steps must be a positive integer, got ${steps}`);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`sweep schedule stage ${k}: lr must be a positive number, got ${lr}`);
  return { maxRank, rse, steps, lr };
}

/**
 * Two-site sweep training: for each sweep, for each mini-batch (seeded shuffle), one pass of
 * the sweep order; at each bond, `steps` Adam steps on the merged tensor, then a truncated
 * SVD split to the stage's maxRank/rse.
 * @throws RangeError for an empty schedule, bad stage values, or a non-finite local loss (naming sweep and bond).
 */
export function alternatingUpdate<B, E>(problem: SweepProblem<B, E>, data: BatchSource<B>, options: SweepOptions): SweepResult {
  if (options.schedule.length === 0) throw new RangeError('alternatingUpdate: the schedule is empty');
  const stages = options.schedule.map(checkStage);
  const sweeps = options.sweeps ?? stages.length;
  if (!Number.isInteger(sweeps) || sweeps < 1) throw new RangeError(`alternatingUpdate: sweeps must be a positive integer, got ${sweeps}`);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new RangeError(`alternatingUpdate: batchSize must be a positive integer, got ${options.batchSize}`);
  if (data.size < 1) throw new RangeError('alternatingUpdate: the training data are empty');
  if (problem.cores.length < 2) throw new RangeError(`alternatingUpdate: a sweep needs at least 2 cores, got ${problem.cores.length}`);
  const order = options.order ?? twoWaySweep;
  const seed = options.seed ?? 0;
  let cores = [...problem.cores];
  const history: number[] = [];
  let totalSeconds = 0;
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    const stage = stages[Math.min(sweep - 1, stages.length - 1)]!;
    const t0 = performance.now();
    const idx = Int32Array.from({ length: data.size }, (_, i) => i);
    const rng = epochRandom(seed, sweep);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    let lossSum = 0;
    let lossCount = 0;
    let batchNo = 0;
    for (let start = 0; start < idx.length; start += options.batchSize, batchNo++) {
      const rows = idx.subarray(start, Math.min(start + options.batchSize, idx.length));
      const batch = data.batch(rows);
      const env = new CachedEnvironment(problem, cores, batch);
      for (const { bond, direction } of order(cores.length)) {
        const { left, right } = env.moveTo(bond);
        const current = env.currentCores();
        let merged = mergeCores(current[bond]!, current[bond + 1]!);
        const optimizer = adam({ lr: stage.lr });
        let state = optimizer.init([merged]);
        let value = NaN;
        for (let step = 0; step < stage.steps; step++) {
          const r = valueAndGrad((m: Var) => problem.localLoss(m, left, right, bond, batch), [merged]);
          value = r.value;
          if (!Number.isFinite(value)) throw new RangeError(`alternatingUpdate: the loss is not finite at sweep ${sweep}, batch ${batchNo + 1}, bond ${bond}`);
          const next = optimizer.update(r.grads, state, [merged]);
          merged = next.params[0]!;
          state = next.state;
        }
        lossSum += value * rows.length;
        lossCount += rows.length;
        const split = splitMerged(merged, current[bond]!.ndim - 1, direction, stage.maxRank, stage.rse);
        env.setPair(bond, split.left, split.right);
        options.observer?.({ type: 'bond', sweep, batch: batchNo + 1, bond, direction, loss: value, rank: split.rank, discardedNorm: split.discardedNorm });
      }
      cores = env.currentCores();
    }
    const seconds = (performance.now() - t0) / 1000;
    totalSeconds += seconds;
    const loss = lossSum / Math.max(lossCount, 1);
    history.push(loss);
    options.observer?.({ type: 'sweep', sweep, loss, seconds, maxBondDim: Math.max(...cores.map((c) => c.shape[c.ndim - 1]!)) });
  }
  return { cores, history, secondsPerSweep: totalSeconds / sweeps };
}

/**
 * The full loss of one batch from the environments (merging sites 0 and 1): the value the
 * local losses are checked against.
 */
export function sweepBatchLoss<B, E>(problem: SweepProblem<B, E>, cores: readonly Tensor[], batch: B): number {
  const env = new CachedEnvironment(problem, cores, batch);
  const { left, right } = env.moveTo(0);
  const merged = mergeCores(cores[0]!, cores[1]!);
  return valueAndGrad((m: Var) => problem.localLoss(m, left, right, 0, batch), [merged]).value;
}
