import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { norm } from './reduce.js';
import {
  exponentOf, frobeniusNorm, normalizingExponent, relativeError, scaledTailSums, sumSquares, timesPow2,
} from './scaled-norm.js';
import { Tensor } from './tensor.js';

const SCALES = [2 ** 600, 2 ** -600, 1e300, 1e-300, 1e200, 1e-200, 1e160];
const vec = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 });

/** Math.hypot (scaled by the engine) as an independent reference. */
function plainNorm(x: readonly number[]): number {
  return Math.hypot(...x);
}

describe('scaled norms', () => {
  it('exponentOf is exact at and around powers of two, subnormals included', () => {
    for (const e of [-1074, -1073, -1030, -1022, -1, 0, 1, 52, 1000, 1023]) {
      const p = 2 ** e;
      expect(exponentOf(p)).toBe(e);
      if (e > -1022) expect(exponentOf(p * (1 - 2 ** -53))).toBe(e - 1);
    }
    expect(exponentOf(Number.MAX_VALUE)).toBe(1023);
    expect(() => exponentOf(0)).toThrow(RangeError);
    expect(() => exponentOf(Infinity)).toThrow(RangeError);
    expect(normalizingExponent(0.75)).toBe(0);
    expect(timesPow2(3, normalizingExponent(3))).toBe(0.75);
  });

  it('timesPow2 round-trips exactly across the whole range', () => {
    fc.assert(fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.integer({ min: -1000, max: 1000 }), (x, e) => {
      const y = timesPow2(x, e);
      fc.pre(Number.isFinite(y) && Math.abs(y) >= 2 ** -1022);
      expect(timesPow2(y, -e)).toBe(x);
    }));
    expect(timesPow2(5e-324, 2000)).toBe(2 ** 926);
  });

  it('property: ‖c·x‖ = |c|·‖x‖ to rounding for c = 2^±600, 1e±300, …', () => {
    fc.assert(fc.property(vec, fc.constantFrom(...SCALES), (x, c) => {
      const want = plainNorm(x);
      const got = frobeniusNorm(x.map((v) => v * c));
      if (want === 0) expect(got).toBe(0);
      else expect(Math.abs(got / c - want)).toBeLessThanOrEqual(1e-13 * want + 1e-300 / c);
    }));
  });

  it('agrees with Math.hypot on extreme vectors; reduce.norm uses it', () => {
    const x = Float64Array.from([1e300, -3e299, 1e-300, 5e-324, 0, 2e299]);
    expect(frobeniusNorm(x) / Math.hypot(...x)).toBeCloseTo(1, 14);
    expect(norm(new Tensor(x, [6]))).toBe(frobeniusNorm(x));
    expect(frobeniusNorm(x) / 1e300).toBeCloseTo(Math.hypot(1, 0.3, 0.2), 14);
    expect(frobeniusNorm([3e-320, 4e-320]) / 5e-320).toBeCloseTo(1, 2); // subnormal inputs
    expect(frobeniusNorm([Number.MAX_VALUE, Number.MAX_VALUE])).toBe(Infinity);
    expect(Number.isNaN(frobeniusNorm([1, NaN]))).toBe(true);
  });

  it('property: relativeError(c·y, c·x) = relativeError(y, x), never 0 or NaN for a non-zero error', () => {
    fc.assert(fc.property(vec, fc.constantFrom(...SCALES), fc.integer({ min: 0, max: 39 }), (x, c, at) => {
      fc.pre(plainNorm(x) > 1e-3);
      const y = x.slice();
      y[at % y.length] = y[at % y.length]! + 0.5;
      const want = relativeError(y, x);
      const got = relativeError(y.map((v) => v * c), x.map((v) => v * c));
      expect(got).toBeGreaterThan(0);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * want);
    }));
    // a − b would overflow for these finite entries; the scaled path forms it after scaling.
    expect(relativeError([Number.MAX_VALUE], [-Number.MAX_VALUE])).toBe(2);
    expect(relativeError([1, 2], [0, 0])).toBe(Infinity);
    expect(relativeError([0, 0], [0, 0])).toBe(0);
  });

  it('masked sums only count the selected entries', () => {
    const mask = Uint8Array.from([1, 0, 1]);
    const s = sumSquares([1e200, 7e250, 1e200], mask);
    expect(timesPow2(Math.sqrt(s.ssq), s.exp)).toBeCloseTo(Math.SQRT2 * 1e200, -186);
    expect(sumSquares([3, 4, 12], mask, 0).ssq).toBe(16);
  });

  it('scaledTailSums keeps the tail of singular values near 1e±300', () => {
    for (const c of SCALES) {
      const s = [4, 3, 1e-3].map((v) => v * c);
      const { exp, tail } = scaledTailSums(s);
      expect(tail[3]).toBe(0);
      expect(timesPow2(Math.sqrt(tail[0]!), exp) / c).toBeCloseTo(Math.hypot(4, 3, 1e-3), 12);
      expect(timesPow2(Math.sqrt(tail[2]!), exp) / c).toBeCloseTo(1e-3, 15);
    }
  });
});
