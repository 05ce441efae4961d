import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { breastCancerProtocolSplit, epochBatches, MiniBatchSampler, randomSplit, stratifiedSplit, takeLabels, takeRows, trainValidationTestSplit } from './index.js';

const rng = new Random(11);

function randomLabels(n: number, classes: number): Int32Array {
  // Skewed class sizes so stratification matters.
  return Int32Array.from({ length: n }, () => Math.floor(classes * rng.uniform() ** 2));
}

function counts(y: ArrayLike<number>): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < y.length; i++) m.set(y[i]!, (m.get(y[i]!) ?? 0) + 1);
  return m;
}

function expectPartition(n: number, ...parts: Int32Array[]): void {
  const seen = new Uint8Array(n);
  for (const p of parts) for (const i of p) seen[i]! += 1;
  expect(Array.from(seen).every((c) => c === 1)).toBe(true);
}

describe('stratifiedSplit', () => {
  it('is a disjoint cover, ⌈f·n⌉ test samples, class counts within one of proportional', () => {
    for (let t = 0; t < 20; t++) {
      const n = 20 + rng.int(300);
      const y = randomLabels(n, 2 + rng.int(4));
      const f = 0.1 + 0.6 * rng.uniform();
      const { train, test } = stratifiedSplit(y, { testFraction: f, seed: t });
      expectPartition(n, train, test);
      expect(test.length).toBe(Math.ceil(f * n - 1e-9));
      const all = counts(y);
      const inTest = counts(takeLabels(y, test));
      for (const [c, nc] of all) expect(Math.abs((inTest.get(c) ?? 0) - (test.length * nc) / n)).toBeLessThan(1);
    }
  });

  it('is reproducible by seed and differs between seeds', () => {
    const y = randomLabels(200, 3);
    const a = stratifiedSplit(y, { seed: 5 });
    expect(stratifiedSplit(y, { seed: 5 })).toEqual(a);
    expect(Array.from(stratifiedSplit(y, { seed: 6 }).test)).not.toEqual(Array.from(a.test));
  });

  it('rejects bad fractions and labels', () => {
    expect(() => stratifiedSplit([0, 1, 0], { testFraction: 1 })).toThrow(/testFraction must be in \(0, 1\)/);
    expect(() => stratifiedSplit([0, 1.5, 0])).toThrow(/label 1 is 1\.5/);
    expect(() => randomSplit(10, { testSize: 10 })).toThrow(/testSize must be an integer in \[1, 9\]/);
  });
});

describe('three-way splits', () => {
  it('the tn4ml breast-cancer protocol gives 364 / 91 / 114 with preserved proportions', () => {
    const y = new Int32Array(569);
    y.fill(1, 212); // 212 malignant (0), 357 benign (1)
    for (const seed of [0, 1, 42]) {
      const { train, validation, test } = breastCancerProtocolSplit(y, seed);
      expect([train.length, validation.length, test.length]).toEqual([364, 91, 114]);
      expectPartition(569, train, validation, test);
      for (const part of [train, validation, test]) {
        const zeros = counts(takeLabels(y, part)).get(0) ?? 0;
        expect(Math.abs(zeros - (part.length * 212) / 569)).toBeLessThan(1.5);
      }
    }
    expect(breastCancerProtocolSplit(y, 3)).toEqual(breastCancerProtocolSplit(y, 3));
  });

  it('unstratified three-way split is also a partition', () => {
    const y = randomLabels(100, 2);
    const { train, validation, test } = trainValidationTestSplit(y, { stratify: false, seed: 9, testFraction: 0.3, validationFraction: 0.5 });
    expect([train.length, validation.length, test.length]).toEqual([35, 35, 30]);
    expectPartition(100, train, validation, test);
  });
});

describe('mini-batches', () => {
  it('every epoch covers each sample once, epochs differ, and seeds reproduce', () => {
    const s = new MiniBatchSampler(23, { batchSize: 5, seed: 1 });
    expect(s.batchesPerEpoch).toBe(5);
    const e1 = s.nextEpoch();
    const e2 = s.nextEpoch();
    for (const e of [e1, e2]) {
      expect(e.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
      expectPartition(23, ...e);
    }
    expect(e1.map((b) => Array.from(b))).not.toEqual(e2.map((b) => Array.from(b)));
    const again = new MiniBatchSampler(23, { batchSize: 5, seed: 1 });
    expect(again.nextEpoch()).toEqual(e1);
    expect(again.nextEpoch()).toEqual(e2);
    const dropped = new MiniBatchSampler(23, { batchSize: 5, dropLast: true, shuffle: false }).nextEpoch();
    expect(dropped.map((b) => Array.from(b))).toEqual([0, 1, 2, 3].map((k) => [0, 1, 2, 3, 4].map((i) => 5 * k + i)));
  });

  it('epochBatches gathers the matching rows and labels', () => {
    const x = new Tensor(Float64Array.from({ length: 7 * 3 }, (_, i) => i), [7, 3]);
    const y = Int32Array.from({ length: 7 }, (_, i) => 10 + i);
    for (const batch of epochBatches(x, y, new MiniBatchSampler(7, { batchSize: 3, seed: 4 }))) {
      batch.indices.forEach((r, i) => {
        expect(batch.y![i]).toBe(10 + r);
        for (let j = 0; j < 3; j++) expect(batch.x.get(i, j)).toBe(3 * r + j);
      });
    }
    expect(() => takeRows(x, [7])).toThrow(/index 7 at position 0 is out of range for 7 samples/);
  });
});
