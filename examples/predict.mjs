// Load the classifier train.mjs saved and use it on samples it has not seen: class
// predictions, class probabilities and the accuracy.
//   node examples/train.mjs && node examples/predict.mjs      (after `npm run build`)
// The CLI: npx tnkit predict --model MODEL.tnk --data FILE.csv [--target COL] [--out predictions.csv]
// @ts-check
import { Classifier, loadDataset, trainTestSplit } from 'tnkit';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = join(tmpdir(), 'tnkit-examples', 'breast-cancer.tnk');
if (!existsSync(file)) throw new Error(`${file} does not exist: run examples/train.mjs first`);
const clf = Classifier.load(file); // network, embedding, scaler and settings

// The same split as train.mjs (same seed): the test part was never seen in training.
const { X, y, classNames } = loadDataset('breast-cancer');
const { XTest, yTest } = trainTestSplit(X, y, { testFraction: 0.2, seed: 0 });

const predicted = clf.predict(XTest);          // class index per row
const proba = clf.predictProba(XTest);         // [rows, classes], rows sum to 1
for (let i = 0; i < 3; i++) {
  const p = proba.get(i, predicted[i] ?? 0);
  console.log(`sample ${i}: predicted ${classNames[predicted[i] ?? 0]} (p = ${p.toFixed(3)}), true ${classNames[yTest[i] ?? 0]}`);
}
let hits = 0;
predicted.forEach((c, i) => { if (c === yTest[i]) hits++; });
console.log(`accuracy ${(hits / yTest.length).toFixed(4)} (${hits} of ${yTest.length}); score() says ${clf.score(XTest, yTest).toFixed(4)}`);
