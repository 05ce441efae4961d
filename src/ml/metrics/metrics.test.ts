import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { accuracy, argmaxRows, confusionMatrix, precisionRecallF1, rocAuc } from './index.js';

const rng = new Random(17);

/** AUC by counting all positive/negative pairs: P(score₊ > score₋) + ½ P(tie). */
function bruteForceAuc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] === 1) continue;
      pairs++;
      if (s[i]! > s[j]!) wins += 1;
      else if (s[i] === s[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

describe('rocAuc', () => {
  it('equals the brute-force pair count on random scores with many ties', () => {
    for (let t = 0; t < 50; t++) {
      const n = 2 + rng.int(80);
      const levels = 1 + rng.int(6); // few distinct scores, so ties are common
      const y = Int32Array.from({ length: n }, (_, i) => (i < 2 ? i : rng.uniform() < 0.4 ? 1 : 0));
      const s = Float64Array.from({ length: n }, (_, i) => rng.int(levels) + (y[i] === 1 ? 0.3 * rng.int(2) : 0));
      expect(rocAuc(y, s)).toBeCloseTo(bruteForceAuc(y, s), 14);
    }
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, ½ for constant scores', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.9])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.3, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 1, 0], [5, 5, 5, 5])).toBe(0.5);
    expect(rocAuc([2, 2, 7], [1, 2, 3], { positiveLabel: 7 })).toBe(1);
  });

  it('needs both classes and finite scores', () => {
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(/needs both classes, got 2 positives/);
    expect(() => rocAuc([0, 1], [0.1, NaN])).toThrow(/score 1 is NaN/);
    expect(() => rocAuc([0, 1], [0.1])).toThrow(/2 labels but 1 scores/);
  });
});

describe('classification metrics', () => {
  it('confusion matrix counts pairs; accuracy is its trace over n', () => {
    for (let t = 0; t < 20; t++) {
      const c = 2 + rng.int(4);
      const n = 1 + rng.int(60);
      const yt = Int32Array.from({ length: n }, () => rng.int(c));
      const yp = Int32Array.from({ length: n }, () => rng.int(c));
      const m = confusionMatrix(yt, yp, { numClasses: c });
      expect(m.length).toBe(c);
      for (let a = 0; a < c; a++) {
        for (let b = 0; b < c; b++) {
          let count = 0;
          for (let i = 0; i < n; i++) if (yt[i] === a && yp[i] === b) count++;
          expect(m[a]![b]).toBe(count);
        }
      }
      const trace = m.reduce((s, row, k) => s + row[k]!, 0);
      expect(accuracy(yt, yp)).toBeCloseTo(trace / n, 15);
      // Per-class scores from first principles.
      const report = precisionRecallF1(yt, yp, { numClasses: c });
      for (let k = 0; k < c; k++) {
        let tp = 0;
        let fp = 0;
        let fn = 0;
        for (let i = 0; i < n; i++) {
          if (yp[i] === k && yt[i] === k) tp++;
          else if (yp[i] === k) fp++;
          else if (yt[i] === k) fn++;
        }
        const p = tp + fp === 0 ? 0 : tp / (tp + fp);
        const r = tp + fn === 0 ? 0 : tp / (tp + fn);
        const f1 = p + r === 0 ? 0 : (2 * p * r) / (p + r);
        expect(report.perClass[k]).toEqual({ precision: p, recall: r, f1: expect.closeTo(f1, 14), support: tp + fn });
      }
      expect(report.macro.f1).toBeCloseTo(report.perClass.reduce((s, x) => s + x.f1, 0) / c, 14);
    }
  });

  it('known small case', () => {
    const r = precisionRecallF1([0, 0, 1, 1, 2], [0, 1, 1, 1, 0]);
    expect(r.perClass.map((s) => s.precision)).toEqual([0.5, 2 / 3, 0]);
    expect(r.perClass.map((s) => s.recall)).toEqual([0.5, 1, 0]);
    expect(r.macro.recall).toBeCloseTo(0.5, 15);
    expect(r.accuracy).toBe(0.6);
  });

  it('argmaxRows picks the first largest score; bad input is named', () => {
    const s = new Tensor(new Float64Array([0.1, 0.7, 0.7, 3, -1, 2]), [2, 3]);
    expect(Array.from(argmaxRows(s))).toEqual([1, 0]);
    expect(() => accuracy([0, 1], [0])).toThrow(/2 true labels but 1 predictions/);
    expect(() => confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).toThrow(/label 3 is out of range for numClasses 3/);
    expect(() => accuracy([0, -1], [0, 1])).toThrow(/yTrue\[1\] is -1/);
  });
});
