import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AnomalyDetector } from '../estimators/anomaly-detector.js';
import { Classifier } from '../estimators/classifier.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { loadDataset } from '../io/datasets.js';
import { takeLabels, takeRows } from '../ml/data/matrix.js';
import { trainValidationTestSplit } from '../ml/data/splits.js';
import { anomalyImages } from './anomaly.js';
import { parseCsv, parseCsvFeatures } from '../ml/data/csv.js';
import { accuracy } from '../ml/metrics/classification.js';
import { rocAuc } from '../ml/metrics/roc-auc.js';
import { decodeNetwork } from '../network/file-format.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOutputFile } from '../io/output-file.js';
import { numberFlag, positiveInt } from './parse.js';

/** Options of `tnkit predict`, as commander parses them. */
export interface PredictCliOptions {
  model?: string;
  data?: string;
  target?: string;
  dataset?: string;
  split?: string;
  limit?: string;
  threshold?: string;
  out?: string;
  json?: boolean;
}

/** One scored row: a classifier's class and probabilities, or a detector's score and flag. */
export type PredictionRow =
  | { predicted: number | string; probabilities: number[]; label?: number | string }
  | { score: number; anomalous?: 0 | 1; label?: number };

/** What `tnkit predict --json` prints. */
export interface PredictSummary {
  /** What the file holds. */
  kind: 'classifier' | 'anomaly-detector';
  model_file: string;
  rows: number;
  /** Classifier with labels: the fraction predicted right. */
  accuracy?: number;
  /** Detector with 0/1 labels: ROC AUC of the scores. */
  auc?: number;
  /** Detector: the score above which a row is flagged (the training scores' 95th percentile unless --threshold). */
  threshold?: number;
  /** Where the per-row CSV went, with --out. */
  out?: string;
  /**
   * A classifier trained on string labels: the label of each class, in the order of
   * `probabilities` (then `predicted` and `label` are these labels rather than class numbers).
   */
  classes?: string[];
  predictions: PredictionRow[];
}

interface Samples {
  X: Tensor;
  /** Labels from --target (classes, or 0/1 anomaly labels), or from a data set. */
  y?: Int32Array;
  /** Column names of the features (CSV). */
  names?: string[];
  where: string;
}

