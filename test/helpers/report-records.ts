/**
 * Run records built from real runs, for the report tests: a tiny breast-cancer classifier,
 * a tiny anomaly detector on MNIST, and TT-SVD / TR-SVD of the camera image at
 * three error targets (CR and RSE against time, networks, bond spectra, image row).
 * Each is computed once per test file.
 */
import { encode } from 'fast-png';
import { runAnomaly } from '../../src/cli/anomaly.js';
import { runTrain } from '../../src/cli/train.js';
import { contractCores, trSvd, ttSvd } from '../../src/decompose/index.js';
import { readPng } from '../../src/io/image.js';
import type { MethodTrace, RunRecord } from '../../src/report/run-record.js';
import { bondSpectrum } from '../../src/search/index.js';
import { Tensor } from '../../src/tensor/tensor.js';

let train: RunRecord | undefined;
let anomaly: RunRecord | undefined;
let decompose: RunRecord | undefined;

/** A 4-epoch MPS classifier on breast cancer (history with loss, val_loss, val_accuracy). */
export function trainRecord(): RunRecord {
  train ??= runTrain({
    dataset: 'breast-cancer', model: 'mps', bondDim: '4', embedding: 'polynomial:2', init: 'identity:0.01', optimizer: 'adam',
    lr: '1e-2', batchSize: '32', epochs: '4', patience: '0', seed: '0', dtype: 'f64', monitor: 'val_loss',
  }).record;
  return train;
}

/** An SMPO detector on MNIST (14×14), 2 epochs on 200 images of 0, 300 test images (history, ROC, scores). */
export function anomalyRecord(): RunRecord {
  anomaly ??= runAnomaly({
    dataset: 'mnist', normalClass: '0', model: 'smpo', spacing: '8', bondDim: '4', epochs: '2', trainLimit: '200', testLimit: '300',
    seed: '0', lr: '1e-2', batchSize: '32', dtype: 'f64', alpha: '0.4', normExponent: '4', trainer: 'gradient',
  }).record;
  return anomaly;
}

/** A grey image (values 0–255, shape [h, w]) as base64 PNG. */
export function pngBase64(image: Tensor): string {
  const [h, w] = image.shape as [number, number];
  const data = Uint8Array.from(image.toTypedArray(), (v) => Math.max(0, Math.min(255, Math.round(v))));
  return Buffer.from(encode({ width: w, height: h, data, channels: 1, depth: 8 })).toString('base64');
}

/** TT-SVD and TR-SVD of data/images/camera.png (reshaped 4^9) at RSE 0.3, 0.2, 0.1. */
export function decomposeRecord(): RunRecord {
  if (decompose) return decompose;
  const image = readPng('data/images/camera.png');
  const dims = new Array<number>(9).fill(4);
  const x = image.reshape(...dims);
  const methods: MethodTrace[] = [];
  const networks: NonNullable<RunRecord['networks']> = [];
  let best: ReturnType<typeof ttSvd> | undefined;
  for (const [name, fn] of [['TT-SVD', ttSvd], ['TR-SVD', trSvd]] as const) {
    const points: MethodTrace['points'] = [];
    const t0 = performance.now();
    for (const target of [0.3, 0.2, 0.1]) {
      const d = fn(x, { rse: target });
      points.push({ seconds: (performance.now() - t0) / 1000, cr: d.params / x.size, rse: d.rse, params: d.params });
      if (target === 0.1) {
        networks.push({ label: `${name}, RSE 0.1`, dims, ranks: d.rankMatrix });
        if (name === 'TT-SVD') best = d;
      }
    }
    methods.push({ method: name, points });
  }
  const tt = best!;
  const spectra = [{ label: 'TT-SVD, RSE 0.1', bonds: tt.ranks.map((_, k) => ({ edge: [k, k + 1] as [number, number], values: bondSpectrum(tt.cores, tt.rankMatrix, k, k + 1) })) }];
  const approx = contractCores(tt.cores, tt.rankMatrix).reshape(...image.shape);
  decompose = {
    version: 1, kind: 'decompose', title: 'TT-SVD and TR-SVD of the camera image (4^9)',
    summary: { method: 'ttsvd', rse: tt.rse, cr: tt.params / x.size, params: tt.params, ranks: tt.ranks },
    methods, networks, spectra,
    images: [{ label: 'camera', items: [{ caption: 'original', png: pngBase64(image) }, { caption: `TT-SVD (RSE ${tt.rse.toFixed(3)})`, png: pngBase64(approx) }] }],
  };
  return decompose;
}

export { Tensor };
