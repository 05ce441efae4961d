#!/usr/bin/env node
// MNIST anomaly detection with an SMPO (tn4ml protocol; not a test): one run per
// (normal class, bond, spacing, seed), printing one JSON line each (AUC, s/epoch, …).
//
//   npm run build && node bench/anomaly.mjs                   # classes 0–9, 20 epochs, gradient
//   CLASSES=0 SEEDS=0,1,2,3,4 node bench/anomaly.mjs           # mean ± std over seeds
//   CLASSES=0 NORMALIZE=0 node bench/anomaly.mjs               # no per-batch renormalisation
//   CLASSES=0 TRAINER=sweep EPOCHS=4 node bench/anomaly.mjs    # two-site sweeps
//   BONDS=5,10 SPACINGS=4,8,16,32,64 CLASSES=0 node bench/anomaly.mjs  # bond × spacing grid
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const distDir = process.env.TNKIT_DIST ?? new URL('../dist', import.meta.url).pathname;
const { runAnomaly } = await import(pathToFileURL(join(distDir, 'cli/anomaly.js')).href);
const registry = await import(pathToFileURL(join(distDir, 'kernels/registry.js')).href);
if (registry.getKernel().name !== 'native') console.error(`warning: running on the ${registry.getKernel().name} backend, not native: ${JSON.stringify(registry.backendStatus?.() ?? {})} (the addon and wasm are looked for in build/ next to the dist used)`);
const list = (name, fallback) => (process.env[name] ?? fallback).split(',').map((s) => s.trim());

const aucs = [];
for (const normalClass of list('CLASSES', '0,1,2,3,4,5,6,7,8,9')) {
  for (const bondDim of list('BONDS', '10')) {
    for (const spacing of list('SPACINGS', '8')) {
      for (const seed of list('SEEDS', '0')) {
        const r = runAnomaly({
          dataset: 'mnist', normalClass, model: 'smpo', spacing, bondDim, epochs: process.env.EPOCHS ?? '20',
          seed, lr: process.env.LR ?? '1e-3', batchSize: '128', dtype: 'f64',
          alpha: '0.4', normExponent: '4', trainer: process.env.TRAINER ?? 'gradient',
          normalize: process.env.NORMALIZE !== '0',
        }).summary;
        aucs.push(r.auc);
        console.log(JSON.stringify(r));
      }
    }
  }
}
if (aucs.length > 1) {
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  const std = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / (aucs.length - 1));
  console.log(JSON.stringify({ runs: aucs.length, auc_mean: mean, auc_std_sample: std }));
}
