/**
 * A run record: what one command (or one estimator run) produced, as plain JSON, so that a
 * report can be drawn from it now (`--report DIR`) or later (`tnkit report RUN.json`).
 * Every field but `version`, `kind`, `title` and `summary` is optional: a report shows the
 * parts a record has. Images travel inside the record as base64 PNG, so a saved run redraws
 * without its inputs.
 */
import type { EpochRecord } from '../ml/training/history.js';

/** Version of the run-record layout; a reader refuses records of a newer version. */
export const RUN_RECORD_VERSION = 1;

/** What produced a record. `demo` records hold the other kinds in `sections`. */
export type RunKind = 'train' | 'anomaly' | 'search' | 'complete' | 'decompose' | 'demo';

/**
 * A network to draw: physical dimensions per core and the symmetric rank matrix, as
 * tnkit's rank matrices write it: 1 = no edge (0 is read the same), diagonal ignored.
 */
export interface NetworkDrawing {
  label: string;
  dims: number[];
  ranks: number[][];
}

/** One method's progress in a search or compression: points in time order. */
export interface MethodTrace {
  method: string;
  points: { seconds: number; cr: number; rse: number; params: number }[];
}

/** Singular values across each bond of a network, largest first. */
export interface BondSpectra {
  label: string;
  bonds: { edge: [number, number]; values: number[] }[];
}

/** A row of images shown side by side (original / observed / reconstructed, or frames). */
export interface ImageRow {
  label: string;
  items: { caption: string; /** PNG bytes, base64. */ png: string }[];
}

/** The ROC curve of an anomaly detector. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  auc: number;
}

/** Anomaly scores of the test set, split by true label. */
export interface ScoreSamples {
  normal: number[];
  anomalous: number[];
}

/** What one run produced (see the module comment). */
export interface RunRecord {
  version: typeof RUN_RECORD_VERSION;
  kind: RunKind;
  title: string;
  /** The command line that produced it, when it came from the CLI. */
  command?: string;
  /** ISO 8601 time the run started. */
  startedAt?: string;
  /** The run's summary: what `--json` prints for the command. */
  summary: Record<string, unknown>;
  /** Per-epoch training figures (loss, val_loss, val_accuracy, …). */
  history?: EpochRecord[];
  roc?: RocCurve;
  scores?: ScoreSamples;
  networks?: NetworkDrawing[];
  methods?: MethodTrace[];
  spectra?: BondSpectra[];
  images?: ImageRow[];
  /** Sub-runs (the demo holds one per task). */
  sections?: RunRecord[];
}
