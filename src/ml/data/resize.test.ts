import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { areaWeights, resizeArea } from './resize.js';

const rng = new Random(5);

function randomImages(n: number, h: number, w: number): Tensor {
  return new Tensor(Float64Array.from({ length: n * h * w }, () => rng.uniform()), [n, h, w]);
}

describe('resizeArea', () => {
  it('an integer factor is the plain block mean', () => {
    for (const f of [2, 3, 4]) {
      const x = randomImages(3, 4 * f, 2 * f);
      const y = resizeArea(x, [4, 2]);
      for (let b = 0; b < 3; b++) {
        for (let i = 0; i < 4; i++) {
          for (let j = 0; j < 2; j++) {
            let s = 0;
            for (let r = 0; r < f; r++) for (let c = 0; c < f; c++) s += x.get(b, i * f + r, j * f + c);
            expect(y.get(b, i, j)).toBeCloseTo(s / (f * f), 13);
          }
        }
      }
    }
  });

  it('general sizes: rows of weights sum to one, overlaps are exact, and the image mean is kept', () => {
    for (const [from, to] of [[28, 10], [7, 3], [5, 8], [9, 9]] as const) {
      const w = areaWeights(from, to);
      for (let i = 0; i < to; i++) {
        let s = 0;
        for (let p = 0; p < from; p++) s += w[i * from + p]!;
        expect(s).toBeCloseTo(1, 14);
      }
      const x = randomImages(1, from, from);
      const y = resizeArea(x, to);
      const mean = (t: Tensor): number => Array.from(t.toTypedArray()).reduce((a, b) => a + b, 0) / t.size;
      expect(mean(y)).toBeCloseTo(mean(x), 12);
    }
    // 3 → 2: output 0 covers pixel 0 fully and half of pixel 1 (1.5 pixels).
    expect(Array.from(areaWeights(3, 2))).toEqual([2 / 3, 1 / 3, 0, 0, 1 / 3, 2 / 3]);
    expect(() => resizeArea(randomImages(1, 2, 2), 0)).toThrow(/target size/);
  });
});
