/**
 * One self-contained HTML page for a run record: inline CSS, inline SVG, images as data: URIs
 * and the record itself as JSON in a `<script type="application/json">`, so the file opens
 * offline, can be mailed, and a page script (or `tnkit report`) can read the run back.
 */
import type { RunRecord } from './run-record.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A summary value as short text: numbers to 4 significant digits, objects as compact JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
  }
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '—';
  // A space after each comma lets long lists (rank matrices) wrap between entries.
  return JSON.stringify(v).replace(/,/g, ', ');
}

/** The summary as a table of key and value, nested objects flattened to dotted keys (shown as a grid of cells). */
export function summaryTable(summary: Record<string, unknown>): string {
  const rows: string[] = [];
  const walk = (o: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix + k;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, `${key}.`);
      else {
        const text = formatValue(v);
        // Sentences (a demo step's headline) get a wider cell than figures.
        const wide = text.length > 60 ? ' class="wider"' : text.length > 24 ? ' class="wide"' : '';
        rows.push(`<tr${wide}><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(text)}</td></tr>`);
      }
    }
  };
  walk(summary, '');
  return rows.length === 0 ? '' : `<table class="summary">${rows.join('')}</table>`;
}

/** JSON safe inside `<script>`: `<` escaped so no `</script>` or `<!--` can end the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** What a section of the page holds once its pictures are drawn (SVG strings, in order). */
export interface DrawnSection {
  record: RunRecord;
  charts: { title: string; svg: string }[];
  networks: { title: string; svg: string }[];
  spectra: { title: string; svg: string }[];
  sections: DrawnSection[];
}

const CSS = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6473; --line: #d9dde5; --bg: #ffffff; --panel: #f6f7f9; --accent: #2f5d9f; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 28px 24px 64px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 1.3rem; margin: 40px 0 8px; padding-top: 16px; border-top: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 24px 0 8px; color: var(--accent); }
.meta { color: var(--muted); font-size: 0.9rem; margin: 0 0 16px; }
.meta code { font: 0.85rem ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--panel); padding: 1px 5px; border-radius: 4px; word-break: break-all; }
table.summary { margin: 8px 0 18px; font-variant-numeric: tabular-nums; }
/* Rows flow as cells of a grid (key above value), so a long summary stays compact. */
table.summary, table.summary tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; }
table.summary tbody { grid-column: 1 / -1; }
table.summary tr { display: flex; flex-direction: column; padding: 6px 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; min-width: 0; }
table.summary th { font-weight: 500; color: var(--muted); font-size: 0.8rem; text-align: left; overflow-wrap: anywhere; }
table.summary td { font-size: 1rem; overflow-wrap: anywhere; }
table.summary tr.wide { grid-column: span 2; }
table.summary tr.wider { grid-column: span 3; }
.grid { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
figure { margin: 0; padding: 12px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; max-width: 100%; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 6px; text-align: center; }
.images { display: flex; flex-wrap: wrap; gap: 14px; }
.images figure { padding: 8px; }
.images img { display: block; width: 248px; height: auto; background: #000; }
.images img.pixels { image-rendering: pixelated; }
nav ul { margin: 4px 0 0; padding-left: 20px; }
`;

/** A drawn chart or network: its title is drawn inside the SVG, so it is only the figure's label. */
function figure(title: string, svg: string): string {
  return `<figure aria-label="${escapeHtml(title)}">${svg}</figure>`;
}

/** Width and height from a base64 PNG's IHDR chunk (bytes 16–23), or undefined when it is not a PNG. */
export function pngSize(base64: string): { width: number; height: number } | undefined {
  const head = base64.slice(0, 32);
  if (head.length < 32) return undefined;
  const bin = atob(head);
  if (bin.slice(1, 4) !== 'PNG' || bin.slice(12, 16) !== 'IHDR') return undefined;
  const u32 = (at: number): number => ((bin.charCodeAt(at) << 24) | (bin.charCodeAt(at + 1) << 16) | (bin.charCodeAt(at + 2) << 8) | bin.charCodeAt(at + 3)) >>> 0;
  return { width: u32(16), height: u32(20) };
}

/** An image at 248 px wide; small ones (MNIST digits) scaled by a whole factor with sharp pixels. */
function imageTag(caption: string, png: string): string {
  const size = pngSize(png);
  const small = size !== undefined && size.width > 0 && size.width < 124;
  const style = small ? ` class="pixels" style="width:${Math.floor(248 / size.width) * size.width}px"` : '';
  return `<img alt="${escapeHtml(caption)}"${style} src="data:image/png;base64,${png}">`;
}

function imageRows(record: RunRecord): string {
  return (record.images ?? []).map((row) => {
    const items = row.items.map((it) => `<figure>${imageTag(it.caption, it.png)}<figcaption>${escapeHtml(it.caption)}</figcaption></figure>`).join('');
    return `<h3>${escapeHtml(row.label)}</h3><div class="images">${items}</div>`;
  }).join('');
}

function sectionBody(s: DrawnSection, level: number): string {
  const r = s.record;
  const h = (n: number): string => `h${Math.min(n, 6)}`;
  const parts: string[] = [];
  const meta: string[] = [];
  if (r.command !== undefined) meta.push(`<code>${escapeHtml(r.command)}</code>`);
  if (r.startedAt !== undefined) meta.push(`started ${escapeHtml(r.startedAt)}`);
  if (meta.length > 0) parts.push(`<p class="meta">${meta.join(' · ')}</p>`);
  parts.push(summaryTable(r.summary));
  if (s.charts.length > 0) parts.push(`<div class="grid">${s.charts.map((c) => figure(c.title, c.svg)).join('')}</div>`);
  if (s.networks.length > 0) parts.push(`<${h(level + 1)}>Networks</${h(level + 1)}><div class="grid">${s.networks.map((c) => figure(c.title, c.svg)).join('')}</div>`);
  if (s.spectra.length > 0) parts.push(`<${h(level + 1)}>Bond spectra</${h(level + 1)}><div class="grid">${s.spectra.map((c) => figure(c.title, c.svg)).join('')}</div>`);
  parts.push(imageRows(r));
  for (const sub of s.sections) parts.push(`<section><${h(level + 1)}>${escapeHtml(sub.record.title)}</${h(level + 1)}>${sectionBody(sub, level + 1)}</section>`);
  return parts.join('\n');
}

/** The whole page for a drawn record (no external reference of any kind). */
export function reportPage(drawn: DrawnSection): string {
  const r = drawn.record;
  const toc = drawn.sections.length > 1
    ? `<nav><ul>${drawn.sections.map((s) => `<li>${escapeHtml(s.record.title)}</li>`).join('')}</ul></nav>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.title)} — tnkit report</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(r.title)}</h1>
${toc}
${sectionBody(drawn, 1)}
</main>
<script type="application/json" id="tnkit-run">${scriptJson(r)}</script>
</body>
</html>
`;
}
