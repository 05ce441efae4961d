import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor/create.js';
import { compressionRatio, mpsnr, psnr, rse } from './metrics.js';

describe('metrics', () => {
  const x = tensor([[1, 2], [3, 4]]);
  const y = tensor([[1, 2], [3, 6]]);

  it('compression ratio is params / entries', () => {
    expect(compressionRatio(30, [10, 10])).toBeCloseTo(0.3, 15);
    expect(compressionRatio(5, 20)).toBe(0.25);
    expect(() => compressionRatio(5, [0, 3])).toThrow(/at least one entry/);
  });

  it('RSE by hand, with and without a mask', () => {
    // ‖y − x‖ = 2, ‖x‖ = √30.
    expect(rse(y, x)).toBeCloseTo(2 / Math.sqrt(30), 15);
    const mask = tensor([[1, 0], [0, 1]]);
    // Observed: entries 1 and 4: error 2, norm √17.
    expect(rse(y, x, { mask })).toBeCloseTo(2 / Math.sqrt(17), 15);
    expect(rse(y, x, { mask, missing: true })).toBe(0);
    expect(rse(x, x)).toBe(0);
    expect(() => rse(tensor([1, 2]), x)).toThrow(/shape \[2\] but the reference has shape \[2, 2\]/);
  });

  it('PSNR and MPSNR by hand', () => {
    // MSE = 4/4 = 1 → PSNR = 10·log10(255²).
    expect(psnr(y, x, { peak: 255 })).toBeCloseTo(20 * Math.log10(255), 12);
    // Default peak = max|x| = 4.
    expect(psnr(y, x)).toBeCloseTo(10 * Math.log10(16), 12);
    expect(psnr(x, x)).toBe(Infinity);
    // Slice 0 exact (Infinity) would dominate: use a second error instead.
    const z = tensor([[2, 2], [3, 6]]);
    const expected = (10 * Math.log10(16 / 0.5) + 10 * Math.log10(16 / 2)) / 2;
    expect(mpsnr(z, x)).toBeCloseTo(expected, 12);
    expect(() => psnr(y, x, { peak: 0 })).toThrow(/peak must be a positive number/);
  });
});
