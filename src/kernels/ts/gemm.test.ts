import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import { gemmTs } from './gemm.js';

type Ctor = Float64ArrayConstructor | Float32ArrayConstructor;

function randomArray(ctor: Ctor, size: number, rng: Random): FloatArray {
  const x = new ctor(size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

/**
 * Checks gemmTs against a naive triple loop in double precision, with an error bound
 * scaled by Σ|alpha·a·b| + |beta·c| (k roundings in f64, plus one f32 rounding of the
 * result for f32).
 */
function checkAgainstNaive(
  ctor: Ctor, transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, beta: number, rng: Random,
): void {
  const a = randomArray(ctor, m * k, rng);
  const b = randomArray(ctor, k * n, rng);
  const c0 = randomArray(ctor, m * n, rng);
  if (beta === 0) c0.fill(Number.NaN); // beta = 0 must not read C
  const c = c0.slice();
  gemmTs(transA, transB, m, n, k, alpha, a, b, beta, c);
  const eps = ctor === Float32Array ? 2 ** -23 : 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i]! : a[i * k + p]!;
        const bv = transB ? b[j * k + p]! : b[p * n + j]!;
        sum += av * bv;
        mag += Math.abs(av * bv);
      }
      const old = beta === 0 ? 0 : beta * c0[i * n + j]!;
      const expected = alpha * sum + old;
      const bound = Math.abs(alpha) * mag + Math.abs(old);
      const tol = bound * (4 * eps + (k + 4) * 2 ** -52) + 1e-300;
      const got = c[i * n + j]!;
      if (!(Math.abs(got - expected) <= tol)) {
        throw new Error(
          `${ctor.name} transA=${transA} transB=${transB} m=${m} n=${n} k=${k} alpha=${alpha} beta=${beta}: ` +
          `C[${i}, ${j}] = ${got}, expected ${expected} (tolerance ${tol})`,
        );
      }
    }
  }
}

const CTORS: Ctor[] = [Float64Array, Float32Array];
const SCALARS = [0, 1, -1, 0.5, 2.25];

describe('gemmTs', () => {
  it('matches a naive triple loop on random small shapes, transposes, alpha and beta', () => {
    const rng = new Random(1);
    for (let trial = 0; trial < 400; trial++) {
      const ctor = CTORS[trial % 2]!;
      const m = rng.int(12), n = rng.int(12), k = rng.int(12);
      checkAgainstNaive(ctor, rng.int(2) === 1, rng.int(2) === 1, m, n, k, SCALARS[rng.int(5)]!, SCALARS[rng.int(5)]!, rng);
    }
  });

  it('matches a naive triple loop on shapes that cross the packing and cache blocks', () => {
    const rng = new Random(2);
    for (let trial = 0; trial < 40; trial++) {
      const ctor = CTORS[trial % 2]!;
      // Up to 300 crosses KC = 256 and MC = 144 and leaves ragged micro-tiles.
      const m = 1 + rng.int(300), n = 1 + rng.int(120), k = 1 + rng.int(300);
      checkAgainstNaive(ctor, rng.int(2) === 1, rng.int(2) === 1, m, n, k, SCALARS[1 + rng.int(4)]!, SCALARS[rng.int(5)]!, rng);
    }
  });

  it('handles a product wider than one packed B panel (n > NC)', () => {
    const rng = new Random(3);
    for (const ctor of CTORS) {
      checkAgainstNaive(ctor, false, true, 5, 1031, 37, 1.5, 0.5, rng);
      checkAgainstNaive(ctor, true, false, 4, 1030, 260, -1, 0, rng);
    }
  });

  it('handles empty dimensions: k = 0 scales C by beta, m = 0 or n = 0 touch nothing', () => {
    for (const ctor of CTORS) {
      const c = new ctor([1, 2, 3, 4, 5, 6]);
      gemmTs(false, false, 2, 3, 0, 1, new ctor(0), new ctor(0), 2, c);
      expect(Array.from(c)).toEqual([2, 4, 6, 8, 10, 12]);
      const nan = new ctor([Number.NaN, Number.NaN]);
      gemmTs(false, false, 1, 2, 0, 1, new ctor(0), new ctor(0), 0, nan);
      expect(Array.from(nan)).toEqual([0, 0]);
      const untouched = new ctor([7, 8]);
      gemmTs(false, false, 0, 2, 3, 1, new ctor(0), new ctor(6), 0, untouched);
      gemmTs(false, false, 2, 0, 3, 1, new ctor(6), new ctor(0), 0, untouched);
      expect(Array.from(untouched)).toEqual([7, 8]);
    }
  });

  it('works on subarray views and leaves elements past m·n alone', () => {
    const rng = new Random(4);
    for (const ctor of CTORS) {
      const m = 37, n = 29, k = 41;
      const aBig = randomArray(ctor, m * k + 5, rng);
      const bBig = randomArray(ctor, k * n + 3, rng);
      const a = aBig.subarray(5), b = bBig.subarray(3);
      const cBig = new ctor(m * n + 10).fill(9);
      const c = cBig.subarray(4, 4 + m * n);
      gemmTs(false, false, m, n, k, 1, a, b, 0, c);
      expect(Array.from(cBig.subarray(0, 4))).toEqual([9, 9, 9, 9]);
      expect(Array.from(cBig.subarray(4 + m * n))).toEqual(Array(6).fill(9));
      const expected = new ctor(m * n);
      gemmTs(false, false, m, n, k, 1, a.slice(), b.slice(), 0, expected);
      expect(Array.from(c)).toEqual(Array.from(expected));
    }
  });

  it('gives exact results on small integers (no stale scratch between calls of different sizes)', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 30; trial++) {
      const ctor = CTORS[rng.int(2)]!;
      const m = 1 + rng.int(200), n = 1 + rng.int(60), k = 1 + rng.int(300);
      const a = new ctor(m * k).map(() => rng.int(7) - 3);
      const b = new ctor(k * n).map(() => rng.int(7) - 3);
      const c = new ctor(m * n);
      gemmTs(false, false, m, n, k, 1, a, b, 0, c);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
          if (c[i * n + j] !== s) throw new Error(`m=${m} n=${n} k=${k}: C[${i}, ${j}] = ${c[i * n + j]}, expected ${s}`);
        }
      }
    }
  });
});
