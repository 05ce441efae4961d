import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor/tensor.js';
import { breastCancerProtocolSplit } from '../ml/data/splits.js';
import { defaultDataDir, loadCsv, loadDataset } from './datasets.js';

function classCounts(y: Int32Array, classes = 10): number[] {
  const c = new Array<number>(classes).fill(0);
  for (const v of y) c[v]! += 1;
  return c;
}

describe('tabular data sets', () => {
  it('breast cancer: 569 × 30, 212 malignant / 357 benign, and the 364/91/114 protocol', () => {
    const d = loadDataset('breast-cancer');
    expect(d.X.shape).toEqual([569, 30]);
    expect(d.featureNames[0]).toBe('mean radius');
    expect(d.featureNames).toHaveLength(30);
    expect(d.classNames).toEqual(['malignant', 'benign']);
    expect(classCounts(d.y, 2)).toEqual([212, 357]);
    expect(d.X.get(0, 0)).toBe(17.99);
    const split = breastCancerProtocolSplit(d.y, 0);
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([364, 91, 114]);
  });

  it('iris 150 × 4 (50 each) and wine 178 × 13 (59/71/48), f32 on request', () => {
    const iris = loadDataset('iris', { dtype: 'f32' });
    expect(iris.X.shape).toEqual([150, 4]);
    expect(iris.X.dtype).toBe('f32');
    expect(classCounts(iris.y, 3)).toEqual([50, 50, 50]);
    const wine = loadDataset('wine');
    expect(wine.X.shape).toEqual([178, 13]);
    expect(classCounts(wine.y, 3)).toEqual([59, 71, 48]);
    expect(wine.featureNames.at(-1)).toBe('proline');
  });

  it('loadCsv names the file, line and column of a bad cell, and a missing target', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-csv-'));
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'x1,x2,target\n1,2,0\n1,oops,1\n');
    expect(() => loadCsv(path)).toThrow(`${path}:3:3 (column "x2"): cannot parse "oops" as a number`);
    expect(() => loadCsv(path, { target: 'label' })).toThrow(`${path}:1: no target column "label"`);
    expect(() => loadCsv(join(dir, 'missing.csv'))).toThrow(/cannot read data file .*missing\.csv/);
  });
});

describe('image data sets', () => {
  it('MNIST test: 10000 × 28 × 28 in [0, 1], labels 0–9 with the documented counts', () => {
    const d = loadDataset('mnist', { split: 'test' });
    expect(d.X.shape).toEqual([10000, 28, 28]);
    expect(classCounts(d.y)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const px = d.X.toTypedArray();
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of px) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
  });

  it('MNIST train: the first 10000 training images; image 0 is the "5" with its known row 5', () => {
    const d = loadDataset('mnist', { scale: false });
    expect(d.X.shape).toEqual([10000, 28, 28]);
    expect(classCounts(d.y)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(d.y[0]).toBe(5);
    const row5 = Array.from({ length: 28 }, (_, c) => d.X.get(0, 5, c)).filter((v) => v > 0);
    expect(row5).toEqual([3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127]);
  });

  it('class filtering, limit, and resize 14 equal to a direct 2×2 mean', () => {
    const full = loadDataset('mnist', { split: 'test', limit: 300 });
    const zeros = loadDataset('mnist', { split: 'test', classes: [0], limit: 50 });
    expect(zeros.X.shape).toEqual([50, 28, 28]);
    expect(Array.from(zeros.y).every((v) => v === 0)).toBe(true);
    // The filtered images are the label-0 images of the unfiltered set, in order.
    const firstZero = Array.from(full.y).indexOf(0);
    expect(zeros.X.slice(0).toArray()).toEqual(full.X.slice(firstZero).toArray());

    const small = loadDataset('mnist', { split: 'test', limit: 300, resize: 14 });
    expect(small.X.shape).toEqual([300, 14, 14]);
    for (let b = 0; b < 300; b += 37) {
      for (let i = 0; i < 14; i++) {
        for (let j = 0; j < 14; j++) {
          const mean = (full.X.get(b, 2 * i, 2 * j) + full.X.get(b, 2 * i + 1, 2 * j) + full.X.get(b, 2 * i, 2 * j + 1) + full.X.get(b, 2 * i + 1, 2 * j + 1)) / 4;
          expect(small.X.get(b, i, j)).toBeCloseTo(mean, 14);
        }
      }
    }
    expect(() => loadDataset('mnist', { classes: [10] })).toThrow(/class 10 is not a digit/);
  });

  it('digits: 1797 × 8 × 8 scaled by 1/16, with the documented counts', () => {
    const d = loadDataset('digits');
    expect(d.X.shape).toEqual([1797, 8, 8]);
    expect(classCounts(d.y)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(Array.from(d.X.toTypedArray()).reduce((a, b) => Math.max(a, b), 0)).toBe(1);
    expect(() => loadDataset('digits', { split: 'test' })).toThrow(/no test part/);
  });

  it('paths resolve from the package root; unknown names and missing folders are named', () => {
    expect(defaultDataDir()).toMatch(/data[\\/]$/);
    expect(() => loadDataset('cifar' as 'iris')).toThrow(/unknown data set 'cifar'/);
    expect(() => loadDataset('digits', { dataDir: '/nonexistent' })).toThrow(/cannot read data file \/nonexistent/);
    expect(loadDataset('iris').X).toBeInstanceOf(Tensor);
  });
});
