/**
 * The tnkit page: RGTN compression of an image or `.npy` tensor, and an MPS classifier,
 * each in its own Web Worker on the WebAssembly kernel. The charts are the report's
 * Vega-Lite specs (`methodCharts`, `historyCharts`) shown with vega-embed; the network is
 * the report's DOT drawing (`networkDot`) rendered by Graphviz in wasm (@viz-js/viz).
 */
import { instance as graphviz } from '@viz-js/viz';
import { historyCharts, methodCharts, networkDot, networkLayout, type Chart, type MethodTrace, type NetworkDrawing } from 'tnkit/browser';
import embed, { type Result as EmbedResult } from 'vega-embed';
import wasmUrl from '../build/wasm/tnkit.wasm?url';
import cameraUrl from '../data/images/camera.png?url';
import { toRgba } from './image-tensor.js';
import type { CompressInput, CompressReply, CompressRequest, Picture, TrainReply, TrainRequest } from './messages.js';
import './styles.css';

declare global {
  interface Window {
    /** True once both workers have loaded the wasm kernel (a hook for automated checks). */
    tnkitReady?: boolean;
  }
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
};

/** Charts re-drawn at most every 200 ms while data stream in (the last update always lands). */
function chartSlot(id: string): (chart: Chart | undefined) => void {
  let pending: Chart | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let shown: EmbedResult | undefined;
  let queue = Promise.resolve();
  const draw = (): void => {
    timer = undefined;
    const chart = pending;
    if (!chart) return;
    queue = queue.then(async () => {
      shown?.finalize();
      const spec = { ...chart.spec, width: 'container' } as Chart['spec'];
      shown = await embed($(id), spec, { actions: false, renderer: 'svg' });
    }).catch((e: unknown) => fail(`chart ${id}: ${e instanceof Error ? e.message : String(e)}`));
  };
  return (chart) => {
    pending = chart;
    if (timer === undefined) timer = setTimeout(draw, 200);
  };
}

function fail(message: string): void {
  console.error(message);
}

function drawPicture(canvasId: string, p: Picture): void {
  const canvas = $<HTMLCanvasElement>(canvasId);
  canvas.width = p.width;
  canvas.height = p.height;
  canvas.getContext('2d')!.putImageData(new ImageData(toRgba(p.pixels, p.lo, p.hi), p.width, p.height), 0, 0);
  canvas.classList.remove('empty');
}

const viz = graphviz();
let graphQueue = Promise.resolve();
/** Draws a network with Graphviz (wasm), one drawing at a time, in the order asked. */
function drawNetwork(drawing: NetworkDrawing): void {
  graphQueue = graphQueue.then(async () => {
    const svg = (await viz).renderSVGElement(networkDot(drawing), { engine: networkLayout(drawing) });
    $('network').replaceChildren(svg);
  }).catch((e: unknown) => fail(`network drawing: ${e instanceof Error ? e.message : String(e)}`));
}

// ---- workers -------------------------------------------------------------------------

const compressWorker = new Worker(new URL('./compress.worker.ts', import.meta.url), { type: 'module' });
const trainWorker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
const wasm = new URL(wasmUrl, location.href).href;
let readyCount = 0;
function workerReady(backends: string[]): void {
  readyCount++;
  $('backend').textContent = `backends: ${backends.join(', ')} (wasm active)`;
  if (readyCount === 2) {
    window.tnkitReady = true;
    for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-needs-wasm]')) b.disabled = false;
    $('ready').textContent = 'WebAssembly kernel loaded';
  }
}
for (const [name, w] of [['compression', compressWorker], ['training', trainWorker]] as const) {
  w.onerror = (e) => fail(`the ${name} worker failed: ${e.message}`);
}
compressWorker.postMessage({ type: 'init', wasmUrl: wasm });
trainWorker.postMessage({ type: 'init', wasmUrl: wasm });

// ---- compression ---------------------------------------------------------------------

const crChart = chartSlot('cr-chart');
const rseChart = chartSlot('rse-chart');
let trace: MethodTrace = { method: 'rgtn', points: [] };
let compressStarted = 0;

/** Adds a line to a log panel, kept scrolled to its end. */
function appendLog(id: string, text: string): void {
  const log = $(id);
  log.textContent += `${text}\n`;
  log.scrollTop = log.scrollHeight;
}

