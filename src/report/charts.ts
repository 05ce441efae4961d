/**
 * Vega-Lite chart specs built from the parts of a run record. Pure data → spec: no DOM, no
 * Node, so the same specs are rendered to SVG for reports (render.ts) and shown live in a
 * browser with vega-embed.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../ml/training/history.js';
import type { BondSpectra, MethodTrace, RocCurve, RunRecord, ScoreSamples } from './run-record.js';

/** A chart ready to render: its caption and its spec. */
export interface Chart {
  title: string;
  spec: TopLevelSpec;
}

/** Size and typography shared by every chart (readable at the size the report shows). */
const WIDTH = 400;
const HEIGHT = 260;
const CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: '#d9dde5' },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 500, gridColor: '#eceef2' },
  // Legends above the plot, so two charts fit side by side in the report.
  legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 220, orient: 'top' as const, direction: 'horizontal' as const, columns: 4 },
  title: { fontSize: 14, fontWeight: 600, anchor: 'start' as const, offset: 10 },
};
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function base(title: string): { $schema: string; title: string; width: number; height: number; config: typeof CONFIG } {
  return { $schema: SCHEMA, title, width: WIDTH, height: HEIGHT, config: CONFIG };
}

/** A positive range wide enough (over two decades) that a log axis reads better than a linear one. */
function wantsLog(values: readonly number[]): boolean {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  if (pos.length < 2 || pos.length < values.filter(Number.isFinite).length) return false;
  return Math.max(...pos) / Math.min(...pos) > 100;
}

function finite(v: number | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Metrics of a history grouped by what they measure: losses together, accuracies together. */
function historyGroups(history: readonly EpochRecord[]): { loss: string[]; accuracy: string[] } {
  const names: string[] = [];
  for (const r of history) for (const k of Object.keys(r)) if (k !== 'epoch' && !names.includes(k)) names.push(k);
  return { loss: names.filter((n) => /loss/i.test(n)), accuracy: names.filter((n) => /acc/i.test(n)) };
}

function metricChart(history: readonly EpochRecord[], metrics: string[], title: string, yTitle: string, unitRange: boolean): Chart {
  const values = history.flatMap((r) => metrics.filter((m) => finite(r[m])).map((m) => ({ epoch: r.epoch, metric: m, value: r[m]! })));
  const log = !unitRange && wantsLog(values.map((v) => v.value));
  const spec = {
    ...base(title),
    data: { values },
    mark: { type: 'line', point: values.length <= 120, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'value', type: 'quantitative', title: yTitle,
        scale: unitRange ? { zero: false } : log ? { type: 'log' } : { zero: false },
      },
      color: { field: 'metric', type: 'nominal', title: null, sort: metrics },
      // Dashes as well as colours, so train and validation curves part in grey print too.
      strokeDash: { field: 'metric', type: 'nominal', title: null, sort: metrics },
    },
  } as unknown as TopLevelSpec;
  return { title, spec };
}

/**
 * Training and validation curves per epoch: one chart for the losses (`loss`, `val_loss`, …;
 * log scale when they span more than two decades) and one for the accuracies, when present.
 */
export function historyCharts(history: readonly EpochRecord[]): Chart[] {
  if (history.length === 0) return [];
  const { loss, accuracy } = historyGroups(history);
  const charts: Chart[] = [];
  if (loss.length > 0) charts.push(metricChart(history, loss, 'Loss per epoch', 'loss', false));
  if (accuracy.length > 0) charts.push(metricChart(history, accuracy, 'Accuracy per epoch', 'accuracy', true));
  return charts;
}

