#!/usr/bin/env node
// MNIST anomaly detection with an SMPO (tn4ml protocol; not a test): one run per normal
// class, printing AUC and seconds per epoch, and optionally the same budget by sweeps.
//
//   npm run build && node bench/anomaly.mjs                 # classes 0–9, 20 epochs, gradient
//   CLASSES=0 TRAINER=sweep EPOCHS=4 node bench/anomaly.mjs  # two-site sweeps
//   BONDS=5,10 SPACINGS=4,8 CLASSES=0 node bench/anomaly.mjs # a bond × spacing grid
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const distDir = process.env.TNKIT_DIST ?? new URL('../dist', import.meta.url).pathname;
const { runAnomaly } = await import(pathToFileURL(join(distDir, 'cli/anomaly.js')).href);
const list = (name, fallback) => (process.env[name] ?? fallback).split(',').map((s) => s.trim());

for (const normalClass of list('CLASSES', '0,1,2,3,4,5,6,7,8,9')) {
  for (const bondDim of list('BONDS', '10')) {
    for (const spacing of list('SPACINGS', '8')) {
      const r = runAnomaly({
        dataset: 'mnist', normalClass, model: 'smpo', spacing, bondDim, epochs: process.env.EPOCHS ?? '20',
        seed: process.env.SEED ?? '0', lr: process.env.LR ?? '1e-3', batchSize: '128', dtype: 'f64',
        alpha: '0.4', normExponent: '4', trainer: process.env.TRAINER ?? 'gradient',
      });
      console.log(JSON.stringify(r));
    }
  }
}
