import { describe, expect, it } from 'vitest';
import { backendStatus, getBackend } from '../registry.js';

// What only the native backend has: its OpenBLAS description and LAPACK's own error
// codes. Its gemm, gemmBatched, svd, qr and eigh are tested with every backend in
// src/kernels/kernel.test.ts.
const status = backendStatus().native;
if (!status.available) console.warn(`native backend tests skipped: ${status.detail}`);

describe.skipIf(!status.available)('native backend loader', () => {
  it('describes OpenBLAS and its thread count', () => {
    const k = getBackend('native');
    expect(k.name).toBe('native');
    expect(k.description).toMatch(/OpenBLAS \d+\.\d+\.\d+.* via Node-API, \d+ threads?$/);
  });

  it('passes LAPACK argument errors on with the routine and INFO', () => {
    const k = getBackend('native');
    expect(() => k.svd!(new Float64Array([1, NaN, 2, 3]), 2, 2)).toThrow(/dgesdd failed: INFO = -4/);
    expect(() => k.svd!(new Float32Array(4) as unknown as Float64Array, 2, 3)).toThrow(/a has 4 elements, needs 2×3 = 6/);
  });
});
