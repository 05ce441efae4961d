import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../io/datasets.js';
import { randn } from '../tensor/create.js';
import { AnomalyDetector } from './anomaly-detector.js';
import { EstimatorOptionError } from './option-error.js';

// 200 zeros to train on, the first 1,000 test images to score (every other digit is an anomaly).
const normal = loadDataset('mnist', { split: 'train', classes: [0], limit: 200, resize: 14 });
const test = loadDataset('mnist', { split: 'test', limit: 1000, resize: 14 });
const isAnomalous = Array.from(test.y, (d) => (d === 0 ? 0 : 1));

describe('AnomalyDetector', () => {
  const det = new AnomalyDetector({ spacing: 8, bondDim: 5, epochs: 3, lr: 1e-2, batchSize: 32, seed: 0 }).fit(normal.X);

  it('separates MNIST zeros from other digits after a short fit (AUC > 0.8)', () => {
    const auc = det.auc(test.X, isAnomalous);
    expect(auc).toBeGreaterThan(0.8);
    expect(det.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(det.fitSummary?.trainSamples).toBe(200);
    // Images [n, 14, 14] and rows [n, 196] are the same samples.
    expect(det.auc(test.X.reshape(1000, 196), isAnomalous)).toBe(auc);
  });

  it('scores anomalies higher on average, and predict flags scores above the threshold', () => {
    const s = det.scoreSamples(test.X);
    let a = 0;
    let na = 0;
    let n = 0;
    let nn = 0;
    s.forEach((v, i) => {
      if (isAnomalous[i]) {
        a += v;
        na++;
      } else {
        n += v;
        nn++;
      }
    });
    expect(a / na).toBeGreaterThan(n / nn);
    const flags = det.predict(test.X);
    s.forEach((v, i) => expect(flags[i]).toBe(v > det.threshold ? 1 : 0));
    // The default threshold is the 95th percentile of the training scores: about 5 % of them are flagged.
    const flaggedTrain = det.predict(normal.X).reduce((x, y) => x + y, 0);
    expect(flaggedTrain).toBeLessThanOrEqual(10);
    expect(det.predict(test.X, -Infinity).every((v) => v === 1)).toBe(true);
  });

  it('save / load and toBytes / fromBytes give bit-identical scores and keep the settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-detector-'));
    det.metadata = { note: 'zeros' };
    det.save(join(dir, 'd.tnk'));
    const back = AnomalyDetector.load(join(dir, 'd.tnk'));
    expect(Array.from(back.scoreSamples(test.X))).toEqual(Array.from(det.scoreSamples(test.X)));
    expect(back.threshold).toBe(det.threshold);
    expect(back.options.alpha).toBe(0.4);
    expect(back.options.spacing).toBe(8);
    expect(back.history).toEqual(det.history);
    expect(back.metadata).toEqual({ note: 'zeros' });
    const again = AnomalyDetector.fromBytes(det.toBytes());
    expect(Array.from(again.predict(test.X))).toEqual(Array.from(det.predict(test.X)));
  });

  it('rejects bad options and inputs before training, naming them', () => {
    expect(() => new AnomalyDetector({ model: 'mps' as 'smpo' })).toThrow(/AnomalyDetector: model: 'mps' is not one of smpo/);
    expect(() => new AnomalyDetector({ spacing: 0 })).toThrow(/spacing: expected an integer ≥ 1/);
    expect(() => new AnomalyDetector({ embedding: 'wavelet' })).toThrow(/embedding: 'wavelet' is not one of/);
    expect(() => new AnomalyDetector({ bondDims: 3 } as never)).toThrow(/bondDims: unknown option/);
    expect(() => new AnomalyDetector().fit([[0.1, 0.2], [0.3]])).toThrow(EstimatorOptionError);
    expect(() => new AnomalyDetector().scoreSamples(normal.X)).toThrow(/call fit\(\)/);
    expect(() => det.scoreSamples(randn([4, 10]))).toThrow(/X: has 10 features, the detector was trained on 196/);
    expect(() => det.auc(test.X, isAnomalous.slice(1))).toThrow(/isAnomalous: 999 labels for 1000 samples/);
    expect(() => det.auc(test.X.slice([0, 5]), [0, 0, 0, 0, 0])).toThrow(/isAnomalous: .*needs both classes/);
  });

  it('min-max scales features outside [0, 1] with the auto scaler, and not pixels', () => {
    const raw = randn([40, 6], { seed: 3 });
    const d = new AnomalyDetector({ spacing: 3, bondDim: 2, epochs: 1, batchSize: 20 }).fit(raw);
    expect(d.scaler).toBeDefined();
    expect(det.scaler).toBeUndefined();
    expect(AnomalyDetector.fromBytes(d.toBytes()).scaler?.min).toEqual(d.scaler?.min);
    expect(d.scoreSamples(raw).every(Number.isFinite)).toBe(true);
    expect(AnomalyDetector.fromBytes(d.toBytes()).scoreSamples(raw)).toEqual(d.scoreSamples(raw));
  });
});
