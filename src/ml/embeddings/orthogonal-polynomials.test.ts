import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { hermite, laguerre, legendre } from './index.js';

const rng = new Random(7);

/** Trapezoid-rule Gram matrix ∫ φ_m φ_n dx of an embedding over [a, b]. */
function gram(vec: (x: number) => Float64Array, d: number, a: number, b: number, steps: number): number[][] {
  const g = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const h = (b - a) / steps;
  for (let s = 0; s <= steps; s++) {
    const w = s === 0 || s === steps ? h / 2 : h;
    const v = vec(a + s * h);
    for (let m = 0; m < d; m++) for (let n = 0; n < d; n++) g[m]![n]! += w * v[m]! * v[n]!;
  }
  return g;
}

describe('Legendre', () => {
  it('standard: P_n(1) = 1, P_n(−1) = (−1)^n and the closed forms of P_2, P_3', () => {
    const e = legendre({ degree: 8, normalization: 'standard' });
    expect(Array.from(e.vector(1))).toEqual(new Array(9).fill(1));
    e.vector(-1).forEach((v, n) => expect(v).toBeCloseTo((-1) ** n, 14));
    for (let t = 0; t < 20; t++) {
      const x = 2 * rng.uniform() - 1;
      const v = e.vector(x);
      expect(v[2]).toBeCloseTo((3 * x * x - 1) / 2, 14);
      expect(v[3]).toBeCloseTo((5 * x ** 3 - 3 * x) / 2, 14);
    }
  });

  it('orthonormal: √((2n+1)/2)·P_n, orthonormal on [−1, 1]', () => {
    const e = legendre({ degree: 5 });
    e.vector(1).forEach((v, n) => expect(v).toBeCloseTo(Math.sqrt((2 * n + 1) / 2), 14));
    const g = gram((x) => e.vector(x), 6, -1, 1, 20000);
    g.forEach((row, m) => row.forEach((v, n) => expect(v).toBeCloseTo(m === n ? 1 : 0, 5)));
  });

  it('expects [−1, 1]', () => {
    expect(() => legendre().embed(new Tensor(new Float64Array([0, 1.2]), [1, 2]))).toThrow(/feature 1 of sample 0 is 1\.2, outside the expected input range \[-1, 1\]/);
  });
});

describe('Laguerre · e^(−x/2)', () => {
  it('L_n(0) = 1, closed form of L_2, recurrence, and orthonormality on [0, ∞)', () => {
    const e = laguerre({ degree: 6 });
    expect(Array.from(e.vector(0))).toEqual(new Array(7).fill(1));
    for (let t = 0; t < 20; t++) {
      const x = 10 * rng.uniform();
      const v = e.vector(x);
      const w = Math.exp(-x / 2);
      expect(v[2]! / w).toBeCloseTo((x * x - 4 * x + 2) / 2, 11);
      for (let n = 1; n < 6; n++) expect((n + 1) * v[n + 1]!).toBeCloseTo((2 * n + 1 - x) * v[n]! - n * v[n - 1]!, 11);
    }
    const g = gram((x) => e.vector(x), 7, 0, 120, 60000);
    g.forEach((row, m) => row.forEach((v, n) => expect(v).toBeCloseTo(m === n ? 1 : 0, 5)));
    expect(() => e.vector(-0.5)).toThrow(/outside the expected input range \[0, Infinity\]/);
  });
});

describe('Hermite · e^(−x²/2)', () => {
  it('standard: physicists H_n with the recurrence H_{n+1} = 2x H_n − 2n H_{n−1} and closed forms', () => {
    const e = hermite({ degree: 7, normalization: 'standard' });
    for (let t = 0; t < 20; t++) {
      const x = 6 * rng.uniform() - 3;
      const w = Math.exp(-x * x / 2);
      const H = Array.from(e.vector(x), (v) => v / w);
      expect(H[0]).toBeCloseTo(1, 14);
      expect(H[1]).toBeCloseTo(2 * x, 13);
      expect(H[2]).toBeCloseTo(4 * x * x - 2, 12);
      expect(H[3]).toBeCloseTo(8 * x ** 3 - 12 * x, 11);
      for (let n = 1; n < 7; n++) expect(H[n + 1]! / 1e3).toBeCloseTo((2 * x * H[n]! - 2 * n * H[n - 1]!) / 1e3, 9);
    }
  });

  it('orthonormal: (2^n n! √π)^(−1/2) H_n e^(−x²/2), orthonormal on ℝ', () => {
    const s = hermite({ degree: 10, normalization: 'standard' });
    const o = hermite({ degree: 10 });
    let fact = 1;
    for (let n = 0; n <= 10; n++) {
      if (n > 0) fact *= n;
      const c = 1 / Math.sqrt(2 ** n * fact * Math.sqrt(Math.PI));
      for (let t = 0; t < 5; t++) {
        const x = 8 * rng.uniform() - 4;
        expect(o.vector(x)[n]).toBeCloseTo(c * s.vector(x)[n]!, 12);
      }
    }
    const g = gram((x) => o.vector(x), 11, -14, 14, 40000);
    g.forEach((row, m) => row.forEach((v, n) => expect(v).toBeCloseTo(m === n ? 1 : 0, 8)));
  });
});