const tickers = new Map<string, ReturnType<typeof setInterval>>();

/** Sets a status line; while running it counts the seconds (the worker is busy between steps). */
function setState(id: string, state: 'idle' | 'running' | 'done' | 'error', text: string): void {
  const el = $(id);
  el.dataset['state'] = state;
  el.textContent = text;
  clearInterval(tickers.get(id));
  tickers.delete(id);
  if (state === 'running') {
    const started = performance.now();
    tickers.set(id, setInterval(() => {
      el.textContent = `${text} · ${((performance.now() - started) / 1000).toFixed(0)} s`;
    }, 1000));
  }
}

/** Shows a figure rounded, with its exact value in data-value (for automated checks). */
function figure(id: string, value: number, text: string): void {
  const el = $(id);
  el.textContent = text;
  el.dataset['value'] = String(value);
}

function showFigures(f: { cr: number; rse: number; params: number }): void {
  figure('cr', f.cr, f.cr.toPrecision(6));
  figure('rse', f.rse, f.rse.toPrecision(6));
  figure('params', f.params, String(f.params));
}

function plotTrace(): void {
  const [cr, rse] = methodCharts([trace]);
  crChart(cr);
  rseChart(rse);
}

compressWorker.onmessage = (event: MessageEvent<CompressReply>) => {
  const m = event.data;
  switch (m.type) {
    case 'ready':
      workerReady(m.backends);
      break;
    case 'log':
      appendLog('compress-log', m.text);
      break;
    case 'prepared':
      if (m.original) drawPicture('original', m.original);
      $('shape').textContent = `[${m.dims.join(', ')}]`;
      break;
    case 'step':
      trace.points.push({ seconds: m.seconds, cr: m.cr, rse: m.rse, params: m.params });
      plotTrace();
      showFigures(m);
      drawNetwork({ label: `${m.params} parameters, RSE ${m.rse.toPrecision(3)}`, dims: m.dims, ranks: m.ranks });
      if (m.picture) drawPicture('reconstruction', m.picture);
      break;
    case 'done': {
      const wall = (performance.now() - compressStarted) / 1000;
      trace.points.push({ seconds: m.seconds, cr: m.cr, rse: m.rse, params: m.params });
      plotTrace();
      showFigures(m);
      figure('seconds', m.seconds, m.seconds.toFixed(2));
      figure('evaluations', m.evaluations, String(m.evaluations));
      drawNetwork({ label: `result: ${m.params} parameters, RSE ${m.rse.toPrecision(3)}`, dims: m.dims, ranks: m.ranks });
      if (m.picture) drawPicture('reconstruction', m.picture);
      setState('compress-status', 'done', `${m.feasible ? 'done' : 'done (target missed)'}: search ${m.seconds.toFixed(2)} s, ${wall.toFixed(2)} s on the page`);
      $<HTMLButtonElement>('compress-run').disabled = false;
      break;
    }
    case 'error':
      appendLog('compress-log', `error: ${m.message}`);
      setState('compress-status', 'error', m.message);
      $<HTMLButtonElement>('compress-run').disabled = false;
      break;
  }
};

/** The dropped or picked file; undefined: the shipped image; 'rejected': the last file was not usable. */
let chosen: CompressInput | 'rejected' | undefined;

