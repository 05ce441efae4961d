import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../io/datasets.js';
import { takeRows } from '../ml/data/matrix.js';
import { MinMaxScaler } from '../ml/data/min-max-scaler.js';
import { stratifiedSplit } from '../ml/data/splits.js';
import { decodeModel, encodeModel } from '../ml/model-file.js';
import { Classifier } from './classifier.js';
import { EstimatorOptionError } from './option-error.js';
import { trainTestSplit } from './train-test-split.js';

const cancer = loadDataset('breast-cancer');
const iris = loadDataset('iris');

describe('Classifier', () => {
  const split = trainTestSplit(cancer.X, cancer.y, { testFraction: 0.2, seed: 0 });
  const epochs: number[] = [];
  const clf = new Classifier({ bondDim: 6, epochs: 12, lr: 1e-2, seed: 0 })
    .fit(split.XTrain, split.yTrain, { validation: 0.2, onEpoch: (r) => epochs.push(r.epoch) });

  it('fits breast cancer to ≥ 90 % test accuracy, scaling with the training part only', () => {
    expect(clf.score(split.XTest, split.yTest)).toBeGreaterThanOrEqual(0.9);
    expect(clf.classes).toBe(2);
    expect(clf.features).toBe(30);
    expect(clf.history.map((r) => r.epoch)).toEqual(epochs);
    expect(clf.history[0]!['val_accuracy']).toBeDefined();
    expect(clf.fitSummary?.samples).toEqual({ train: 364, validation: 91 });
    // The scaler saw the 364 training rows only (not the validation or test rows).
    expect(clf.scaler).toBeInstanceOf(MinMaxScaler);
    const part = stratifiedSplit(split.yTrain, { testFraction: 0.2, seed: 0 }).train;
    const fitted = clf.scaler as MinMaxScaler;
    const trainOnly = new MinMaxScaler().fit(takeRows(split.XTrain, part));
    expect([...fitted.min, ...fitted.max]).toEqual([...trainOnly.min, ...trainOnly.max]);
    // Given validation rows far outside the training range leave the scaler alone.
    const small = new Classifier({ bondDim: 2, epochs: 1 }).fit([[0, 1], [1, 0], [0.5, 2], [2, 0.5]], [0, 1, 0, 1], { validation: { X: [[100, -100], [-50, 50]], y: [0, 1] } });
    expect([...(small.scaler as MinMaxScaler).min, ...(small.scaler as MinMaxScaler).max]).toEqual([0, 0, 2, 2]);
  });

  it('predicts classes that agree with predictProba, whose rows sum to 1', () => {
    const pred = clf.predict(split.XTest);
    const proba = clf.predictProba(split.XTest);
    expect(proba.shape).toEqual([split.yTest.length, 2]);
    const p = proba.toTypedArray();
    fc.assert(fc.property(fc.integer({ min: 0, max: split.yTest.length - 1 }), (i) => {
      expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 12);
      expect(p[2 * i]! >= 0 && p[2 * i + 1]! >= 0).toBe(true);
      expect(pred[i]).toBe(p[2 * i + 1]! > p[2 * i]! ? 1 : 0);
    }));
  });

  it('save / load and toBytes / fromBytes give identical predictions and probabilities', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-classifier-'));
    clf.metadata = { dataset: 'breast-cancer' };
    clf.save(join(dir, 'c.tnk'));
    const back = Classifier.load(join(dir, 'c.tnk'));
    expect(Array.from(back.predict(split.XTest))).toEqual(Array.from(clf.predict(split.XTest)));
    expect(Array.from(back.predictProba(split.XTest).toTypedArray())).toEqual(Array.from(clf.predictProba(split.XTest).toTypedArray()));
    expect(back.history).toEqual(clf.history);
    expect(back.options.bondDim).toBe(6);
    expect(back.metadata).toEqual({ dataset: 'breast-cancer' });
    const again = Classifier.fromBytes(clf.toBytes());
    expect(again.score(split.XTest, split.yTest)).toBe(clf.score(split.XTest, split.yTest));
    // A file as `tnkit train --save` wrote before the estimators (no tnkit_classifier block) loads too.
    const legacy = Classifier.fromBytes(encodeModel({ model: clf.model, embedding: clf.embedding, scaler: clf.scaler!, history: clf.history, metadata: { command: 'tnkit train' } }));
    expect(legacy.features).toBe(30);
    expect(legacy.classes).toBe(2);
    expect(Array.from(legacy.predict(split.XTest))).toEqual(Array.from(clf.predict(split.XTest)));
    expect(() => Classifier.fromBytes(encodeModel({ model: clf.model }), 'x.tnk')).toThrow(/x\.tnk: holds no embedding/);
  });

  it('fits iris (3 classes) from rows of numbers, by gradient and by sweeps', () => {
    const s = trainTestSplit(iris.X, iris.y, { testFraction: 0.2, seed: 1 });
    const rows = (t: typeof s.XTrain): number[][] => Array.from({ length: t.shape[0]! }, (_, i) => Array.from(t.slice([i, i + 1]).toTypedArray()));
    const grad = new Classifier({ bondDim: 4, epochs: 40, lr: 2e-2, batchSize: 16, seed: 1, embedding: 'legendre:2' }).fit(rows(s.XTrain), Array.from(s.yTrain), { validation: 0.2 });
    expect(grad.classes).toBe(3);
    expect(grad.score(rows(s.XTest), Array.from(s.yTest))).toBeGreaterThanOrEqual(0.8);
    expect(grad.predictProba(s.XTest).shape).toEqual([30, 3]);
    const sweep = new Classifier({ trainer: 'sweep', bondDim: 4, epochs: 3, lr: 1e-2, batchSize: 16, seed: 1 }).fit(s.XTrain, s.yTrain, { validation: { X: s.XTest, y: s.yTest }, });
    expect(sweep.history.length).toBe(sweep.fitSummary!.epochs);
    // The kept weights are the best sweep's by val_loss.
    const best = Math.min(...sweep.history.map((r) => r['val_loss']!));
    expect(sweep.history[sweep.fitSummary!.bestEpoch - 1]!['val_loss']).toBe(best);
  });

  it('rejects bad input with a clear error before training starts', () => {
    let trained = 0;
    const onEpoch = (): void => void trained++;
    const fit = (X: Parameters<Classifier['fit']>[0], y: ArrayLike<number>, options = {}): void => void new Classifier({ epochs: 1 }).fit(X, y, { onEpoch, ...options });
    expect(() => new Classifier({ model: 'cnn' as 'mps' })).toThrow(/^Classifier: model: 'cnn' is not one of mps, tree, mpo, peps$/);
    expect(() => new Classifier({ embedding: 'wavelet:2' })).toThrow(/Classifier: embedding: 'wavelet:2' is not one of polynomial:D/);
    expect(() => new Classifier({ embedding: 'polynomial:x' })).toThrow(/embedding: 'polynomial:x': 'x' is not a positive integer/);
    expect(() => new Classifier({ bondDim: 0 })).toThrow(/bondDim: expected an integer ≥ 1, got 0/);
    expect(() => new Classifier({ trainer: 'sweep', model: 'tree' })).toThrow(/trainer: sweep: only model 'mps'/);
    expect(() => new Classifier({ bond_dim: 3 } as never)).toThrow(/bond_dim: unknown option/);
    expect(() => fit([[1, 2], [3]], [0, 1])).toThrow(/X: row 1 has 1 features, row 0 has 2/);
    expect(() => fit(cancer.X, cancer.y.slice(1))).toThrow(/y: 568 labels for 569 samples/);
    expect(() => fit([[1, 2], [3, 4]], [0, 0])).toThrow(/y: the labels hold fewer than two classes/);
    expect(() => fit([[1, 2], [3, NaN]], [0, 1])).toThrow(/X: row 1, feature 1 is NaN/);
    expect(() => fit([[1, 2], [3, 4]], [0, 1.5])).toThrow(/y: label 1 is 1.5/);
    expect(() => fit(cancer.X, cancer.y, { validation: 1.5 })).toThrow(/validation: a fraction must be in \(0, 1\)/);
    expect(() => fit(cancer.X, cancer.y, { validation: { X: iris.X, y: iris.y } })).toThrow(/validation.X: has 4 features, X has 30/);
    expect(() => new Classifier({ monitor: 'val_accuracy' }).fit(cancer.X, cancer.y)).toThrow(/monitor: 'val_accuracy' needs validation data/);
    expect(() => new Classifier({ model: 'peps' }).fit(cancer.X, cancer.y)).toThrow(/model: peps needs images/);
    expect(() => new Classifier({ outputSite: 40 }).fit(cancer.X, cancer.y)).toThrow(/outputSite: 40 is not a site/);
    expect(trained).toBe(0);
    expect(() => clf.predict(iris.X)).toThrow(/X: has 4 features, the classifier was trained on 30/);
    expect(() => new Classifier().predict(iris.X)).toThrow(/call fit\(\)/);
    expect(() => new Classifier({ lr: -1 })).toThrow(EstimatorOptionError);
  });
});