function readSamples(opts: PredictCliOptions, kind: 'classifier' | 'anomaly-detector', meta: Record<string, unknown>, classNames?: readonly string[]): Samples {
  if (opts.data !== undefined && opts.dataset !== undefined) throw new Error('--data and --dataset: give one of them, not both');
  if (opts.data !== undefined) {
    if (opts.split !== undefined || opts.limit !== undefined) throw new Error('--split and --limit go with --dataset, not --data');
    let text: string;
    try {
      text = readFileSync(opts.data, 'utf8');
    } catch (e) {
      throw new Error(`--data: cannot read ${opts.data}: ${(e as Error).message}`);
    }
    if (opts.target !== undefined) {
      // Labels are read as the model knows them: its class names, or numbers (classes, 0/1 anomalies).
      const t = parseCsv(text, { target: opts.target, source: opts.data, labels: classNames ?? 'numeric' });
      if (t.y.length === 0) throw new Error(`--data ${opts.data}: no rows to score (only a header)`);
      return { X: t.X, y: t.y, names: t.featureNames, where: opts.data };
    }
    const t = parseCsvFeatures(text, { source: opts.data });
    if (t.X.shape[0] === 0) throw new Error(`--data ${opts.data}: no rows to score (only a header)`);
    return { X: t.X, names: t.featureNames, where: opts.data };
  }
  if (opts.dataset === undefined) throw new Error('--data FILE.csv or --dataset NAME: say what to score');
  if (opts.target !== undefined) throw new Error('--target goes with --data (a data set brings its own labels)');
  const split = opts.split ?? 'test';
  if (split !== 'test' && split !== 'train') throw new Error(`--split: '${split}' is not one of test, train`);
  const limit = opts.limit === undefined ? {} : { limit: positiveInt(opts.limit, '--limit') };
  const name = opts.dataset;
  if (name === 'mnist' || name === 'digits') {
    const trainOptions = (meta['options'] ?? {}) as { resize?: string; seed?: string };
    let ds: { X: Tensor; y: Int32Array };
    let y: Int32Array;
    if (kind === 'anomaly-detector') {
      const normal = (meta['tnkit_anomaly'] as { normal_class?: number } | undefined)?.normal_class;
      if (typeof normal !== 'number') throw new Error(`--dataset: the detector in ${opts.model} does not say its normal class (it was not saved by 'tnkit anomaly --save'); score a CSV with --data instead`);
      // The parts `tnkit anomaly` trains and tests on (digits: its fixed 80/20 split).
      ds = anomalyImages(name, split, limit);
      y = Int32Array.from(ds.y, (d) => (d === normal ? 0 : 1));
    } else {
      // As the model was trained: MNIST at 14×14 unless `tnkit train --resize` said otherwise.
      const resize = trainOptions.resize !== undefined ? Number(trainOptions.resize) : name === 'mnist' ? 14 : undefined;
      const sized = resize === undefined ? {} : { resize };
      if (name === 'mnist') {
        ds = loadDataset(name, { split, ...limit, ...sized });
      } else {
        // Digits ship as one set: `tnkit train` split it 80/20 (then 80/20 validation) with its --seed.
        const seed = trainOptions.seed === undefined ? undefined : Number(trainOptions.seed);
        if (seed === undefined || !Number.isInteger(seed)) throw new Error(`--dataset digits: ${opts.model} does not record the --seed of its train/test split (it was not saved by 'tnkit train --save'); score a CSV with --data instead`);
        const all = loadDataset('digits', sized);
        const parts = trainValidationTestSplit(all.y, { testFraction: 0.2, validationFraction: 0.2, stratify: true, seed });
        let rows = Array.from(split === 'test' ? parts.test : parts.train).sort((a, b) => a - b);
        if (limit.limit !== undefined) rows = rows.slice(0, limit.limit);
        ds = { X: takeRows(all.X, rows), y: takeLabels(all.y, rows) };
      }
      y = classNames === undefined ? ds.y : byName(ds.y, Array.from({ length: 10 }, (_, d) => String(d)), classNames, name, opts.model!);
    }
    const [n] = ds.X.shape as [number];
    return { X: ds.X.reshape(n, -1), y, where: `${name} ${split}` };
  }
  if (name === 'breast-cancer' || name === 'iris' || name === 'wine') {
    if (opts.split !== undefined || opts.limit !== undefined) throw new Error(`--split and --limit: ${name} has no train/test files (score it whole)`);
    const ds = loadDataset(name);
    const y = classNames === undefined ? ds.y : byName(ds.y, ds.classNames, classNames, name, opts.model!);
    return { X: ds.X, y, names: ds.featureNames, where: name };
  }
  throw new Error(`--dataset: '${name}' is not one of breast-cancer, iris, wine, mnist, digits`);
}

/**
 * A data set's labels as the classes of a model trained on named labels: each of the set's
 * class names must be one of the model's.
 * @throws Error naming the classes that do not match.
 */
function byName(y: Int32Array, setNames: readonly string[], modelNames: readonly string[], set: string, modelFile: string): Int32Array {
  const index = setNames.map((n) => modelNames.indexOf(n));
  const missing = setNames.filter((_, k) => index[k]! < 0);
  if (missing.length > 0) {
    throw new Error(`--dataset ${set}: its classes (${setNames.join(', ')}) are not the classes ${modelFile} was trained on (${modelNames.join(', ')}); score a CSV with those labels via --data and --target`);
  }
  return Int32Array.from(y, (c) => index[c]!);
}

/**
 * The samples' columns in the order the model reads them: the same count, and when both
 * sides have names, the same names (reordered by name if only the order differs).
 * @throws Error saying what differs.
 */
