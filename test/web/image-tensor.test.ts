/** The page's image → tensor path (web/image-tensor.ts): PNG decoding agrees with readPng, folding is a bijection. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { tensor } from 'tnkit/browser';
import { describe, expect, it } from 'vitest';
import { readPng } from '../../src/io/image.js';
import { decodeGreyPng, foldImage, imageTensor, sideFor, unfoldImage } from '../../web/image-tensor.js';

describe('web/image-tensor', () => {
  it('decodes the shipped grey image to the values readPng gives', () => {
    const path = 'data/images/camera.png';
    const grey = decodeGreyPng(readFileSync(path), path);
    const ref = readPng(path);
    expect([grey.height, grey.width]).toEqual(ref.shape);
    expect(Array.from(grey.pixels)).toEqual(Array.from(ref.toTypedArray()));
  });

  it('makes a colour image grey as the mean of its channels', () => {
    const path = 'data/images/astronaut.png';
    const grey = decodeGreyPng(readFileSync(path), path);
    const rgb = readPng(path).toTypedArray();
    for (const p of [0, 1234, grey.pixels.length - 1]) expect(grey.pixels[p]).toBeCloseTo((rgb[3 * p]! + rgb[3 * p + 1]! + rgb[3 * p + 2]!) / 3, 12);
  });

  it('folds a 2^b image to b modes of 4 and back exactly, the first mode holding the top bits of row and column', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (bits, seed) => {
      const n = 2 ** bits;
      const values = Array.from({ length: n * n }, (_, i) => ((i * 7919 + seed) % 1000) / 7);
      const img = tensor(values, [n, n]);
      const folded = foldImage(img);
      expect(folded.shape).toEqual(new Array(bits).fill(4));
      expect(Array.from(unfoldImage(folded).toTypedArray())).toEqual(values);
      // Pixel (n−1, 0): every row bit set, no column bit → index 2 in every mode.
      expect(folded.get(...new Array(bits).fill(2))).toBe(values[(n - 1) * n]);
      // Any pixel (r, c): mode k (coarse to fine) is 2·(row bit k) + (column bit k).
      const r = seed % n;
      const c = (seed >> 7) % n;
      const modes = Array.from({ length: bits }, (_, k) => 2 * ((r >> (bits - 1 - k)) & 1) + ((c >> (bits - 1 - k)) & 1));
      expect(folded.get(...modes)).toBe(values[r * n + c]);
    }));
  });

  it('shrinks by block means to the requested side, capped by the image', () => {
    const grey = { height: 8, width: 12, pixels: Float64Array.from({ length: 96 }, (_, i) => i) };
    expect(sideFor(grey, 64)).toBe(8);
    const { side, square, x } = imageTensor(grey, 4);
    expect(side).toBe(4);
    expect(x.shape).toEqual([4, 4]);
    // Centre square: columns 2..9; the top-left output pixel is the mean of rows 0–1, columns 2–3.
    expect(square.get(0, 0)).toBeCloseTo((2 + 3 + 14 + 15) / 4, 12);
    expect(() => sideFor(grey, 6)).toThrow(/power of two/);
    expect(() => sideFor({ height: 3, width: 100, pixels: new Float64Array(300) }, 8)).toThrow(/at least 4×4/);
  });
});
