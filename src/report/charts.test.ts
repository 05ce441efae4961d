import fc from 'fast-check';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { anomalyRecord, decomposeRecord, trainRecord } from '../../test/helpers/report-records.js';
import { historyCharts, methodCharts, recordCharts, rocChart, scoreHistogram, spectraChart, type Chart } from './charts.js';
import { renderChartSvg } from './render.js';

/** The `<text>` contents of an SVG (axis titles, labels, legend entries, chart title). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

/** How many line marks (one per series) an SVG holds. */
function lines(svg: string): number {
  return svg.match(/aria-roledescription="line mark"/g)?.length ?? 0;
}

/** The Vega scales of a compiled chart, by name. */
function scales(chart: Chart): Record<string, { type?: string }> {
  const out: Record<string, { type?: string }> = {};
  const walk = (spec: { scales?: { name: string; type?: string }[]; marks?: unknown[] }): void => {
    for (const s of spec.scales ?? []) out[s.name] = s;
    for (const m of spec.marks ?? []) walk(m as typeof spec);
  };
  walk(compile(chart.spec).spec as never);
  return out;
}

describe('history charts (a real 4-epoch breast-cancer run)', () => {
  it('draws the losses and the accuracy per epoch, with axis titles and one line per metric', async () => {
    const record = trainRecord();
    const charts = historyCharts(record.history!);
    expect(charts.map((c) => c.title)).toEqual(['Loss per epoch', 'Accuracy per epoch']);
    const loss = await renderChartSvg(charts[0]!.spec);
    expect(loss).toMatch(/^<svg/);
    const t = texts(loss);
    expect(t).toContain('epoch');
    expect(t).toContain('loss');
    expect(t).toContain('val_loss');
    expect(t).not.toContain('seconds'); // only loss-like metrics share the loss chart
    expect(lines(loss)).toBe(2); // loss and val_loss
    const acc = await renderChartSvg(charts[1]!.spec);
    expect(texts(acc)).toContain('val_accuracy');
    expect(texts(acc)).toContain('accuracy');
  });

  it('uses a log scale for losses only when they span more than two decades', () => {
    const steep = historyCharts([1, 2, 3].map((epoch) => ({ epoch, loss: 10 ** (2 - 2 * epoch) })));
    expect(scales(steep[0]!)['y']?.type).toBe('log');
    const flat = historyCharts([1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch })));
    expect(scales(flat[0]!)['y']?.type).toBe('linear');
  });

  it('skips non-finite values and compiles for any history (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ loss: fc.oneof(fc.double({ min: 1e-6, max: 1e3, noNaN: true }), fc.constant(Number.NaN)), val_accuracy: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 30 }),
      (rows) => {
        const history = rows.map((r, i) => ({ epoch: i + 1, ...r }));
        const charts = historyCharts(history);
        expect(charts).toHaveLength(2);
        const values = (charts[0]!.spec as { data: { values: unknown[] } }).data.values;
        expect(values).toHaveLength(rows.filter((r) => Number.isFinite(r.loss)).length);
        for (const c of charts) compile(c.spec);
      },
    ), { numRuns: 40 });
  });
});

describe('anomaly charts (a real MNIST detector)', () => {
  it('draws the ROC curve with its AUC and the chance line', async () => {
    const record = anomalyRecord();
    const chart = rocChart(record.roc!);
    expect(chart.title).toBe(`ROC curve (AUC ${record.roc!.auc.toFixed(3)})`);
    const svg = await renderChartSvg(chart.spec);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['false positive rate', 'true positive rate', chart.title]));
    expect(lines(svg)).toBe(2); // the curve and the chance diagonal
  });

  it('draws the score histograms of normal and anomalous samples as bars', async () => {
    const record = anomalyRecord();
    expect(record.scores!.normal.length).toBeGreaterThan(0);
    const svg = await renderChartSvg(scoreHistogram(record.scores!).spec);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['anomaly score', 'samples', 'normal', 'anomalous']));
    const bars = svg.slice(svg.indexOf('class="mark-rect role-mark'));
    expect(bars.slice(0, bars.indexOf('</g>')).match(/<path /g)!.length).toBeGreaterThan(5);
  });
});

describe('method and spectra charts (TT-SVD / TR-SVD of the camera image)', () => {
  it('draws CR and RSE against time per method, CR on a log axis', async () => {
    const record = decomposeRecord();
    const [cr, rse] = methodCharts(record.methods!);
    expect(scales(cr!)['y']?.type).toBe('log'); // CR spans 0.002–0.2
    const svg = await renderChartSvg(cr!.spec);
    expect(texts(svg)).toEqual(expect.arrayContaining(['time (s)', 'compression ratio (CR)', 'TT-SVD', 'TR-SVD']));
    expect(texts(await renderChartSvg(rse!.spec))).toContain('relative squared error (RSE)');
  });

  it('draws one line per bond on a log axis, leaving out zero singular values', async () => {
    const record = decomposeRecord();
    const spectra = record.spectra![0]!;
    const chart = spectraChart(spectra);
    expect(scales(chart)['y']?.type).toBe('log');
    const svg = await renderChartSvg(chart.spec);
    expect(lines(svg)).toBe(spectra.bonds.length);
    expect(texts(svg)).toEqual(expect.arrayContaining(['singular value index k', 'σ_k / σ_1', '0–1']));
    const zeros = spectraChart({ label: 'z', bonds: [{ edge: [0, 1], values: [4, 1, 0, 0] }] });
    expect((zeros.spec as { data: { values: { value: number }[] } }).data.values.map((v) => v.value)).toEqual([1, 0.25]);
  });

  it('recordCharts gathers each part a record has, in order', () => {
    expect(recordCharts(trainRecord()).map((c) => c.title)).toEqual(['Loss per epoch', 'Accuracy per epoch']);
    expect(recordCharts(anomalyRecord()).map((c) => c.title.replace(/\(AUC.*\)/, ''))).toEqual(['Loss per epoch', 'ROC curve ', 'Anomaly scores by true label']);
    expect(recordCharts({ version: 1, kind: 'search', title: 't', summary: {} })).toEqual([]);
  });
});
