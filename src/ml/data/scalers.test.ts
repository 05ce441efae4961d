import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { MinMaxScaler, scalerFromJSON, StandardScaler } from './index.js';

const rng = new Random(3);

function randomMatrix(rows: number, cols: number): Tensor {
  const data = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const centre = 100 * rng.normal();
    const spread = Math.exp(3 * rng.normal());
    for (let i = 0; i < rows; i++) data[i * cols + j] = centre + spread * rng.normal();
  }
  return new Tensor(data, [rows, cols]);
}

function column(x: Tensor, j: number): number[] {
  return Array.from({ length: x.shape[0]! }, (_, i) => x.get(i, j));
}

describe('MinMaxScaler', () => {
  it('maps every fitted feature onto exactly [a, b] and inverts', () => {
    for (let t = 0; t < 10; t++) {
      const x = randomMatrix(2 + rng.int(30), 1 + rng.int(6));
      const range: [number, number] = t % 2 === 0 ? [0, 1] : [-1 - rng.uniform(), 2 + rng.uniform()];
      const s = new MinMaxScaler({ range });
      const y = s.fitTransform(x);
      for (let j = 0; j < x.shape[1]!; j++) {
        const c = column(y, j);
        expect(Math.min(...c)).toBeCloseTo(range[0], 12);
        expect(Math.max(...c)).toBeCloseTo(range[1], 12);
      }
      const back = s.inverseTransform(y);
      back.toTypedArray().forEach((v, i) => expect(v).toBeCloseTo(x.toTypedArray()[i]!, 8));
    }
  });

  it('clips test data outside the fitted range only when asked', () => {
    const train = new Tensor(new Float64Array([0, 10, 4, 20]), [2, 2]);
    const test = new Tensor(new Float64Array([-4, 30]), [1, 2]);
    expect(Array.from(new MinMaxScaler().fit(train).transform(test).toTypedArray())).toEqual([-1, 2]);
    expect(Array.from(new MinMaxScaler({ clip: true }).fit(train).transform(test).toTypedArray())).toEqual([0, 1]);
  });

  it('maps a constant feature to the lower bound', () => {
    const x = new Tensor(new Float64Array([5, 1, 5, 2]), [2, 2]);
    expect(column(new MinMaxScaler({ range: [-1, 1] }).fitTransform(x), 0)).toEqual([-1, -1]);
  });

  it('round-trips through JSON with identical output', () => {
    const x = randomMatrix(20, 4);
    const s = new MinMaxScaler({ range: [-2, 3], clip: true }).fit(x);
    const back = scalerFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(back).toBeInstanceOf(MinMaxScaler);
    expect(back.transform(x).toArray()).toEqual(s.transform(x).toArray());
  });

  it('reports misuse clearly', () => {
    expect(() => new MinMaxScaler().transform(randomMatrix(2, 2))).toThrow(/call fit\(\) before transform/);
    expect(() => new MinMaxScaler({ range: [1, 1] })).toThrow(/finite a < b/);
    const s = new MinMaxScaler().fit(randomMatrix(3, 2));
    expect(() => s.transform(randomMatrix(3, 3))).toThrow(/fitted on 2 features, got 3/);
    expect(() => s.fit(new Tensor(new Float64Array([1, NaN]), [1, 2]))).toThrow(/sample 0, feature 1 is NaN/);
  });
});

describe('StandardScaler', () => {
  it('gives zero mean and unit population std, and inverts', () => {
    for (let t = 0; t < 10; t++) {
      const x = randomMatrix(2 + rng.int(40), 1 + rng.int(5));
      const s = new StandardScaler();
      const y = s.fitTransform(x);
      for (let j = 0; j < x.shape[1]!; j++) {
        const c = column(y, j);
        const mean = c.reduce((a, b) => a + b, 0) / c.length;
        const variance = c.reduce((a, b) => a + (b - mean) ** 2, 0) / c.length;
        expect(mean).toBeCloseTo(0, 10);
        expect(variance).toBeCloseTo(1, 10);
      }
      s.inverseTransform(y).toTypedArray().forEach((v, i) => expect(v).toBeCloseTo(x.toTypedArray()[i]!, 8));
      const back = scalerFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
      expect(back.transform(x).toArray()).toEqual(y.toArray());
    }
  });

  it('only centres a constant feature', () => {
    const x = new Tensor(new Float64Array([3, 1, 3, 2]), [2, 2]);
    expect(column(new StandardScaler().fitTransform(x), 0)).toEqual([0, 0]);
  });
});
