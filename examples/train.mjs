// Train a tensor-network classifier (an MPS over a polynomial embedding of each feature) on
// the shipped breast-cancer data, report its test accuracy and save it for predict.mjs.
//   node examples/train.mjs          (after `npm run build`)
// The CLI does the same: npx tnkit train --dataset breast-cancer --model mps --bond-dim 20 --embedding polynomial:2 --epochs 60 --seed 0
// @ts-check
import { Classifier, loadDataset, trainTestSplit } from 'tnkit';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { X, y, classNames, featureNames } = loadDataset('breast-cancer'); // 569 samples × 30 features
const { XTrain, XTest, yTrain, yTest } = trainTestSplit(X, y, { testFraction: 0.2, seed: 0 });

// 20 % of the training part is held out for early stopping; the best epoch's weights are kept.
const clf = new Classifier({ model: 'mps', bondDim: 20, embedding: 'polynomial:2', epochs: 60, seed: 0 });
clf.fit(XTrain, yTrain, { validation: 0.2, featureNames });
const s = clf.fitSummary;
console.log(`classes: ${classNames.join(', ')}; ${s?.params} parameters`);
console.log(`trained ${s?.epochs} epochs (${s?.stopReason}), best epoch ${s?.bestEpoch}, ${((s?.secondsPerEpoch ?? 0) * 1000).toFixed(0)} ms/epoch`);
const last = clf.history[clf.history.length - 1];
console.log(`last epoch: loss ${last?.['loss']?.toFixed(4)}, validation accuracy ${last?.['val_accuracy']?.toFixed(4)}`);
console.log(`test accuracy ${clf.score(XTest, yTest).toFixed(4)} on ${yTest.length} samples`);

// The model file holds the network, the embedding, the fitted scaler and the history.
const dir = join(tmpdir(), 'tnkit-examples');
mkdirSync(dir, { recursive: true });
clf.save(join(dir, 'breast-cancer.tnk'));
console.log(`saved ${join(dir, 'breast-cancer.tnk')}`);