/** The ROC curve (true against false positive rate) with the chance diagonal; the AUC in the title. */
export function rocChart(roc: RocCurve): Chart {
  const title = `ROC curve (AUC ${finite(roc.auc) ? roc.auc.toFixed(3) : 'n/a'})`;
  // Keep the points in the order given (`order`): sorting by fpr would scramble ties.
  const curve = roc.fpr.map((f, i) => ({ fpr: f, tpr: roc.tpr[i]!, order: i })).filter((p) => finite(p.fpr) && finite(p.tpr));
  const spec = {
    ...base(title),
    width: HEIGHT + 40,
    height: HEIGHT + 40,
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
        mark: { type: 'line', color: '#9aa3b2', strokeDash: [4, 4] },
        encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } },
      },
      {
        data: { values: curve },
        mark: { type: 'line', color: '#2f5d9f', strokeWidth: 2.5, interpolate: 'step-after' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false positive rate', scale: { domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'true positive rate', scale: { domain: [0, 1] } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  } as unknown as TopLevelSpec;
  return { title, spec };
}

/** Histograms of the anomaly scores of normal and anomalous test samples, overlaid. */
export function scoreHistogram(scores: ScoreSamples): Chart {
  const title = 'Anomaly scores by true label';
  const values = [
    ...scores.normal.filter(finite).map((s) => ({ score: s, label: 'normal' })),
    ...scores.anomalous.filter(finite).map((s) => ({ score: s, label: 'anomalous' })),
  ];
  const spec = {
    ...base(title),
    data: { values },
    mark: { type: 'bar', opacity: 0.6, binSpacing: 0 },
    encoding: {
      x: { field: 'score', type: 'quantitative', bin: { maxbins: 40 }, title: 'anomaly score' },
      y: { aggregate: 'count', type: 'quantitative', title: 'samples', stack: null },
      color: {
        field: 'label', type: 'nominal', title: null,
        scale: { domain: ['normal', 'anomalous'], range: ['#2f5d9f', '#d1495b'] },
      },
    },
  } as unknown as TopLevelSpec;
  return { title, spec };
}

function methodChart(methods: readonly MethodTrace[], field: 'cr' | 'rse', title: string, yTitle: string): Chart {
  const values = methods.flatMap((m) => m.points.filter((p) => finite(p.seconds) && finite(p[field])).map((p, i) => ({ method: m.method, seconds: p.seconds, value: p[field], step: i })));
  const logY = wantsLog(values.map((v) => v.value));
  const logX = wantsLog(values.map((v) => v.seconds));
  const spec = {
    ...base(title),
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'time (s)', scale: logX ? { type: 'log' } : {} },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: logY ? { type: 'log' } : { zero: false } },
      color: { field: 'method', type: 'nominal', title: 'method' },
      order: { field: 'step', type: 'quantitative' },
    },
  } as unknown as TopLevelSpec;
  return { title, spec };
}

/**
 * Compression ratio and relative squared error against time, one line per method (log axes
 * where the values span more than two decades).
 */
export function methodCharts(methods: readonly MethodTrace[]): Chart[] {
  if (methods.every((m) => m.points.length === 0)) return [];
  return [
    methodChart(methods, 'cr', 'Compression ratio against time', 'compression ratio (CR)'),
    methodChart(methods, 'rse', 'Relative squared error against time', 'relative squared error (RSE)'),
  ];
}

/**
 * Singular values across each bond of one network, one line per bond, each divided by its
 * bond's largest (σ_k/σ_1), so bonds compare whatever the gauge puts on them; log scale,
 * zeros left out.
 */
export function spectraChart(spectra: BondSpectra): Chart {
  const title = `Bond spectra: ${spectra.label}`;
  const values = spectra.bonds.flatMap((b) => {
    const bond = `${b.edge[0]}–${b.edge[1]}`;
    const top = Math.max(...b.values.filter((v) => finite(v) && v > 0));
    return b.values.map((v, i) => ({ bond, k: i + 1, value: v / top, sigma: v })).filter((p) => finite(p.value) && p.value > 0);
  });
  const longest = Math.max(0, ...spectra.bonds.map((b) => b.values.length));
  const spec = {
    ...base(title),
    data: { values },
    mark: { type: 'line', point: longest <= 30, strokeWidth: 1.8 },
    encoding: {
      x: { field: 'k', type: 'quantitative', title: 'singular value index k', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: 'σ_k / σ_1', scale: { type: 'log' }, axis: { format: '~g' } },
      color: { field: 'bond', type: 'nominal', title: 'bond', sort: spectra.bonds.map((b) => `${b.edge[0]}–${b.edge[1]}`), legend: { columns: 6 } },
      tooltip: [{ field: 'bond' }, { field: 'k' }, { field: 'sigma', title: 'σ_k', format: '.4g' }],
    },
  } as unknown as TopLevelSpec;
  return { title, spec };
}

/** Every chart one record (not its sections) has: history, ROC, scores, methods, in that order. */
export function recordCharts(record: RunRecord): Chart[] {
  const charts: Chart[] = [];
  if (record.history !== undefined) charts.push(...historyCharts(record.history));
  if (record.roc !== undefined) charts.push(rocChart(record.roc));
  if (record.scores !== undefined) charts.push(scoreHistogram(record.scores));
  if (record.methods !== undefined) charts.push(...methodCharts(record.methods));
  return charts;
}
