/**
 * Reports: run records → Vega-Lite chart specs and DOT network drawings → SVG → one
 * self-contained HTML page. Chart and DOT builders are pure and also exported for browsers.
 */
import { recordCharts, spectraChart } from './charts.js';
import { reportPage, type DrawnSection } from './html.js';
import { networkDot, networkLayout } from './network-dot.js';
import { renderChartSvg, renderDotSvg } from './render.js';
import type { RunRecord } from './run-record.js';

export * from './run-record.js';
export { parseRunRecord, RunRecordError } from './parse-run-record.js';
export { historyCharts, rocChart, scoreHistogram, methodCharts, spectraChart, recordCharts, type Chart } from './charts.js';
export { networkDot, networkLayout, drawingEdges, bondWidth, type DotEngine } from './network-dot.js';
export { renderChartSvg, renderDotSvg } from './render.js';
export { escapeHtml } from './html.js';

async function draw(record: RunRecord): Promise<DrawnSection> {
  const charts = await Promise.all(recordCharts(record).map(async (c) => ({ title: c.title, svg: await renderChartSvg(c.spec) })));
  const networks = await Promise.all((record.networks ?? []).map(async (n) => ({ title: n.label, svg: await renderDotSvg(networkDot(n), networkLayout(n)) })));
  const spectra = await Promise.all((record.spectra ?? []).map(async (s) => {
    const c = spectraChart(s);
    return { title: c.title, svg: await renderChartSvg(c.spec) };
  }));
  const sections: DrawnSection[] = [];
  for (const s of record.sections ?? []) sections.push(await draw(s));
  return { record, charts, networks, spectra, sections };
}

/**
 * One self-contained HTML page for a run: summary table, charts (history, ROC, score
 * histograms, CR/RSE against time), network drawings, bond spectra and image rows, each part
 * shown when the record has it; a `demo` record shows its sections one after another. Inline
 * SVG and CSS, images as data: URIs, the record as JSON in `<script id="tnkit-run">`: no
 * external reference.
 */
export async function renderReportHtml(record: RunRecord): Promise<string> {
  return reportPage(await draw(record));
}
