import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.js';
import { loadDataset } from '../io/datasets.js';
import { trainValidationTestSplit } from '../ml/data/splits.js';
import { loadModel } from '../ml/model-file.js';
import type { PredictSummary } from './predict.js';
import type { TrainSummary } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'tnkit-predict-'));
const cancer = loadDataset('breast-cancer');
const names = cancer.featureNames;
const f = cancer.X.shape[1]!;
const x = cancer.X.toTypedArray();

/** Writes rows `idx` of breast cancer as a CSV with the given feature columns (by name) and optionally the label. */
function writeCsv(file: string, idx: ArrayLike<number>, columns: string[], withLabel: boolean): string {
  const lines = [[...columns, ...(withLabel ? ['diagnosis'] : [])].join(',')];
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    lines.push([...columns.map((c) => x[i * f + names.indexOf(c)]), ...(withLabel ? [cancer.y[i]] : [])].join(','));
  }
  writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
  return join(dir, file);
}

const all = Int32Array.from({ length: cancer.y.length }, (_, i) => i);
const data = writeCsv('cancer.csv', all, names, true);
// The test part of `tnkit train`'s split (80/20 test, then 80/20 validation, seed 0).
const split = trainValidationTestSplit(cancer.y, { testFraction: 0.2, validationFraction: 0.2, stratify: true, seed: 0 });

