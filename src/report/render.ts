/**
 * Chart specs and DOT text → SVG, with vega + vega-lite (headless View, no canvas) and
 * Graphviz compiled to WebAssembly (@viz-js/viz). Both are plain JS/wasm: this runs in Node
 * and in a browser, without a DOM.
 */
import { instance, type Viz } from '@viz-js/viz';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { DotEngine } from './network-dot.js';

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

let viz: Promise<Viz> | undefined;

/** Renders DOT text to an SVG element (the XML prolog, DOCTYPE and comments dropped, so it inlines in HTML). */
export async function renderDotSvg(dot: string, engine: DotEngine | 'dot' = 'neato'): Promise<string> {
  viz ??= instance();
  const svg = (await viz).renderString(dot, { format: 'svg', engine });
  const start = svg.indexOf('<svg');
  if (start < 0) throw new Error('graphviz returned no <svg> element');
  return svg.slice(start).replace(/<!--[\s\S]*?-->\n?/g, '').trim();
}
