// Anomaly detection: a spaced matrix product operator (SMPO) learns what handwritten zeros
// look like from zeros alone; other digits then score higher. Reports the ROC AUC.
//   node examples/anomaly.mjs        (after `npm run build`)
// The CLI: npx tnkit anomaly --dataset mnist --normal-class 0 --model smpo --spacing 8 --bond-dim 10 --epochs 20
// A short run (200 training images, 3 epochs, bond 5); the figures in the README use more.
// @ts-check
import { AnomalyDetector, loadDataset } from 'tnkit';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Training: 200 zeros from the MNIST training part, resized 28 → 14 (pixels in [0, 1]).
const normal = loadDataset('mnist', { split: 'train', classes: [0], limit: 200, resize: 14 });
// Test: the first 1,000 images of the official test set; every digit but 0 is an anomaly.
const test = loadDataset('mnist', { split: 'test', limit: 1000, resize: 14 });
const isAnomalous = Array.from(test.y, (digit) => (digit === 0 ? 0 : 1));

const detector = new AnomalyDetector({ spacing: 8, bondDim: 5, epochs: 3, lr: 1e-2, batchSize: 32, seed: 0 });
detector.fit(normal.X, { onEpoch: (r) => console.log(`epoch ${r.epoch}: loss ${r['loss']?.toFixed(4)}`) });
console.log(`AUC ${detector.auc(test.X, isAnomalous).toFixed(4)} on ${test.y.length} test images`);

// predict() flags scores above a threshold: by default the 95th percentile of the training scores.
const flags = detector.predict(test.X);
let flaggedZeros = 0, flaggedOthers = 0, zeros = 0;
flags.forEach((f, i) => { if (isAnomalous[i]) flaggedOthers += f; else { zeros++; flaggedZeros += f; } });
console.log(`flagged: ${flaggedOthers} of ${test.y.length - zeros} other digits, ${flaggedZeros} of ${zeros} zeros (threshold ${detector.threshold.toFixed(3)})`);

// Saved and loaded, the detector scores identically.
const file = join(mkdtempSync(join(tmpdir(), 'tnkit-example-')), 'zeros.tnk');
detector.save(file);
const scores = detector.scoreSamples(test.X);
const same = AnomalyDetector.load(file).scoreSamples(test.X).every((s, i) => s === scores[i]);
console.log(`saved ${file}; reloaded scores identical: ${same}`);
