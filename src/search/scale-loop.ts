/**
 * The coarse → fine loop shared by the scale-space searches (RGTN's default search,
 * rgtn.ts, and the paper's gated search, gated-search.ts): the pyramid of scales, resuming
 * from a checkpoint, one log line and one save per finished scale, a partial save when a
 * budget or stop request cuts a scale short, and stopping through `Evaluator.timeUp`.
 * Each search gives only what it does at one scale.
 */
import type { Mask } from '../decompose/mask.js';
import type { StopFlag } from '../decompose/stop-flag.js';
import { Tensor } from '../tensor/tensor.js';
import type { CheckpointStore, RgtnCheckpoint, ScaleLog } from './checkpoint.js';
import type { Evaluation, Evaluator } from './evaluator.js';
import { buildPyramid, type Downsampling, type Scale } from './pyramid.js';
import { finalEvaluation, resultOf, type SearchResult } from './search-result.js';
import { structureSize } from './structure.js';

/** Options of every scale-space search (RGTN and the gated search each add their own). */
export interface ScaleSearchOptions {
  /** Target RSE on the observed entries (default 1e-2). */
  rse?: number;
  mask?: Mask;
  /** The full tensor, to report the RSE on the missing entries. */
  truth?: Tensor;
  seed?: number;
  /** Pyramid levels (fewer when the modes are too small to halve); each search gives its default. */
  scales?: number;
  /** 'pool' (default) or 'decimate'. */
  downsample?: Downsampling;
  /** Modes are halved only while d ≥ 2·minDim (default 2). */
  minDim?: number;
  budgetSeconds?: number;
  /**
   * A shared stop request (see stop-flag.ts): the search ends at its next safe point with
   * its best result so far, `stopped: 'interrupted'`, and saves where it is to `checkpoint`.
   */
  stop?: StopFlag;
  /**
   * Save after each finished scale (and within a scale where the search says so, or where
   * a budget or stop request ends it with a structure that meets the target); resume from
   * the last save.
   */
  checkpoint?: CheckpointStore;
  /** Called with each finished scale's log line. */
  onScale?: (log: ScaleLog) => void;
}

/** What {@link ScaleRun} needs besides the data and the finest scale's evaluator. */
export interface ScaleRunSetup {
  /** The search's name, for error messages. */
  name: string;
  seed: number;
  scales: number;
  downsample: Downsampling;
  minDim: number;
  mask?: Mask;
  checkpoint?: CheckpointStore;
  onScale?: (log: ScaleLog) => void;
  /** The gated search's training step counter, saved with each checkpoint (default 0). */
  step?: () => number;
}

/** Where one scale's work starts. */
export interface ScaleContext {
  /** 0 = coarsest. */
  s: number;
  /** Whether this scale is the data itself. */
  finest: boolean;
  level: Scale;
  /** The scale a partial checkpoint was saved in: continue from `run.R` and `run.cores`. */
  partial: boolean;
}

/** What one scale's work ended with. */
export interface ScaleOutcome {
  /** The evaluator of the scale: the search's own at the finest scale, or one of the scale's data. */
  lev: Evaluator;
  R: number[][];
  cores: Tensor[];
  /** RSE of the structure on the scale's data. */
  rse: number;
  /** The scale's dims. */
  dims: number[];
}

/** A checkpoint as resumed: the saved state with its cores. */
export type ResumedCheckpoint = RgtnCheckpoint & { cores: Tensor[] };

/**
 * One run of a scale-space search: the pyramid (coarsest first), the state resumed from
 * its checkpoint, the structure carried from scale to scale, the per-scale log, and the
 * evaluations and seconds of earlier runs and coarse scales.
 */
export class ScaleRun {
  /** The pyramid, coarsest first. */
  readonly levels: Scale[];
  /** What the checkpoint resumed (undefined without one). */
  readonly resumed: ResumedCheckpoint | undefined;
  /** The structure so far: carried from the coarser scale or the checkpoint. */
  R: number[][] | undefined;
  cores: Tensor[] | undefined;
  readonly log: ScaleLog[];
  /** Evaluations of earlier runs (when resumed) and of finished coarse scales' own evaluators: the result reports the total. */
  evaluationsBefore: number;
  private readonly secondsBefore: number;