async function shippedImage(): Promise<CompressInput> {
  const response = await fetch(cameraUrl);
  if (!response.ok) throw new Error(`fetching the shipped image failed with HTTP ${response.status}`);
  return { kind: 'png', name: 'camera.png', bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function choose(file: File): Promise<void> {
  const lower = file.name.toLowerCase();
  const kind = lower.endsWith('.npy') ? 'npy' : lower.endsWith('.png') || file.type === 'image/png' ? 'png' : undefined;
  if (!kind) {
    chosen = 'rejected';
    $('input-name').textContent = `none (${file.name} is not a PNG image or a .npy file)`;
    setState('compress-status', 'error', `${file.name}: drop a PNG image or a .npy file`);
    return;
  }
  chosen = { kind, name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  $('input-name').textContent = file.name;
}

function readNumber(id: string, what: string, ok: (v: number) => boolean): number {
  const v = Number($<HTMLInputElement>(id).value);
  if (!ok(v)) throw new RangeError(`${what}: ${$<HTMLInputElement>(id).value || '(empty)'} is not allowed`);
  return v;
}

async function runCompression(): Promise<void> {
  try {
    const target = readNumber('target', 'target RSE', (v) => v > 0 && v < 1);
    const seed = readNumber('seed', 'seed', Number.isInteger);
    const size = Number($<HTMLSelectElement>('size').value);
    if (chosen === 'rejected') throw new Error('drop a PNG image or a .npy file, or use the shipped image');
    // Running from the click on (before any await), so no earlier state is read as this run's.
    $<HTMLButtonElement>('compress-run').disabled = true;
    setState('compress-status', 'running', 'running');
    const input = chosen ?? (await shippedImage());
    $('input-name').textContent = input.name;
    trace = { method: 'rgtn', points: [] };
    $('compress-log').textContent = '';
    for (const id of ['cr', 'rse', 'params', 'seconds', 'evaluations']) {
      $(id).textContent = '…';
      delete $(id).dataset['value'];
    }
    for (const id of ['original', 'reconstruction']) {
      const canvas = $<HTMLCanvasElement>(id);
      // biome-ignore lint/correctness/noSelfAssign: setting the width clears the canvas
      canvas.width = canvas.width; // clears it: a tensor that is no image leaves no old picture behind
      canvas.classList.add('empty');
    }
    $('network').textContent = '';
    compressStarted = performance.now();
    const request: CompressRequest = { type: 'compress', input, size, target, seed };
    compressWorker.postMessage(request);
  } catch (error) {
    setState('compress-status', 'error', error instanceof Error ? error.message : String(error));
    $<HTMLButtonElement>('compress-run').disabled = false;
  }
}

$('compress-run').addEventListener('click', () => void runCompression());
$('use-shipped').addEventListener('click', () => {
  chosen = undefined;
  $<HTMLInputElement>('file').value = '';
  $('input-name').textContent = 'camera.png (shipped)';
});
$<HTMLInputElement>('file').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void choose(file);
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) void choose(file);
});

// ---- classifier ----------------------------------------------------------------------

const lossChart = chartSlot('loss-chart');
const accChart = chartSlot('acc-chart');
let history: Record<string, number>[] = [];

trainWorker.onmessage = (event: MessageEvent<TrainReply>) => {
  const m = event.data;
  switch (m.type) {
    case 'ready':
      workerReady(m.backends);
      break;
    case 'log':
      appendLog('train-log', m.text);
      break;
    case 'epoch': {
      history.push(m.record);
      const [loss, acc] = historyCharts(history as { epoch: number; [k: string]: number }[]);
      lossChart(loss);
      accChart(acc);
      $('epoch').textContent = String(m.record['epoch']);
      break;
    }
    case 'done':
      figure('accuracy', m.testAccuracy, `${(100 * m.testAccuracy).toFixed(2)}%`);
      figure('train-accuracy', m.trainAccuracy, `${(100 * m.trainAccuracy).toFixed(2)}%`);
      setState('train-status', 'done', `done: ${m.epochs} epochs in ${m.seconds.toFixed(1)} s (${m.samples.train} train, ${m.samples.validation} validation, ${m.samples.test} test samples)`);
      $<HTMLButtonElement>('train-run').disabled = false;
      break;
    case 'error':
      setState('train-status', 'error', m.message);
      $<HTMLButtonElement>('train-run').disabled = false;
      break;
  }
};

$('train-run').addEventListener('click', () => {
  try {
    const request: TrainRequest = {
      type: 'train',
      bondDim: readNumber('bond', 'bond dimension', (v) => Number.isInteger(v) && v >= 2 && v <= 64),
      epochs: readNumber('epochs', 'epochs', (v) => Number.isInteger(v) && v >= 1 && v <= 500),
      lr: readNumber('lr', 'learning rate', (v) => v > 0 && v < 1),
      seed: readNumber('train-seed', 'seed', Number.isInteger),
    };
    history = [];
    $('train-log').textContent = '';
    $('accuracy').textContent = '…';
    $('train-accuracy').textContent = '…';
    $<HTMLButtonElement>('train-run').disabled = true;
    setState('train-status', 'running', 'running');
    trainWorker.postMessage(request);
  } catch (error) {
    setState('train-status', 'error', error instanceof Error ? error.message : String(error));
  }
});
