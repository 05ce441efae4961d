import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { matmul } from './matmul.js';

/** op(A)·op(B) by the definition, in f64. */
function reference(a: Tensor, b: Tensor, transA: boolean, transB: boolean): number[] {
  const A = transA ? a.T : a;
  const B = transB ? b.T : b;
  const [m, k] = A.shape as [number, number];
  const n = B.shape[1]!;
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A.get(i, p) * B.get(p, j);
      out.push(s);
    }
  }
  return out;
}

for (const backend of availableBackends()) {
  describe(`matmul on the ${backend} backend`, () => {
    const run = <T>(fn: () => T): T => withBackend(backend, fn);

    it('matches the definition for every transpose combination, views and dtypes', () => run(() => {
      const rng = new Random(61);
      for (let t = 0; t < 40; t++) {
        const [m, n, k] = [1 + rng.int(20), 1 + rng.int(20), 1 + rng.int(20)];
        const transA = t % 2 === 1;
        const transB = t % 4 >= 2;
        const dtype = t % 8 >= 4 ? 'f32' : 'f64';
        const make = (r: number, c: number, asView: boolean): Tensor => {
          const data = Float64Array.from({ length: r * c }, () => rng.normal());
          // A transposed view exercises the no-copy path.
          return asView ? new Tensor(data, [c, r]).astype(dtype).T : new Tensor(data, [r, c]).astype(dtype);
        };
        const a = transA ? make(k, m, t % 3 === 0) : make(m, k, t % 3 === 0);
        const b = transB ? make(n, k, t % 5 === 0) : make(k, n, t % 5 === 0);
        const got = matmul(a, b, { transA, transB });
        expect(got.shape).toEqual([m, n]);
        expect(got.dtype).toBe(dtype);
        const want = reference(a, b, transA, transB);
        const tol = dtype === 'f64' ? 1e-12 : 1e-4;
        for (let i = 0; i < want.length; i++) expect(Math.abs(got.data[i]! - want[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!)));
      }
    }));

    it('names mismatched shapes and non-matrices', () => run(() => {
      const a = new Tensor(new Float64Array(6), [2, 3]);
      expect(() => matmul(a, a)).toThrow(/op\(A\) is 2×3 and op\(B\) is 2×3/);
      expect(matmul(a, a, { transB: true }).shape).toEqual([2, 2]);
      expect(() => matmul(new Tensor(new Float64Array(3), [3]), a)).toThrow(/A must be a 2-D matrix, got shape \[3\]/);
    }));
  });
}