describe('Classifier checkpoints', () => {
  it('a run resumed from a checkpoint file ends where an uninterrupted run does', () => {
    const s = trainTestSplit(iris.X, iris.y, { testFraction: 0.2, seed: 3 });
    const options = { bondDim: 3, epochs: 4, lr: 1e-2, batchSize: 16, seed: 3, patience: 0 } as const;
    const full = new Classifier(options).fit(s.XTrain, s.yTrain, { validation: 0.2 });
    let saved: Uint8Array | undefined;
    let epochsSeen = 0;
    new Classifier({ ...options, epochs: 2 }).fit(s.XTrain, s.yTrain, { validation: 0.2, checkpoint: { every: 2, onCheckpoint: (bytes, cp) => { saved = bytes; epochsSeen = cp.epoch; } } });
    expect(epochsSeen).toBe(2);
    const checkpoint = decodeModel(saved!).checkpoint!;
    const resumed = new Classifier(options).fit(s.XTrain, s.yTrain, { validation: 0.2, resume: checkpoint });
    expect(resumed.history.map((r) => r['loss'])).toEqual(full.history.map((r) => r['loss']));
    expect(Array.from(resumed.predictProba(s.XTest).toTypedArray())).toEqual(Array.from(full.predictProba(s.XTest).toTypedArray()));
    expect(() => new Classifier({ ...options, trainer: 'sweep' }).fit(s.XTrain, s.yTrain, { resume: checkpoint })).toThrow(/trainer: sweep: resume is not supported/);
  });
});

