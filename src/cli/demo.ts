import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir } from '../io/datasets.js';
import { checkOutputDir } from '../io/output-file.js';
import { writeReport } from '../io/report-file.js';
import { RUN_RECORD_VERSION, type ImageRow, type RunRecord } from '../report/run-record.js';
import { runAnomaly } from './anomaly.js';
import { runComplete } from './complete.js';
import { commandLine } from './run-records.js';
import { runSearch } from './search.js';
import { runTrain } from './train.js';

/** Options of `tnkit demo`. */
export interface DemoCliOptions {
  out: string;
  json?: boolean;
}

/** One step of the demo: what it ran, its headline figure and how long it took. */
export interface DemoStep {
  step: 'classifier' | 'anomaly' | 'compression' | 'completion';
  headline: string;
  seconds: number;
  summary: Record<string, unknown>;
}

/** What `tnkit demo --json` prints. */
export interface DemoSummary {
  report: string;
  seconds: number;
  steps: DemoStep[];
}

/** The image-compression target and methods (RGTN against the SVD baselines). */
const IMAGE_RSE = '0.1';
const IMAGE_METHODS = ['rgtn', 'ttsvd', 'trsvd'] as const;
const METHOD_NAMES: Record<string, string> = { rgtn: 'RGTN', ttsvd: 'TT-SVD', trsvd: 'TR-SVD' };

const pct = (x: number): string => `${(100 * x).toFixed(x < 0.01 ? 2 : 1)}%`;

/** A step timed, its headline printed as soon as it is done. */
function step(name: DemoStep['step'], run: () => { record: RunRecord; headline: string }, onLine: (line: string) => void): { step: DemoStep; record: RunRecord } {
  const t0 = performance.now();
  const { record, headline } = run();
  const seconds = (performance.now() - t0) / 1000;
  onLine(`${name}: ${headline} (${seconds.toFixed(1)} s)`);
  return { step: { step: name, headline, seconds, summary: record.summary }, record };
}

/** Breast cancer (569 tumours, 30 features): an MPS classifier, early stopping on validation loss. */
function classifierStep(): { record: RunRecord; headline: string } {
  const { summary, record } = runTrain({
    dataset: 'breast-cancer', model: 'mps', bondDim: '8', embedding: 'polynomial:2', init: 'identity:0.01', optimizer: 'adam',
    lr: '1e-3', batchSize: '32', epochs: '20', patience: '5', seed: '0', dtype: 'f64', monitor: 'val_loss',
  });
  record.title = 'Classifier: breast cancer, MPS (bond dimension 8)';
  return { record, headline: `test accuracy ${summary.test_accuracy.toFixed(3)} on ${summary.samples.test} held-out tumours (MPS, ${summary.epochs} epochs, ${summary.params} parameters)` };
}

/** MNIST 14×14: an SMPO trained on zeros only, scoring every test digit; other digits are anomalies. */
function anomalyStep(): { record: RunRecord; headline: string } {
  const { summary, record } = runAnomaly({
    dataset: 'mnist', normalClass: '0', model: 'smpo', spacing: '8', bondDim: '6', epochs: '3', trainLimit: '1000', testLimit: '1000',
    seed: '0', lr: '1e-3', batchSize: '64', dtype: 'f64', alpha: '0.4', normExponent: '4', trainer: 'gradient',
  });
  record.title = 'Anomaly detection: MNIST, zeros are normal (SMPO, brief training)';
  return { record, headline: `ROC AUC ${summary.auc.toFixed(3)} on ${summary.test_samples} test digits (${summary.train_samples} zeros, ${summary.epochs} epochs)` };
}