function alignFeatures(s: Samples, features: number, trained: string[] | undefined, modelFile: string): Tensor {
  const have = s.X.shape[1]!;
  if (trained !== undefined && s.names !== undefined) {
    const missing = trained.filter((n) => !s.names!.includes(n));
    const extra = s.names.filter((n) => !trained.includes(n));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length > 0 ? `missing ${missing.map((n) => `"${n}"`).join(', ')}` : '',
        extra.length > 0 ? `not in the model ${extra.map((n) => `"${n}"`).join(', ')}` : '',
      ].filter(Boolean);
      throw new Error(`${s.where}: its feature columns differ from those ${modelFile} was trained on (${trained.length} features): ${parts.join('; ')}`);
    }
    if (trained.some((n, j) => n !== s.names![j])) {
      const order = trained.map((n) => s.names!.indexOf(n));
      const src = s.X.toTypedArray();
      const n = s.X.shape[0]!;
      const out = new Float64Array(n * features);
      for (let i = 0; i < n; i++) for (let j = 0; j < features; j++) out[i * features + j] = src[i * have + order[j]!]!;
      return new Tensor(out, [n, features]);
    }
    return s.X;
  }
  if (have !== features) throw new Error(`${s.where}: ${have} feature columns, but ${modelFile} was trained on ${features} features`);
  return s.X;
}

/** One CSV cell: numbers as they are, text quoted when it holds a comma, quote or line break. */
function csvCell(v: number | string | undefined): string {
  if (v === undefined) return '';
  const text = String(v);
  return typeof v === 'string' && /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(values: (number | string | undefined)[]): string {
  return values.map(csvCell).join(',');
}

/**
 * Runs `tnkit predict`: scores samples with a saved classifier (`tnkit train --save`) or
 * anomaly detector (`tnkit anomaly --save`), after checking that the samples' columns match
 * the model's features. Returns the summary; writes the per-row CSV with `out`.
 */
export function runPredict(opts: PredictCliOptions): PredictSummary {
  if (opts.model === undefined) throw new Error('--model: required (a model file written by tnkit train --save or tnkit anomaly --save)');
  if (opts.out !== undefined) {
    checkOutputFile('--out', opts.out);
    for (const [flag, input] of [['--model', opts.model], ['--data', opts.data]] as const) {
      if (input !== undefined && resolve(input) === resolve(opts.out)) throw new Error(`--out ${opts.out}: is the ${flag} file; give another path`);
    }
  }
  const threshold = opts.threshold === undefined ? undefined : numberFlag(opts.threshold, '--threshold', (v) => !Number.isNaN(v), 'a number');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(opts.model));
  } catch (e) {
    throw new Error(`--model: cannot read ${opts.model}: ${(e as Error).message}`);
  }
  const header = decodeNetwork(bytes, opts.model).metadata as { tnkit_model?: { model?: { kind?: string }; user?: Record<string, unknown> } } | null;
  if (!header?.tnkit_model) throw new Error(`--model: ${opts.model} is a network file but holds no trained model`);
  const kind = header.tnkit_model.model?.kind === 'smpo' ? 'anomaly-detector' : 'classifier';
  const meta = header.tnkit_model.user ?? {};
  if (kind === 'classifier' && threshold !== undefined) throw new Error('--threshold: only for anomaly detectors');

  const clf = kind === 'classifier' ? Classifier.fromBytes(bytes, opts.model) : undefined;
  const names = clf?.classNames;
  const samples = readSamples(opts, kind, meta, names);
  const rows = samples.X.shape[0]!;
  const summary: PredictSummary = { kind, model_file: opts.model, rows, predictions: [], ...(names ? { classes: names } : {}) };
  const lines: string[] = [];
  if (clf) {
    const X = alignFeatures(samples, clf.features, clf.featureNames, opts.model);
    const classes = clf.predict(X);
    const proba = clf.predictProba(X).toTypedArray();
    const k = clf.classes;
    // A model trained on string labels speaks in those labels.
    const shown = (c: number): number | string => names?.[c] ?? c;
    lines.push(csvRow(['row', 'predicted', ...Array.from({ length: k }, (_, c) => `p_${shown(c)}`), ...(samples.y ? ['label'] : [])]));
    for (let i = 0; i < rows; i++) {
      const probabilities = Array.from(proba.subarray(i * k, (i + 1) * k));
      const label = samples.y?.[i];
      summary.predictions.push({ predicted: shown(classes[i]!), probabilities, ...(label === undefined ? {} : { label: shown(label) }) });
      lines.push(csvRow([i, shown(classes[i]!), ...probabilities, label === undefined ? undefined : shown(label)]));
    }
    if (samples.y) summary.accuracy = rows === 0 ? NaN : accuracy(samples.y, classes);
  } else {
    const det = AnomalyDetector.fromBytes(bytes, opts.model);
    const X = alignFeatures(samples, det.featureCount, undefined, opts.model);
    const scores = det.scoreSamples(X);
    const cut = threshold ?? det.threshold;
    const flag = !Number.isNaN(cut);
    if (flag) summary.threshold = cut;
    if (samples.y) {
      for (let i = 0; i < rows; i++) {
        if (samples.y[i] !== 0 && samples.y[i] !== 1) throw new Error(`${samples.where}: row ${i}: anomaly label ${samples.y[i]} is not 0 (normal) or 1 (anomalous)`);
      }
      summary.auc = rocAuc(samples.y, scores, { positiveLabel: 1 });
    }
    lines.push(['row', 'score', ...(flag ? ['anomalous'] : []), ...(samples.y ? ['label'] : [])].join(','));
    for (let i = 0; i < rows; i++) {
      const anomalous = flag ? (scores[i]! > cut ? 1 : 0) : undefined;
      const label = samples.y?.[i];
      summary.predictions.push({ score: scores[i]!, ...(anomalous === undefined ? {} : { anomalous }), ...(label === undefined ? {} : { label }) });
      lines.push(csvRow([i, scores[i], ...(flag ? [anomalous] : []), label]));
    }
  }
  if (opts.out !== undefined) {
    writeFileAtomic(opts.out, `${lines.join('\n')}\n`);
    summary.out = opts.out;
  }
  return summary;
}

