import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { eigh } from './eigh.js';
import { qr } from './qr.js';
import { randomizedSvd } from './randomized-svd.js';
import { svd } from './svd.js';
import { truncatedSvd } from './truncated-svd.js';
import { orthogonalityError } from '../../test/helpers/linalg-matrices.js';

/*
 * Scale invariance of the factorizations: on c·X every routine must return c times the
 * values it returns on X (singular values, R, eigenvalues), the same vectors and the same
 * ranks, to rounding, on every backend, for c far from 1 (2^±600, 1e±300, subnormal).
 */

/** The scale factors of the issue, as [label, c]. */
const SCALES: [string, number][] = [
  ['2^600', 2 ** 600], ['2^-600', 2 ** -600], ['1e300', 1e300], ['1e-300', 1e-300],
];

function gaussian(m: number, n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: m * n }, () => rng.normal());
}

function times(x: Float64Array, c: number): Float64Array {
  return x.map((v) => v * c);
}

/** max_i |a_i/c − b_i| ≤ tol·max|b|: values of c·X against those of X, relative to the largest. */
function expectScaled(a: ArrayLike<number>, b: ArrayLike<number>, c: number, tol: number): void {
  expect(a.length).toBe(b.length);
  let big = 0;
  for (let i = 0; i < b.length; i++) big = Math.max(big, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) {
    const got = a[i]! / c;
    expect(Number.isFinite(got)).toBe(true);
    expect(Math.abs(got - b[i]!)).toBeLessThanOrEqual(tol * Math.max(big, Number.MIN_VALUE));
  }
}

