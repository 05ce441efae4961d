#!/usr/bin/env node
// The README's headline figures as a fixed, deterministic set of CLI runs (seeded), printed
// as one JSON object: run it before and after a refactor and compare. Timings are printed
// beside the results but are not part of the comparison (`--compare A.json B.json` checks
// every non-timing field for equality and prints the differences).
//
//   node bench/figures.mjs > before.json      (about 2–4 minutes on 2 cores)
//   node bench/figures.mjs --compare before.json after.json
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'tnkit.js');
const TIMING = new Set(['wall_seconds', 'seconds', 'seconds_per_epoch', 'ms', 'gflops', 'vs_numpy', 'epoch_seconds', 'startedAt']);

if (process.argv[2] === '--compare') {
  const [a, b] = process.argv.slice(3).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const diffs = [];
  const walk = (x, y, path) => {
    if (x !== null && typeof x === 'object' && y !== null && typeof y === 'object') {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (!TIMING.has(k)) walk(x[k], y[k], `${path}.${k}`);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${path}: ${JSON.stringify(x)} → ${JSON.stringify(y)}`);
  };
  walk(a.results, b.results, 'results');
  console.log(diffs.length === 0 ? 'same results (timings aside)' : diffs.join('\n'));
  process.exit(diffs.length === 0 ? 0 : 1);
}

const dir = mkdtempSync(join(tmpdir(), 'tnkit-figures-'));
const tnkit = (...args) => {
  const started = performance.now();
  let out;
  try {
    out = execFileSync(process.execPath, [bin, ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    if (e.status !== 3) throw e; // 3: target missed, still a result
    out = e.stdout;
  }
  const text = out.trim();
  const parsed = text.startsWith('[') ? { rows: JSON.parse(text) } : JSON.parse(text.split('\n').at(-1));
  return { ...parsed, wall_seconds: (performance.now() - started) / 1000 };
};

const ring = join(dir, 'ring.json');
writeFileSync(ring, JSON.stringify([[1, 3, 1, 1, 3], [3, 1, 3, 1, 1], [1, 3, 1, 3, 1], [1, 1, 3, 1, 3], [3, 1, 1, 3, 1]]));
tnkit('synth', '--ranks', ring, '--dims', '4,4,4,4,4', '--seed', '1', '--out', join(dir, 'ring.npy'));
const results = {
  breast_cancer: tnkit('train', '--dataset', 'breast-cancer', '--bond-dim', '20', '--embedding', 'polynomial:2', '--epochs', '60', '--seed', '0'),
  anomaly_gradient: tnkit('anomaly', '--dataset', 'mnist', '--normal-class', '0', '--bond-dim', '5', '--epochs', '2', '--train-limit', '500', '--test-limit', '2000'),
  anomaly_sweep: tnkit('anomaly', '--dataset', 'mnist', '--normal-class', '0', '--bond-dim', '5', '--sweeps', '2', '--train-limit', '500', '--test-limit', '2000', '--trainer', 'sweep'),
  search_camera: tnkit('search', join(root, 'data', 'images', 'camera.png'), '--shape', '4,4,4,4,4,4,4,4,4', '--rse', '0.1'),
  search_ring: tnkit('search', join(dir, 'ring.npy'), '--method', 'rgtn', '--rse', '1e-4'),
  decompose_tt: tnkit('decompose', join(root, 'data', 'images', 'camera.png'), '--format', 'tt', '--rse', '0.1', '--shape', '4,4,4,4,4,4,4,4,4'),
};
const kernels = tnkit('bench', 'kernels', '--quick', '--backend', 'native');
console.log(JSON.stringify({ node: process.version, results, kernels }, null, 1));
