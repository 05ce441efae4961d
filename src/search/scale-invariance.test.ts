import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numericalRank } from './compress.js';

describe('numericalRank is scale invariant', () => {
  it('property: the rank of c·σ equals the rank of σ for c = 2^±600, 1e±300', () => {
    const spectrum = fc.array(fc.double({ min: 1e-6, max: 10, noNaN: true }), { minLength: 1, maxLength: 12 })
      .map((s) => s.sort((a, b) => b - a));
    fc.assert(fc.property(spectrum, fc.constantFrom(2 ** 600, 2 ** -600, 1e300, 1e-300), fc.double({ min: 0, max: 0.9, noNaN: true }), (s, c, rel) => {
      const want = numericalRank(s, rel);
      expect(numericalRank(s.map((v) => v * c), rel)).toBe(want);
    }), { numRuns: 200, seed: 12 });
  });

  it('keeps the rank of a spectrum spanning 1e300…1e-300 by the relative tail', () => {
    expect(numericalRank([1e300, 1e299, 1e-300], 0.5)).toBe(1);
    expect(numericalRank([1e300, 1e299, 1e-300], 0.01)).toBe(2);
    expect(numericalRank([1e-300, 1e-301, 1e-320], 0.01)).toBe(2);
  });
});