/** fast-check arbitrary over a shape, a seed and one of the scale factors. */
const caseArb = fc.record({
  m: fc.integer({ min: 1, max: 7 }),
  n: fc.integer({ min: 1, max: 7 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  scale: fc.constantFrom(...SCALES),
});

for (const backend of availableBackends()) {
  const run = <T>(fn: () => T): T => withBackend(backend, fn);

  describe(`scale invariance of the factorizations (${backend})`, () => {
    it('svd, qr and truncatedSvd of a 5×4 matrix times 1e-310 (subnormal entries) match the unscaled ones', () => {
      const x = gaussian(5, 4, 1);
      const tiny = times(x, 1e-310);
      // Multiplying the subnormal matrix by 2^1000 is exact, so it is the reference.
      const up = 2 ** 1000;
      const ref = run(() => svd(new Tensor(times(tiny, up), [5, 4])));
      const got = run(() => svd(new Tensor(tiny, [5, 4])));
      expectScaled(got.S.data, ref.S.data, 1 / up, 1e-12);
      expectScaled(got.U.data, ref.U.data, 1, 1e-10);
      const qRef = run(() => qr(new Tensor(times(tiny, up), [5, 4])));
      const qGot = run(() => qr(new Tensor(tiny, [5, 4])));
      expectScaled(qGot.Q.data, qRef.Q.data, 1, 1e-12);
      expectScaled(qGot.R.data, qRef.R.data, 1 / up, 1e-12);
      const tGot = run(() => truncatedSvd(new Tensor(tiny, [5, 4]), { rse: 0.5 }));
      const tRef = run(() => truncatedSvd(new Tensor(times(tiny, up), [5, 4]), { rse: 0.5 }));
      expect(tGot.rank).toBe(tRef.rank);
      expect(tGot.discardedNorm * up).toBeCloseTo(tRef.discardedNorm, 10);
    });

    it('eigh of a symmetric matrix times 1e-310 matches the unscaled one', () => {
      const x = gaussian(4, 4, 2);
      for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) x[i * 4 + j] = x[j * 4 + i]!;
      const tiny = times(x, 1e-310);
      const up = 2 ** 1000;
      const ref = run(() => eigh(new Tensor(times(tiny, up), [4, 4])));
      const got = run(() => eigh(new Tensor(tiny, [4, 4])));
      expectScaled(got.values.data, ref.values.data, 1 / up, 1e-12);
      expectScaled(got.vectors.data, ref.vectors.data, 1, 1e-10);
    });

    it('randomizedSvd near the top of the range (entries up to 2^1018) matches the scaled-down one', () => {
      const x = gaussian(12, 9, 3);
      let big = 0;
      for (const v of x) big = Math.max(big, Math.abs(v));
      const c = 2 ** 1018 / big;
      const ref = run(() => randomizedSvd(new Tensor(x, [12, 9]), 3));
      const got = run(() => randomizedSvd(new Tensor(times(x, c), [12, 9]), 3));
      expectScaled(got.S.data, ref.S.data, c, 1e-10);
      expect(got.S.data[0]).toBeGreaterThan(0);
    });

    it('refuses clearly when the singular values overflow (a matrix of DBL_MAX)', () => {
      const a = new Tensor(new Float64Array(4 * 3).fill(Number.MAX_VALUE), [4, 3]);
      expect(() => run(() => randomizedSvd(a, 2))).toThrow(/overflow/);
      expect(() => run(() => svd(a))).toThrow(/overflow/);
      expect(() => run(() => truncatedSvd(a))).toThrow(/overflow/);
    });

    it('property: svd, qr, truncatedSvd and randomizedSvd on c·X are c times those on X', () => {
      fc.assert(fc.property(caseArb, ({ m, n, seed, scale: [, c] }) => {
        const x = gaussian(m, n, seed);
        const cx = times(x, c);
        const s0 = run(() => svd(new Tensor(x, [m, n])));
        const s1 = run(() => svd(new Tensor(cx, [m, n])));
        expectScaled(s1.S.data, s0.S.data, c, 1e-12);
        expect(orthogonalityError(s1.U.data, m, Math.min(m, n))).toBeLessThan(1e-12);
        const q0 = run(() => qr(new Tensor(x, [m, n])));
        const q1 = run(() => qr(new Tensor(cx, [m, n])));
        expectScaled(q1.R.data, q0.R.data, c, 1e-12);
        expect(q1.Q.data.every(Number.isFinite)).toBe(true);
        const t0 = run(() => truncatedSvd(new Tensor(x, [m, n]), { rse: 0.3 }));
        const t1 = run(() => truncatedSvd(new Tensor(cx, [m, n]), { rse: 0.3 }));
        expect(t1.rank).toBe(t0.rank);
        expectScaled([t1.discardedNorm], [t0.discardedNorm], c, 1e-10);
        const rank = Math.min(m, n, 2);
        const r0 = run(() => randomizedSvd(new Tensor(x, [m, n]), rank));
        const r1 = run(() => randomizedSvd(new Tensor(cx, [m, n]), rank));
        expectScaled(r1.S.data, r0.S.data, c, 1e-10);
      }), { numRuns: 12, seed: 42 });
    });

    it('property: eigh on c·X has c times the eigenvalues of X', () => {
      fc.assert(fc.property(caseArb, ({ n, seed, scale: [, c] }) => {
        const x = gaussian(n, n, seed);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) x[i * n + j] = x[j * n + i]!;
        const e0 = run(() => eigh(new Tensor(x, [n, n])));
        const e1 = run(() => eigh(new Tensor(times(x, c), [n, n])));
        expectScaled(e1.values.data, e0.values.data, c, 1e-12);
      }), { numRuns: 10, seed: 43 });
    });

    it('property: matrices with entries spanning 1e-300…1e300 factor into finite, orthonormal, accurate factors', () => {
      fc.assert(fc.property(caseArb, ({ m, n, seed }) => {
        const rng = new Random(seed);
        const a = Float64Array.from({ length: m * n }, () => rng.normal() * 10 ** Math.round(600 * rng.uniform() - 300));
        let big = 0;
        for (const v of a) big = Math.max(big, Math.abs(v));
        const k = Math.min(m, n);
        const { U, S, Vt } = run(() => svd(new Tensor(a, [m, n])));
        expect(S.data.every(Number.isFinite)).toBe(true);
        expect(S.data[0]).toBeGreaterThanOrEqual(big * (1 - 1e-12));
        expect(orthogonalityError(U.data, m, k)).toBeLessThan(1e-12);
        expect(orthogonalityError(Vt.data, k, n, true)).toBeLessThan(1e-12);
        // Residual of A − U·S·Vt, both scaled by 1/S[0] (a power of two close to it) so nothing overflows.
        const inv = 2 ** -Math.ceil(Math.log2(S.data[0]!));
        let res = 0;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let v = 0;
            for (let p = 0; p < k; p++) v += U.data[i * k + p]! * (S.data[p]! * inv) * Vt.data[p * n + j]!;
            res = Math.max(res, Math.abs(v - a[i * n + j]! * inv));
          }
        }
        expect(res).toBeLessThan(1e-12);
        const { Q, R } = run(() => qr(new Tensor(a, [m, n])));
        expect(Q.data.every(Number.isFinite)).toBe(true);
        expect(R.data.every(Number.isFinite)).toBe(true);
        const t = run(() => truncatedSvd(new Tensor(a, [m, n]), { rse: 1e-3 }));
        expect(Number.isFinite(t.discardedNorm)).toBe(true);
        expect(t.rank).toBeGreaterThanOrEqual(1);
      }), { numRuns: 12, seed: 44 });
    });
  });
}
