/** What the scale-space searches (RGTN, the gated search) save after each finished scale, and the store interface they save through. */
import type { Tensor } from '../tensor/tensor.js';

/** One line of the per-scale log. */
export interface ScaleLog {
  /** 0 = coarsest. */
  scale: number;
  dims: number[];
  ranks: number[][];
  params: number;
  /** CR of this structure at the full tensor's dims. */
  cr: number;
  /** RSE of the structure's ALS fit at this scale. */
  rse: number;
  /** Seconds since the search started (including earlier runs when resumed). */
  seconds: number;
}

/** The state after a finished scale: enough to continue with the next one. */
export interface RgtnCheckpoint {
  version: 1;
  seed: number;
  /** Scales finished (coarsest first). */
  scalesDone: number;
  /** Number of scales of the pyramid (a resume checks it matches). */
  scales: number;
  R: number[][];
  /** The gated search's global training step counter (drives its temperature schedule; 0 for RGTN). */
  step: number;
  log: ScaleLog[];
  seconds: number;
  /** Structures evaluated so far, over every run of the search (a resumed result reports the total). */
  evaluations?: number;
  /**
   * Set when the search was saved within scale `scalesDone` (after a kept reduction, or
   * when its budget or a stop request ended it): R and cores are that scale's current
   * structure, and a resume continues its compression from there.
   */
  partial?: boolean;
}

/** Where checkpoints go: the CLI uses a directory (JSON + one .npy of cores per scale). */
export interface CheckpointStore {
  /** The last saved checkpoint, or undefined when there is none. */
  load(): { state: RgtnCheckpoint; cores: Tensor[] } | undefined;
  /** Saves the state and cores (after a scale, or within one: see RgtnCheckpoint.partial). */
  save(state: RgtnCheckpoint, cores: readonly Tensor[]): void;
}

/** A store in memory (tests, library use). */
export function memoryCheckpoint(): CheckpointStore & { saved: number } {
  let last: { state: RgtnCheckpoint; cores: Tensor[] } | undefined;
  return {
    saved: 0,
    load: () => (last ? { state: structuredClone(last.state), cores: last.cores.map((c) => c.copy()) } : undefined),
    save(state, cores) {
      last = { state: structuredClone(state), cores: cores.map((c) => c.copy()) };
      this.saved++;
    },
  };
}
