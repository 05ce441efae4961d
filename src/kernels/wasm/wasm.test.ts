import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import { tsKernel } from '../ts/backend.js';
import { loadWasmKernel, loadWasmKernelSync } from './loader.js';

const wasm = loadWasmKernelSync();
type Ctor = Float64ArrayConstructor | Float32ArrayConstructor;
const DTYPES: [Ctor, number][] = [[Float64Array, 1e-12], [Float32Array, 1e-4]];
const ALPHAS = [1, -0.75, 2.5, 0];
const BETAS = [0, 1, 0.3, -2];

function randomArray(F: Ctor, size: number, rng: Random): FloatArray {
  const x = new F(size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

function pick<T>(rng: Random, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

/** A dimension: often 0/1/tile-ragged sizes, sometimes large enough to cross cache blocks. */
function randomDim(rng: Random): number {
  const r = rng.uniform();
  if (r < 0.15) return rng.int(2); // 0 or 1
  if (r < 0.85) return 2 + rng.int(40);
  return 100 + rng.int(250); // crosses MC = 128 / KC = 256
}

/**
 * Componentwise check |got − want| ≤ tol·(|alpha|·(|op(A)|·|op(B)|) + |beta|·|C0|), with the
 * bound computed by the reference kernel on absolute values, so cancellation cannot hide errors.
 */
function expectClose(
  got: FloatArray, want: FloatArray, bound: FloatArray, tol: number, what: string,
): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Math.abs(g - w) <= tol * bound[i]! + 1e-300)) {
      throw new Error(`${what}: element ${i} is ${g}, reference ${w} (bound ${tol * bound[i]!})`);
    }
  }
}

function absArray(x: FloatArray): FloatArray {
  return x.map(Math.abs);
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
    const a = randomArray(Float64Array, 5 * 6, rng);
    const b = randomArray(Float64Array, 6 * 7, rng);
    const c1 = new Float64Array(35);
    const c2 = new Float64Array(35);
    const c3 = new Float64Array(35);
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

describe('wasm gemm matches the TypeScript reference', () => {
  for (const [F, tol] of DTYPES) {
    it(`${F.name}: random shapes, transposes, alpha and beta`, () => {
      const rng = new Random(F === Float64Array ? 11 : 12);
      for (let trial = 0; trial < 160; trial++) {
        const m = randomDim(rng);
        const n = randomDim(rng);
        const k = randomDim(rng);
        const transA = rng.uniform() < 0.5;
        const transB = rng.uniform() < 0.5;
        const alpha = pick(rng, ALPHAS);
        const beta = pick(rng, BETAS);
        const a = randomArray(F, m * k, rng);
        const b = randomArray(F, k * n, rng);
        const c0 = randomArray(F, m * n, rng);
        const want = c0.slice();
        tsKernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, want);
        // beta = 0 must not read C: poison it, and poison the kernel's copy of C in linear
        // memory too (a beta = 1 call with the same shapes leaves NaNs exactly there).
        const got = beta === 0 ? new F(m * n).fill(NaN) : c0.slice();
        if (beta === 0) wasm.gemm(transA, transB, m, n, k, alpha, a, b, 1, got.slice());
        wasm.gemm(transA, transB, m, n, k, alpha, a, b, beta, got);
        const bound = absArray(c0).map((v) => Math.abs(beta) * v);
        tsKernel.gemm(transA, transB, m, n, k, Math.abs(alpha), absArray(a), absArray(b), 1, bound);
        const what = `trial ${trial} ${F.name} m=${m} n=${n} k=${k} tA=${transA} tB=${transB} alpha=${alpha} beta=${beta}`;
        expect(got.every(Number.isFinite), what).toBe(true);
        expectClose(got, want, bound, tol, what);
      }
    });

    it(`${F.name}: deep k and wide n cross every cache block`, () => {
      const rng = new Random(21);
      for (const [m, n, k] of [[9, 2100, 5], [6, 7, 700], [130, 11, 520], [1, 2049, 257]] as const) {
        for (const [transA, transB] of [[false, false], [true, true]] as const) {
          const a = randomArray(F, m * k, rng);
          const b = randomArray(F, k * n, rng);
          const c0 = randomArray(F, m * n, rng);
          const want = c0.slice();
          const got = c0.slice();
          tsKernel.gemm(transA, transB, m, n, k, 0.5, a, b, 1, want);
          wasm.gemm(transA, transB, m, n, k, 0.5, a, b, 1, got);
          const bound = absArray(c0);
          tsKernel.gemm(transA, transB, m, n, k, 0.5, absArray(a), absArray(b), 1, bound);
          expectClose(got, want, bound, tol, `${F.name} ${m}×${k}·${k}×${n} tA=${transA} tB=${transB}`);
        }
      }
    });
  }

  it('reads operands through subarray views and leaves C past m·n untouched', () => {
    const rng = new Random(3);
    const base = randomArray(Float64Array, 200, rng);
    const a = base.subarray(17, 17 + 6 * 5);
    const b = base.subarray(101, 101 + 5 * 9);
    const c = new Float64Array(6 * 9 + 3).fill(-1);
    const want = new Float64Array(6 * 9);
    tsKernel.gemm(false, true, 6, 9, 5, 1, a, b, 0, want);
    wasm.gemm(false, true, 6, 9, 5, 1, a, b, 0, c);
    expectClose(c.subarray(0, 54), want, want.map(() => 1), 1e-12, 'views');
    expect(Array.from(c.subarray(54))).toEqual([-1, -1, -1]);
  });
});