describe('tnkit predict', () => {
  it('train --save then predict on the held-out rows gives the accuracy train reported', async () => {
    const model = join(dir, 'm.tnk');
    const trained = await runCli('train', '--data', data, '--target', 'diagnosis', '--bond-dim', '6', '--epochs', '8', '--lr', '1e-2', '--seed', '0', '--save', model, '--json');
    expect(trained.code).toBe(0);
    const t = JSON.parse(trained.stdout) as TrainSummary;
    const test = writeCsv('test.csv', split.test, names, true);
    const out = join(dir, 'pred.csv');
    const r = await runCli('predict', '--model', model, '--data', test, '--target', 'diagnosis', '--out', out, '--json');
    expect(r.stderr).toBe('');
    const p = JSON.parse(r.stdout) as PredictSummary;
    expect(p.kind).toBe('classifier');
    expect(p.rows).toBe(114);
    expect(p.accuracy).toBe(t.test_accuracy);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,predicted,p_0,p_1,label');
    expect(lines.length).toBe(115);
    const first = p.predictions[0] as { predicted: number; probabilities: number[] };
    expect(first.probabilities[0]! + first.probabilities[1]!).toBeCloseTo(1, 12);

    // Columns in another order are matched by name; without --target there is no accuracy.
    const shuffled = [...names].reverse();
    const q = JSON.parse((await runCli('predict', '--model', model, '--data', writeCsv('rev.csv', split.test, shuffled, false), '--json')).stdout) as PredictSummary;
    expect(q.accuracy).toBeUndefined();
    expect(q.predictions.map((row) => (row as { predicted: number }).predicted)).toEqual(p.predictions.map((row) => (row as { predicted: number }).predicted));

    // A missing column is named.
    const bad = await runCli('predict', '--model', model, '--data', writeCsv('less.csv', split.test, names.slice(1), false));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`missing "${names[0]}"`);
    // Without names on either side the count is checked.
    const text = await runCli('predict', '--model', model, '--dataset', 'iris');
    expect(text.stderr).toMatch(/iris: its feature columns differ|4 feature columns, but .* 30 features/);
  });

  it('scores a MNIST test subset with a saved anomaly detector, with the AUC tnkit anomaly reported', async () => {
    const model = join(dir, 'd.tnk');
    const a = await runCli('anomaly', '--normal-class', '1', '--spacing', '4', '--bond-dim', '3', '--epochs', '1', '--train-limit', '24', '--test-limit', '300',
      '--batch-size', '8', '--lr', '1e-2', '--save', model, '--json');
    expect(a.code).toBe(0);
    const auc = (JSON.parse(a.stdout) as { auc: number }).auc;
    const out = join(dir, 'scores.csv');
    const r = await runCli('predict', '--model', model, '--dataset', 'mnist', '--split', 'test', '--limit', '300', '--out', out, '--json');
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as PredictSummary;
    expect(p.kind).toBe('anomaly-detector');
    expect(p.auc).toBe(auc);
    expect(Number.isFinite(p.threshold)).toBe(true);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('row,score,anomalous,label');
  });

  it('string labels (M/B): train maps them to classes in sorted order, the model keeps them, predict prints them; same numbers as 0/1 labels', async () => {
    // Breast cancer's 0 is malignant, 1 benign: named M and B, sorted B < M, so the classes swap.
    const lines = readFileSync(data, 'utf8').trim().split('\n');
    const named = [lines[0], ...lines.slice(1).map((l) => l.replace(/,(\d)$/, (_, c: string) => `,${c === '0' ? 'M' : 'B'}`))].join('\n');
    const swapped = [lines[0], ...lines.slice(1).map((l) => l.replace(/,(\d)$/, (_, c: string) => `,${c === '0' ? 1 : 0}`))].join('\n');
    writeFileSync(join(dir, 'named.csv'), `${named}\n`);
    writeFileSync(join(dir, 'swapped.csv'), `${swapped}\n`);
    const flags = ['--target', 'diagnosis', '--bond-dim', '4', '--epochs', '3', '--lr', '1e-2', '--seed', '0', '--json'];
    const a = await runCli('train', '--data', join(dir, 'named.csv'), '--save', join(dir, 'named.tnk'), ...flags);
    const b = await runCli('train', '--data', join(dir, 'swapped.csv'), '--save', join(dir, 'swapped.tnk'), ...flags);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout.replace(/"seconds_per_epoch":[^,]*/, a.stdout.match(/"seconds_per_epoch":[^,]*/)![0]));
    const meta = loadModel(join(dir, 'named.tnk')).metadata as { tnkit_classifier: { classNames?: string[] } };
    expect(meta.tnkit_classifier.classNames).toEqual(['B', 'M']);
    expect((loadModel(join(dir, 'swapped.tnk')).metadata as { tnkit_classifier: { classNames?: string[] } }).tnkit_classifier.classNames).toBeUndefined();

    const out = join(dir, 'named-pred.csv');
    const p = JSON.parse((await runCli('predict', '--model', join(dir, 'named.tnk'), '--data', join(dir, 'named.csv'), '--target', 'diagnosis', '--out', out, '--json')).stdout) as PredictSummary;
    const q = JSON.parse((await runCli('predict', '--model', join(dir, 'swapped.tnk'), '--data', join(dir, 'swapped.csv'), '--target', 'diagnosis', '--json')).stdout) as PredictSummary;
    expect(p.classes).toEqual(['B', 'M']);
    expect(p.accuracy).toBe(q.accuracy);
    p.predictions.forEach((row, i) => {
      const r = row as { predicted: string; label: string; probabilities: number[] };
      const n = q.predictions[i] as { predicted: number; label: number; probabilities: number[] };
      expect(r.predicted).toBe(['B', 'M'][n.predicted]);
      expect(r.label).toBe(['B', 'M'][n.label]);
      expect(r.probabilities).toEqual(n.probabilities);
    });
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('row,predicted,p_B,p_M,label');
    expect(csv[1]).toMatch(/^0,[BM],[^,]+,[^,]+,[BM]$/);
    // Labels the model does not know, and names scored against a numeric model, are refused naming the cell.
    // A shipped set's classes are matched by name: malignant/benign are not B/M.
    expect((await runCli('predict', '--model', join(dir, 'named.tnk'), '--dataset', 'breast-cancer')).stderr).toMatch(/^tnkit: --dataset breast-cancer: its classes \(malignant, benign\) are not the classes .*named\.tnk was trained on \(B, M\)/);
    writeFileSync(join(dir, 'odd.csv'), `${named.replace(/,B$/m, ',X')}\n`);
    expect((await runCli('predict', '--model', join(dir, 'named.tnk'), '--data', join(dir, 'odd.csv'), '--target', 'diagnosis')).stderr).toMatch(/odd\.csv:\d+:\d+ \(target column "diagnosis"\): label "X" is not one of the model's classes \("B", "M"\)/);
    expect((await runCli('predict', '--model', join(dir, 'swapped.tnk'), '--data', join(dir, 'named.csv'), '--target', 'diagnosis')).stderr).toMatch(/named\.csv:2:\d+ \(target column "diagnosis"\): cannot parse "[BM]" as a number/);
  });

  it('--dataset digits scores the part of the split tnkit train made with the model\'s --seed (accuracy as train reported)', async () => {
    const model = join(dir, 'digits.tnk');
    const t = await runCli('train', '--dataset', 'digits', '--bond-dim', '3', '--epochs', '2', '--lr', '1e-2', '--seed', '5', '--save', model, '--json');
    expect(t.code).toBe(0);
    const s = JSON.parse(t.stdout) as TrainSummary;
    const test = JSON.parse((await runCli('predict', '--model', model, '--dataset', 'digits', '--json')).stdout) as PredictSummary;
    expect(test.rows).toBe(s.samples.test);
    expect(test.accuracy).toBe(s.test_accuracy);
    const train = JSON.parse((await runCli('predict', '--model', model, '--dataset', 'digits', '--split', 'train', '--json')).stdout) as PredictSummary;
    expect(train.rows).toBe(s.samples.train);
    expect(train.accuracy).toBe(s.train_accuracy);
  });

  it('checks flags and paths before any work', async () => {
    expect((await runCli('predict', '--data', data)).stderr).toMatch(/--model: required/);
    expect((await runCli('predict', '--model', join(dir, 'none.tnk'), '--data', data)).stderr).toMatch(/--model: cannot read .*none\.tnk/);
    expect((await runCli('predict', '--model', join(dir, 'm.tnk'), '--data', data, '--out', join(dir, 'no', 'such', 'p.csv'))).stderr).toMatch(/--out .*p\.csv: the folder .*such does not exist/);
    expect((await runCli('predict', '--model', join(dir, 'm.tnk'), '--data', data, '--dataset', 'iris')).stderr).toMatch(/--data and --dataset/);
    // --out over an input is refused (it would overwrite the model or the data).
    expect((await runCli('predict', '--model', join(dir, 'm.tnk'), '--data', data, '--out', join(dir, 'm.tnk'))).stderr).toMatch(/^tnkit: --out .*m\.tnk: is the --model file/);
    expect((await runCli('predict', '--model', join(dir, 'm.tnk'), '--data', data, '--out', data)).stderr).toMatch(/^tnkit: --out .*cancer\.csv: is the --data file/);
    expect(loadModel(join(dir, 'm.tnk')).model.kind).toBe('mps');
    expect((await runCli('train', '--dataset', 'iris', '--save', join(dir, 'missing', 'm.tnk'))).stderr).toMatch(/^tnkit: --save .*m\.tnk: the folder .*missing does not exist/);
  });
});
