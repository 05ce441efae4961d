/**
 * The training worker: an MPS classifier (the `Classifier` estimator, as `tnkit train`
 * uses) on the shipped breast-cancer data set, on the wasm backend; posts every epoch's
 * figures for the live loss curve, then the test accuracy.
 */
import { Classifier, parseCsv, trainTestSplit } from 'tnkit/browser';
import csv from '../data/tabular/breast_cancer_wisconsin_diagnostic.csv?raw';
import type { TrainReply, TrainRequest } from './messages.js';
import { serveRequests } from './worker-requests.js';

const post = (m: TrainReply): void => postMessage(m);

function trainOnce(req: TrainRequest): void {
  const table = parseCsv(csv, { source: 'breast_cancer_wisconsin_diagnostic.csv' });
  // A held-out test part (stratified, 20%), and 20% of the rest for early stopping.
  const split = trainTestSplit(table.X, table.y, { testFraction: 0.2, seed: req.seed });
  const samples = { train: split.yTrain.length, test: split.yTest.length };
  post({ type: 'log', text: `breast cancer: ${table.X.shape[0]} samples × ${table.X.shape[1]} features; ${samples.test} held out for the test` });
  const model = new Classifier({
    model: 'mps', bondDim: req.bondDim, embedding: 'polynomial:2', outputSite: 15, optimizer: 'adam', lr: req.lr,
    batchSize: 32, epochs: req.epochs, patience: 10, seed: req.seed,
  });
  const started = performance.now();
  model.fit(split.XTrain, split.yTrain, {
    validation: 0.2,
    featureNames: table.featureNames,
    onEpoch: (record) => {
      const figures: Record<string, number> = {};
      for (const [k, v] of Object.entries(record)) if (typeof v === 'number' && Number.isFinite(v)) figures[k] = v;
      post({ type: 'epoch', record: figures });
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const summary = model.fitSummary!;
  const testAccuracy = model.score(split.XTest, split.yTest);
  const trainAccuracy = model.score(split.XTrain, split.yTrain);
  post({ type: 'log', text: `${summary.epochs} epochs (${summary.stopReason}, best ${summary.bestEpoch}) in ${seconds.toFixed(1)} s; test accuracy ${(100 * testAccuracy).toFixed(2)}%` });
  post({
    type: 'done', testAccuracy, trainAccuracy, epochs: summary.epochs, seconds,
    samples: { train: summary.samples.train, validation: summary.samples.validation, test: samples.test },
  });
}

serveRequests<TrainRequest>(trainOnce);