describe('wasm gemmBatched matches the TypeScript reference', () => {
  for (const [F, tol] of DTYPES) {
    it(`${F.name}: contiguous, broadcast (stride 0) and gapped batches`, () => {
      const rng = new Random(F === Float64Array ? 31 : 32);
      for (let trial = 0; trial < 80; trial++) {
        const batch = rng.int(6);
        const m = 1 + rng.int(20);
        const n = 1 + rng.int(20);
        const k = rng.int(20);
        const transA = rng.uniform() < 0.5;
        const transB = rng.uniform() < 0.5;
        const alpha = pick(rng, ALPHAS);
        const beta = pick(rng, BETAS);
        const strideA = pick(rng, [0, m * k, m * k + 3]);
        const strideB = pick(rng, [0, k * n, k * n + 2]);
        const aLen = batch === 0 ? 0 : (batch - 1) * strideA + m * k;
        const bLen = batch === 0 ? 0 : (batch - 1) * strideB + k * n;
        const a = randomArray(F, aLen, rng);
        const b = randomArray(F, bLen, rng);
        const c0 = randomArray(F, batch * m * n, rng);
        const got = beta === 0 ? new F(batch * m * n).fill(NaN) : c0.slice();
        if (beta === 0) wasm.gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, 1, got.slice());
        wasm.gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, got);
        if (batch === 0) continue; // nothing to compare (and the reference wants m·k elements for stride 0)
        const want = c0.slice();
        tsKernel.gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, want);
        const bound = absArray(c0).map((v) => Math.abs(beta) * v);
        tsKernel.gemmBatched(transA, transB, batch, m, n, k, Math.abs(alpha), absArray(a), strideA, absArray(b), strideB, 1, bound);
        const what = `trial ${trial} ${F.name} batch=${batch} m=${m} n=${n} k=${k} sA=${strideA} sB=${strideB} alpha=${alpha} beta=${beta}`;
        expect(got.every(Number.isFinite), what).toBe(true);
        expectClose(got, want, bound, tol, what);
      }
    });
  }
});

describe('wasm linear memory', () => {
  it('grows for a product bigger than the current memory, then serves small ones again', () => {
    const rng = new Random(41);
    const check = (m: number, n: number, k: number): void => {
      const a = randomArray(Float64Array, m * k, rng);
      const b = randomArray(Float64Array, k * n, rng);
      const want = new Float64Array(m * n);
      const got = new Float64Array(m * n).fill(NaN);
      tsKernel.gemm(false, false, m, n, k, 1, a, b, 0, want);
      wasm.gemm(false, false, m, n, k, 1, a, b, 0, got);
      const bound = new Float64Array(m * n);
      tsKernel.gemm(false, false, m, n, k, 1, absArray(a), absArray(b), 0, bound);
      expectClose(got, want, bound, 1e-12, `${m}×${k}·${k}×${n}`);
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

describe('wasm argument checks', () => {
  it('names the problem in bad calls', () => {
    const x = new Float64Array(4);
    expect(() => wasm.gemm(false, false, 2, 2, 2, 1, x, new Float32Array(4), 0, x)).toThrow(/dtype/);
    expect(() => wasm.gemm(false, false, 2, 2, 3, 1, x, x, 0, x)).toThrow(/A has 4 elements, needs 6/);
    expect(() => wasm.gemm(false, false, -1, 2, 2, 1, x, x, 0, x)).toThrow(/m = -1/);
    expect(() => wasm.gemmBatched(false, false, -2, 1, 1, 1, 1, x, 1, x, 1, 0, x)).toThrow(/batch = -2/);
    expect(() => wasm.gemmBatched(false, false, 2, 1, 1, 1, 1, x, 1.5, x, 1, 0, x)).toThrow(/strideA = 1.5/);
    expect(() => wasm.gemmBatched(false, false, 3, 2, 2, 1, 1, x, 2, x, 2, 0, x)).toThrow(/A has 4 elements, needs 6/);
  });
});
