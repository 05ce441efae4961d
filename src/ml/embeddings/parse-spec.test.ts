import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddingFromJSON } from './from-json.js';
import { parseEmbedding } from './parse-spec.js';

describe('parseEmbedding', () => {
  it('reads every spec with its argument and default, giving the documented dimension', () => {
    const cases: [string, string, number][] = [
      ['polynomial', 'polynomial', 3], ['polynomial:4', 'polynomial', 5], ['trigonometric', 'trigonometric', 2], ['trigonometric:3', 'trigonometric', 6],
      ['fourier:3', 'fourier', 3], ['legendre:2', 'legendre', 3], ['hermite:3', 'hermite', 4], ['laguerre', 'laguerre', 3], ['linear-complement', 'linear-complement', 2],
    ];
    for (const [spec, type, d] of cases) {
      const e = parseEmbedding(spec);
      expect(e.toJSON().type).toBe(type);
      expect(e.siteDims(5)).toEqual([d, d, d, d, d]);
    }
  });

  it('round-trips through the embedding JSON for any degree', () => {
    fc.assert(fc.property(fc.constantFrom('polynomial', 'trigonometric', 'legendre', 'hermite', 'laguerre', 'fourier'), fc.integer({ min: 2, max: 6 }), (name, n) => {
      const e = parseEmbedding(`${name}:${n}`);
      expect(embeddingFromJSON(e.toJSON()).toJSON()).toEqual(e.toJSON());
    }));
  });

  it('names the label and the bad part of the spec', () => {
    expect(() => parseEmbedding('wavelet')).toThrow(/^embedding: 'wavelet' is not one of polynomial:D, trigonometric:k/);
    expect(() => parseEmbedding('polynomial:0', '--embedding')).toThrow(/^--embedding: 'polynomial:0': '0' is not a positive integer/);
    expect(() => parseEmbedding('legendre:2.5')).toThrow(/'2.5' is not a positive integer/);
    expect(() => parseEmbedding('polynomial:')).toThrow(/'' is not a positive integer/);
    expect(() => parseEmbedding('linear-complement:2')).toThrow(/takes no argument/);
    // An argument the embedding itself refuses keeps its reason and names the spec.
    expect(() => parseEmbedding('fourier:1', '--embedding')).toThrow(/^--embedding: 'fourier:1': fourier embedding: p must be an integer ≥ 2/);
  });
});