/** Registers `tnkit predict`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('score new data with a saved classifier (tnkit train --save) or anomaly detector (tnkit anomaly --save)')
    .option('--model <file.tnk>', 'the saved model')
    .option('--data <file.csv>', 'samples to score: a CSV with a header row and the feature columns the model was trained on')
    .option('--target <column>', 'label column of --data: classes (reports accuracy) or 0/1 anomaly labels (reports AUC)')
    .option('--dataset <name>', 'score a shipped data set instead: breast-cancer | iris | wine | mnist | digits (labels from the set; a detector\'s normal class from its file)')
    .option('--split <part>', 'with --dataset mnist|digits: test (default) | train (digits: the split the model was trained with: tnkit train\'s by its --seed, tnkit anomaly\'s fixed 80/20)')
    .option('--limit <n>', 'with --dataset mnist|digits: the first n images')
    .option('--threshold <score>', 'anomaly detectors: flag rows scoring above this (default: the 95th percentile of the training scores)')
    .option('--out <file.csv>', 'write one row per sample: predicted class and class probabilities, or anomaly score and flag')
    .option('--json', 'print { kind, rows, accuracy | auc, predictions } as JSON on stdout')
    .action((opts: PredictCliOptions) => {
      const summary = runPredict(opts);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        return;
      }
      const lines = [`${summary.rows} rows scored with the ${summary.kind} in ${summary.model_file}`];
      if (summary.accuracy !== undefined) lines.push(`accuracy  ${(100 * summary.accuracy).toFixed(2)}%`);
      if (summary.auc !== undefined) lines.push(`AUC       ${summary.auc.toFixed(4)}`);
      if (summary.threshold !== undefined) lines.push(`threshold ${summary.threshold.toPrecision(6)} (${summary.predictions.filter((p) => 'anomalous' in p && p.anomalous === 1).length} rows flagged)`);
      lines.push(summary.out !== undefined ? `predictions written to ${summary.out}` : 'per-row predictions: give --out FILE.csv (or --json)');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
