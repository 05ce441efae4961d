import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { loadWasmKernel, loadWasmKernelSync } from './loader.js';

// What only the wasm backend has: its loaders and its growing linear memory. Its gemm
// and gemmBatched are tested with every backend in src/kernels/kernel.test.ts.
const wasm = loadWasmKernelSync();

function randomArray(size: number, rng: Random): Float64Array {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

/** C = A·B by a naive loop, for the products below. */
function naive(a: Float64Array, b: Float64Array, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return c;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(a.reduce((s, v) => s + v, 0)) ? NaN : d;
}

describe('wasm kernel loading', () => {
  it('loads synchronously and describes itself', () => {
    expect(wasm.name).toBe('wasm');
    expect(wasm.description).toMatch(/WebAssembly SIMD/);
  });

  it('loads asynchronously from a file: URL and from bytes, giving the same products', async () => {
    const url = new URL('../../../build/wasm/tnkit.wasm', import.meta.url);
    const fromUrl = await loadWasmKernel(url);
    const { readFile } = await import('node:fs/promises');
    const fromBytes = await loadWasmKernel(new Uint8Array(await readFile(url)));
    const rng = new Random(7);
    const a = randomArray(5 * 6, rng);
    const b = randomArray(6 * 7, rng);
    const [c1, c2, c3] = [new Float64Array(35), new Float64Array(35), new Float64Array(35)];
    wasm.gemm(false, false, 5, 7, 6, 1, a, b, 0, c1);
    fromUrl.gemm(false, false, 5, 7, 6, 1, a, b, 0, c2);
    fromBytes.gemm(false, false, 5, 7, 6, 1, a, b, 0, c3);
    expect(Array.from(c2)).toEqual(Array.from(c1));
    expect(Array.from(c3)).toEqual(Array.from(c1));
    expect(c1.some((v) => v !== 0)).toBe(true);
  });

  it('reports a missing file clearly', async () => {
    await expect(loadWasmKernel(new URL('file:///nonexistent/tnkit.wasm'))).rejects.toThrow(/not built/);
  });
});

describe('wasm linear memory', () => {
  it('grows for a product bigger than the current memory, then serves small ones again', () => {
    const rng = new Random(41);
    const check = (m: number, n: number, k: number): void => {
      const a = randomArray(m * k, rng);
      const b = randomArray(k * n, rng);
      const got = new Float64Array(m * n).fill(NaN);
      wasm.gemm(false, false, m, n, k, 1, a, b, 0, got);
      expect(maxDiff(got, naive(a, b, m, n, k)), `${m}×${k}·${k}×${n}`).toBeLessThan(1e-12 * (k + 4) * 16);
    };
    const before = wasm.memoryBytes;
    // C alone (side² doubles) exceeds the current memory; a shallow k keeps the product cheap.
    const side = Math.ceil(Math.sqrt(before / 8)) + 8;
    check(side, side, 9);
    expect(wasm.memoryBytes).toBeGreaterThan(before);
    expect(wasm.memoryBytes).toBeGreaterThanOrEqual(side * side * 8);
    check(3, 5, 4);
    check(side + 1, 2, side); // again through the grown (detached and re-viewed) buffer
  });
});