/** camera.png (512×512) as 4^9, compressed to RSE 0.1 by RGTN, TT-SVD and TR-SVD: one section. */
function compressionStep(dataDir: string): { record: RunRecord; headline: string } {
  const input = join(dataDir, 'images', 'camera.png');
  const runs = IMAGE_METHODS.map((method) => runSearch(input, { method, rse: IMAGE_RSE, seed: '0', shape: '4,4,4,4,4,4,4,4,4', budgetSeconds: '30' }));
  const name = (m: string): string => METHOD_NAMES[m] ?? m;
  const summary: Record<string, unknown> = { image: 'camera.png (512×512)', shape: '4^9', target_rse: Number(IMAGE_RSE) };
  for (const r of runs) summary[r.summary.method] = { cr: r.summary.cr, rse: r.summary.rse, params: r.summary.params, seconds: r.summary.seconds };
  // One image row: the original once, then each method's reconstruction.
  const row: ImageRow = { label: `camera, RSE ${IMAGE_RSE}`, items: [] };
  runs.forEach((r, k) => {
    for (const item of r.record.images?.[0]?.items ?? []) {
      if (item.caption === 'original' && k === 0) row.items.push(item);
      else if (item.caption !== 'original') row.items.push({ caption: `${name(r.summary.method)}: CR ${pct(r.summary.cr)}, RSE ${r.summary.rse.toFixed(3)}`, png: item.png });
    }
  });
  const record: RunRecord = {
    version: RUN_RECORD_VERSION, kind: 'search',
    title: `Image compression: camera (512×512 as 4^9) to RSE ${IMAGE_RSE}, RGTN against TT-SVD and TR-SVD`,
    summary,
    methods: runs.flatMap((r) => (r.record.methods ?? []).map((m) => ({ ...m, method: name(m.method) }))),
    networks: runs.flatMap((r) => (r.record.networks ?? []).map((n) => ({ ...n, label: `${name(r.summary.method)}: ${r.summary.params} parameters, CR ${pct(r.summary.cr)}` }))),
    spectra: runs.slice(0, 1).flatMap((r) => (r.record.spectra ?? []).map((s) => ({ ...s, label: name(r.summary.method) }))),
  };
  if (row.items.length > 0) record.images = [row];
  const [rgtn, ...rest] = runs.map((r) => r.summary);
  return { record, headline: `RGTN keeps ${pct(rgtn!.cr)} of the entries (CR) at RSE ${rgtn!.rse.toFixed(3)}; ${rest.map((s) => `${name(s.method)} ${pct(s.cr)} (RSE ${s.rse.toFixed(3)})`).join(', ')}` };
}

/** Foreman (QCIF, grey): the first 10 frames with 90 % of the pixels hidden, completed by validated growth with the smoothness penalty (W = 0.01, as in docs/experiments/results.md). */
function completionStep(dataDir: string): { record: RunRecord; headline: string } {
  const input = join(dataDir, 'video', 'foreman_qcif_gray_100.u8.gz');
  // Iterations, not time, bound the work (6 ALS sweeps a candidate), so the figure is the same on any
  // machine; the budget is only a guard that keeps a very slow machine within the demo's 2 minutes.
  const { summary, record } = runComplete(input, { missing: '0.9', seed: '0', rse: '5e-2', method: 'validated', frames: '10', smoothness: '0.01', iters: '6', budgetSeconds: '60' });
  record.title = 'Video completion: Foreman, 10 frames, 90 % of the pixels missing';
  return { record, headline: `MPSNR ${summary.mpsnr.toFixed(2)} dB with 90 % of the pixels missing (RSE on them ${summary.rse_missing.toFixed(3)})` };
}

/**
 * Runs the demo on the shipped data: a classifier, an anomaly detector, an image compressed by
 * RGTN and the SVD baselines, a video completed; writes one report (a `demo` record, one
 * section per step) to `opts.out`. `onLine` gets each step's headline as it finishes.
 */
export async function runDemo(opts: DemoCliOptions, onLine: (line: string) => void = () => {}): Promise<{ summary: DemoSummary; record: RunRecord }> {
  checkOutputDir('--out', opts.out);
  const startedAt = new Date().toISOString();
  const dataDir = defaultDataDir();
  const t0 = performance.now();
  const done = [
    step('classifier', classifierStep, onLine),
    step('anomaly', anomalyStep, onLine),
    step('compression', () => compressionStep(dataDir), onLine),
    step('completion', () => completionStep(dataDir), onLine),
  ];
  const seconds = (performance.now() - t0) / 1000;
  const record: RunRecord = {
    version: RUN_RECORD_VERSION, kind: 'demo', title: 'tnkit demo', command: commandLine(), startedAt,
    summary: { seconds, ...Object.fromEntries(done.map((d) => [d.step.step, d.step.headline])) },
    sections: done.map((d) => d.record),
  };
  const report = await writeReport(opts.out, record);
  return { summary: { report, seconds, steps: done.map((d) => d.step) }, record };
}

/** Registers `tnkit demo`. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run a short tour on the shipped data (classifier, anomaly detector, image compression, video completion) and write one HTML report')
    .option('--out <dir>', 'folder for the report (index.html, run.json)', 'tnkit-demo')
    .option('--json', 'print { report, seconds, steps } as JSON on stdout (headlines go to stderr)')
    .action(async (opts: DemoCliOptions) => {
      const print = (line: string): void => void (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
      const { summary } = await runDemo(opts, print);
      if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else process.stdout.write(`report: ${summary.report} (${summary.seconds.toFixed(1)} s)\n`);
    });
}