  /**
   * @param ev the evaluator of the data itself (the finest scale), whose `timeUp` ends the search.
   * @throws Error when the checkpoint was made by another run (seed or number of scales).
   */
  constructor(readonly x: Tensor, readonly ev: Evaluator, private readonly setup: ScaleRunSetup) {
    const pyramid = buildPyramid(x, { scales: setup.scales, mode: setup.downsample, minDim: setup.minDim, ...(setup.mask !== undefined ? { mask: setup.mask } : {}) });
    this.levels = [...pyramid].reverse();
    this.resumed = resumeFrom(setup.name, setup.checkpoint, setup.seed, this.levels.length);
    this.R = this.resumed?.R;
    this.cores = this.resumed?.cores;
    this.log = this.resumed?.log ?? [];
    this.secondsBefore = this.resumed?.seconds ?? 0;
    this.evaluationsBefore = this.resumed?.evaluations ?? 0;
  }

  /** Seconds since the search started, including earlier runs when resumed. */
  elapsed(): number {
    return this.secondsBefore + this.ev.seconds();
  }

  /** Evaluations so far over every run, with `lev` the evaluator in use. */
  evaluations(lev: Evaluator = this.ev): number {
    return this.evaluationsBefore + lev.evaluations + (lev === this.ev ? 0 : this.ev.evaluations);
  }

  /** Saves where the search is: after scale s (done) or within it (partial: R and cores are that scale's current structure). */
  save(s: number, done: boolean, lev: Evaluator, R: number[][], cores: readonly Tensor[]): void {
    const state: RgtnCheckpoint = {
      version: 1, seed: this.setup.seed, scalesDone: done ? s + 1 : s, scales: this.levels.length, R, step: this.setup.step?.() ?? 0,
      log: this.log, seconds: this.elapsed(), evaluations: this.evaluations(lev),
      ...(done ? {} : { partial: true }),
    };
    this.setup.checkpoint?.save(state, cores);
  }

  /**
   * Runs `scale` on each scale not done yet, coarse → fine, while time is left. A scale
   * that `scale` declines (undefined: no time to start it) ends the loop. After each scale:
   * its structure is carried on; when finished, it is logged and saved as done; when a
   * budget or stop request cut it short, it is saved as partial if its structure meets the
   * target, and the loop ends.
   */
  run(scale: (at: ScaleContext) => ScaleOutcome | undefined): void {
    const first = this.resumed?.scalesDone ?? 0;
    for (let s = first; s < this.levels.length; s++) {
      if (this.ev.timeUp()) break;
      const partial = this.resumed?.partial === true && s === first && this.R !== undefined && this.cores !== undefined;
      const out = scale({ s, finest: s === this.levels.length - 1, level: this.levels[s]!, partial });
      if (!out) break;
      const { lev, R, cores } = out;
      this.R = R;
      this.cores = cores;
      const cut = lev.timeUp();
      const line: ScaleLog = { scale: s, dims: out.dims, ranks: R.map((r) => [...r]), ...structureSize(R, [...this.x.shape]), rse: out.rse, seconds: this.elapsed() };
      if (!cut) {
        this.log.push(line);
        this.setup.onScale?.(line);
      }
      if (out.rse <= lev.rse || !cut) this.save(s, !cut, lev, R, cores);
      if (lev !== this.ev) this.evaluationsBefore += lev.evaluations;
      if (cut) break;
    }
  }

  /** The search's result from its last structure (see finalEvaluation), with the evaluations and log of every run. */
  result(method: string, last: Evaluation): SearchResult {
    const out = resultOf(method, this.ev, finalEvaluation(this.ev, last), this.elapsed());
    out.evaluations += this.evaluationsBefore;
    return { ...out, log: this.log };
  }
}

/** What a checkpoint resumes (after checking it is this run's: same seed and number of scales), or undefined without one. */
function resumeFrom(name: string, store: CheckpointStore | undefined, seed: number, scales: number): ResumedCheckpoint | undefined {
  const resumed = store?.load();
  if (!resumed) return undefined;
  const { state } = resumed;
  if (state.seed !== seed || state.scales !== scales) {
    throw new Error(`${name}: the checkpoint was made with seed ${state.seed} and ${state.scales} scales, not seed ${seed} and ${scales} scales`);
  }
  return { ...state, cores: resumed.cores };
}

/** A scale rescaled to unit RMS on its observed entries (RSE is scale-free; learning rates and fit tolerances are not). */
export function normalized(level: Scale): Scale {
  const d = level.x.toTypedArray();
  let s = 0;
  let c = 0;
  for (let p = 0; p < d.length; p++) {
    if (level.mask && level.mask[p] === 0) continue;
    s += d[p]! * d[p]!;
    c++;
  }
  const rms = Math.sqrt(s / Math.max(1, c)) || 1;
  const out = new Float64Array(d.length);
  for (let p = 0; p < d.length; p++) out[p] = d[p]! / rms;
  const x = new Tensor(out, [...level.x.shape]);
  return level.mask ? { x, mask: level.mask } : { x };
}