describe('Classifier resume checks', () => {
  const s = trainTestSplit(iris.X, iris.y, { testFraction: 0.2, seed: 1 });
  const options = { bondDim: 3, epochs: 3, lr: 1e-2, batchSize: 16, seed: 1, patience: 0 } as const;
  let saved: Uint8Array | undefined;
  new Classifier(options).fit(s.XTrain, s.yTrain, { validation: 0.2, checkpoint: { every: 3, onCheckpoint: (bytes) => { saved = bytes; } } });
  const checkpoint = decodeModel(saved!).checkpoint!;

  it('records the inputs in the checkpoint file: settings and a sha256 of the training data', () => {
    expect(checkpoint.inputs?.settings).toMatchObject({ model: 'mps', bondDim: 3, features: 4, classes: 3, seed: 1, lr: 1e-2, batchSize: 16 });
    expect(checkpoint.inputs?.dataSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses, before any epoch, a resume with other settings or data, naming each difference with both values', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ bondDim: 4 }, /bondDim 3 \(this run: 4\)/],
      [{ embedding: 'trigonometric:1' }, /embedding \{"type":"polynomial".*\(this run: \{"type":"trigonometric","k":1\}\)/],
      [{ model: 'tree' }, /model mps \(this run: tree\)/],
      [{ lr: 0.1 }, /lr 0\.01 \(this run: 0\.1\)/],
      [{ dtype: 'f32' }, /dtype f64 \(this run: f32\)/],
    ];
    for (const [change, message] of cases) {
      let epochs = 0;
      expect(() => new Classifier({ ...options, epochs: 6, ...change }).fit(s.XTrain, s.yTrain, { validation: 0.2, resume: checkpoint, onEpoch: () => epochs++ }))
        .toThrow(message);
      expect(epochs).toBe(0);
    }
    // Other rows (same shapes): only the data hash tells.
    const other = trainTestSplit(iris.X, iris.y, { testFraction: 0.2, seed: 2 });
    expect(() => new Classifier({ ...options, epochs: 6 }).fit(other.XTrain, other.yTrain, { validation: 0.2, resume: checkpoint }))
      .toThrow(/resume: the checkpoint was made with other inputs: training data sha256 [0-9a-f]{12}… \(this run: [0-9a-f]{12}…\)/);
    // Wine has 13 features: the feature count is named.
    const wine = loadDataset('wine');
    expect(() => new Classifier({ ...options, epochs: 6 }).fit(wine.X, wine.y, { validation: 0.2, resume: checkpoint })).toThrow(/features 4 \(this run: 13\)/);
  });

  it('refuses a checkpoint already at or past the epochs, and one whose early stopping had fired', () => {
    expect(() => new Classifier({ ...options, epochs: 3 }).fit(s.XTrain, s.yTrain, { validation: 0.2, resume: checkpoint }))
      .toThrow(/epochs: the checkpoint is at epoch 3, already at or past epochs 3: give epochs greater than 3/);
    const stopped = { ...checkpoint, wait: 2 };
    expect(() => new Classifier({ ...options, epochs: 6, patience: 2 }).fit(s.XTrain, s.yTrain, { validation: 0.2, resume: stopped }))
      .toThrow(/patience: the checkpoint had already stopped early \(no improvement for 2 epochs, patience 2\)/);
  });

  it('checks an older checkpoint without recorded inputs by its cores\' shapes', () => {
    const { inputs: _inputs, ...old } = checkpoint;
    expect(() => new Classifier({ ...options, epochs: 6, bondDim: 4 }).fit(s.XTrain, s.yTrain, { validation: 0.2, resume: old }))
      .toThrow(/resume: core 1 has shape \[3, 3, 3\] in the checkpoint, \[3, 3, 4\] in this model/);
    // The same inputs resume as before.
    expect(new Classifier({ ...options, epochs: 4 }).fit(s.XTrain, s.yTrain, { validation: 0.2, resume: old }).history.length).toBe(4);
  });
});

describe('Classifier with string labels', () => {
  const names = ['setosa', 'versicolor', 'virginica'];
  const s = trainTestSplit(iris.X, iris.y, { testFraction: 0.2, seed: 0 });
  const options = { bondDim: 3, epochs: 6, lr: 1e-2, batchSize: 16, seed: 0, patience: 0 } as const;

  it('numbers classes in sorted order of the names and gives the same model as the matching integer labels', () => {
    // Names chosen so their sorted order is a shuffle of the class numbers: class k is named perm-wise.
    fc.assert(fc.property(fc.constantFrom([0, 1, 2], [2, 0, 1], [1, 2, 0]), (perm) => {
      const named = ['b', 'c', 'a'].map((_, k) => ['a', 'b', 'c'][perm[k]!]!);
      const yNames = Array.from(s.yTrain, (c) => named[c]!);
      const clf = new Classifier(options).fit(s.XTrain, yNames, { validation: 0.2 });
      expect(clf.classNames).toEqual(['a', 'b', 'c']);
      const byNumber = new Classifier(options).fit(s.XTrain, Int32Array.from(s.yTrain, (c) => perm[c]!), { validation: 0.2 });
      expect(Array.from(clf.predict(s.XTest))).toEqual(Array.from(byNumber.predict(s.XTest)));
      expect(clf.predictLabels(s.XTest)).toEqual(Array.from(byNumber.predict(s.XTest), (k) => ['a', 'b', 'c'][k]));
      expect(clf.score(s.XTest, Array.from(s.yTest, (c) => named[c]!))).toBe(byNumber.score(s.XTest, Int32Array.from(s.yTest, (c) => perm[c]!)));
    }), { numRuns: 3 });
  });

  it('saves the names in the model file; files without them load as numeric classifiers', () => {
    const clf = new Classifier(options).fit(s.XTrain, Array.from(s.yTrain, (c) => names[c]!));
    const back = Classifier.fromBytes(clf.toBytes());
    expect(back.classNames).toEqual(names);
    expect(back.predictLabels(s.XTest)).toEqual(clf.predictLabels(s.XTest));
    const numeric = Classifier.fromBytes(new Classifier(options).fit(s.XTrain, s.yTrain).toBytes());
    expect(numeric.classNames).toBeUndefined();
    expect(numeric.predictLabels(s.XTest.slice([0, 2]).contiguous())).toEqual(Array.from(numeric.predict(s.XTest.slice([0, 2]).contiguous()), String));
    expect(() => clf.score(s.XTest, Array.from(s.yTest, () => 'rose'))).toThrow(/y: label 0 is "rose", not one of the classes \("setosa", "versicolor", "virginica"\)/);
    expect(() => numeric.score(s.XTest, Array.from(s.yTest, () => 'rose'))).toThrow(/string labels, but the classifier was trained on integer labels/);
    expect(() => new Classifier(options).fit(s.XTrain, ['a', 1, ...Array.from(s.yTrain.slice(2), String)] as unknown as string[])).toThrow(/y: label 1 is 1; give every label as a non-empty string/);
  });
});

describe('trainTestSplit', () => {
  it('splits into disjoint parts of the requested size, keeping class proportions, reproducibly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0.1, max: 0.5, noNaN: true }), (seed, f) => {
      const a = trainTestSplit(iris.X, iris.y, { testFraction: f, seed });
      const b = trainTestSplit(iris.X, iris.y, { testFraction: f, seed });
      expect(a.yTest.length).toBe(Math.ceil(f * 150 - 1e-9));
      expect(a.XTrain.shape[0]! + a.XTest.shape[0]!).toBe(150);
      expect(Array.from(a.yTest)).toEqual(Array.from(b.yTest));
      for (let c = 0; c < 3; c++) {
        const inTest = a.yTest.filter((v) => v === c).length;
        expect(Math.abs(inTest - a.yTest.length / 3)).toBeLessThanOrEqual(1);
      }
      // Every row appears once: the feature sums add up.
      const sum = (t: typeof a.XTrain): number => { let s = 0; for (const v of t.toTypedArray()) s += v; return s; };
      expect(sum(a.XTrain) + sum(a.XTest)).toBeCloseTo(sum(iris.X), 8);
    }), { numRuns: 25 });
    expect(() => trainTestSplit(iris.X, iris.y.slice(3))).toThrow(/trainTestSplit: y: 147 labels for 150 samples/);
    expect(() => trainTestSplit(iris.X, iris.y, { testFraction: 1 })).toThrow(/testFraction: must be in \(0, 1\)/);
  });
});
