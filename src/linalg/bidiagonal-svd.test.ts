import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { bidiagonalSvd } from './bidiagonal-svd.js';
import { identity } from './dense.js';
import { orthogonalityError } from '../../test/helpers/linalg-matrices.js';

describe('bidiagonalSvd (the TypeScript bidiagonal QR)', () => {
  it('diagonalizes random and strongly graded bidiagonals with high relative accuracy', () => {
    const rng = new Random(71);
    for (let t = 0; t < 40; t++) {
      const n = 1 + rng.int(60);
      // Half the cases are graded over up to 200 orders of magnitude, where only a
      // relatively accurate method gets the tiny values right.
      const grade = t % 2 === 0 ? 0 : 1 + rng.int(3);
      const d = Float64Array.from({ length: n }, (_, i) => (0.5 + rng.uniform()) * 10 ** (-grade * i) * (rng.uniform() < 0.5 ? -1 : 1));
      const e = Float64Array.from({ length: n - 1 }, (_, i) => rng.normal() * 10 ** (-grade * (i + 0.5)));
      const B = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        B[i * n + i] = d[i]!;
        if (i + 1 < n) B[i * n + i + 1] = e[i]!;
      }
      const logDet = d.reduce((s, x) => s + Math.log(Math.abs(x)), 0);
      const ut = identity(n);
      const vt = identity(n);
      const s = Float64Array.from(d);
      bidiagonalSvd(s, Float64Array.from(e), ut, n, vt, n);
      // |det B| = Π|d_i| = Π σ_i: a relative check that reaches the smallest values.
      const logProduct = s.reduce((acc, x) => acc + Math.log(x), 0);
      expect(Math.abs(logProduct - logDet)).toBeLessThan(1e-12 * n);
      for (let i = 1; i < n; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]!);
      // J·Bᵀ·J (d and e reversed) has the same singular values but is reduced along a
      // different path: both runs must agree to relative accuracy, down to the tiniest value.
      const reversed = Float64Array.from(d).reverse();
      bidiagonalSvd(reversed, Float64Array.from(e).reverse(), identity(n), n, identity(n), n);
      for (let i = 0; i < n; i++) expect(Math.abs(reversed[i]! - s[i]!)).toBeLessThanOrEqual(1e-12 * n * s[i]!);
      expect(orthogonalityError(ut, n, n)).toBeLessThan(1e-13 * n);
      expect(orthogonalityError(vt, n, n)).toBeLessThan(1e-13 * n);
      // B = Utᵀ·diag(s)·Vt entrywise, relative to the entry scale of each row.
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let x = 0;
          for (let p = 0; p < n; p++) x += ut[p * n + i]! * s[p]! * vt[p * n + j]!;
          expect(Math.abs(x - B[i * n + j]!)).toBeLessThan(1e-13 * n * s[0]!);
        }
      }
    }
  });
});
