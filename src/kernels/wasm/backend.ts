import type { FloatArray } from '../../tensor/dtype.js';
import { checkGemmArgs, type Kernel } from '../kernel.js';

/** The exports of build/wasm/tnkit.wasm (see assembly/index.ts). Pointers are byte offsets. */
interface TnkitWasmExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  workspaceBytesF64(m: number, n: number, k: number): number;
  workspaceBytesF32(m: number, n: number, k: number): number;
  gemmBatchedF64(
    transA: number, transB: number, batch: number, m: number, n: number, k: number,
    alpha: number, a: number, strideA: number, b: number, strideB: number, beta: number, c: number, work: number,
  ): void;
  gemmBatchedF32(
    transA: number, transB: number, batch: number, m: number, n: number, k: number,
    alpha: number, a: number, strideA: number, b: number, strideB: number, beta: number, c: number, work: number,
  ): void;
}

/** The wasm kernel, plus the size of its linear memory (which only ever grows). */
export interface WasmKernel extends Kernel {
  readonly name: 'wasm';
  /** Current size of the module's linear memory in bytes. */
  readonly memoryBytes: number;
}

const PAGE = 65536;
/** wasm32 addresses are 32-bit. */
const MAX_MEMORY = 2 ** 32;
const EXPORTS = ['memory', 'heapBase', 'workspaceBytesF64', 'workspaceBytesF32', 'gemmBatchedF64', 'gemmBatchedF32'] as const;

function alignUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * Wraps an instantiated tnkit.wasm as a {@link Kernel}. Each call copies A, B (and C when
 * beta ≠ 0) into linear memory above the module's static data, runs the whole product —
 * or the whole batch — in one call into wasm, and copies C back. Memory grows on demand
 * and is reused by later calls.
 */
export function wasmKernelFromInstance(instance: WebAssembly.Instance): WasmKernel {
  const raw = instance.exports as Record<string, unknown>;
  for (const name of EXPORTS) {
    if (!(name in raw)) throw new Error(`wasm kernel: the module does not export '${name}' (stale build? run npm run build:wasm)`);
  }
  const x = raw as unknown as TnkitWasmExports;
  const memory = x.memory;
  const base = alignUp(x.heapBase(), 64);
  // Typed views on the memory, recreated only when a grow detaches the old buffer.
  let buffer: ArrayBuffer | undefined;
  let f64: Float64Array = new Float64Array(0);
  let f32: Float32Array = new Float32Array(0);

  function ensure(bytes: number, what: string): void {
    if (bytes > MAX_MEMORY) {
      throw new RangeError(`wasm kernel: ${what} needs ${bytes} bytes of linear memory, more than the 4 GiB a wasm32 module can address`);
    }
    const have = memory.buffer.byteLength;
    if (bytes > have) {
      try {
        memory.grow(Math.ceil((bytes - have) / PAGE));
      } catch (e) {
        throw new RangeError(`wasm kernel: could not grow linear memory to ${bytes} bytes for ${what} (${(e as Error).message})`);
      }
    }
    if (memory.buffer !== buffer) {
      buffer = memory.buffer as ArrayBuffer;
      f64 = new Float64Array(buffer);
      f32 = new Float32Array(buffer);
    }
  }

  function run(
    what: string, transA: boolean, transB: boolean, batch: number, m: number, n: number, k: number,
    alpha: number, a: FloatArray, aLen: number, strideA: number,
    b: FloatArray, bLen: number, strideB: number, beta: number, c: FloatArray,
  ): void {
    const cLen = batch * m * n;
    if (cLen === 0) return;
    if (k === 0 || alpha === 0) {
      // Nothing to multiply: C ← beta·C without a round trip through linear memory.
      if (beta === 0) c.fill(0, 0, cLen);
      else if (beta !== 1) for (let i = 0; i < cLen; i++) c[i] = beta * c[i]!;
      return;
    }
    const isF64 = c instanceof Float64Array;
    const bpe = isF64 ? 8 : 4;
    const work = base;
    const workBytes = isF64 ? x.workspaceBytesF64(m, n, k) : x.workspaceBytesF32(m, n, k);
    const aPtr = alignUp(work + workBytes, 64);
    const bPtr = alignUp(aPtr + aLen * bpe, 64);
    const cPtr = alignUp(bPtr + bLen * bpe, 64);
    ensure(cPtr + cLen * bpe, `${what} ${batch > 1 ? `${batch}×` : ''}${m}×${k}·${k}×${n}`);
    const view: FloatArray = isF64 ? f64 : f32;
    view.set(a.subarray(0, aLen), aPtr / bpe);
    view.set(b.subarray(0, bLen), bPtr / bpe);
    if (beta !== 0) view.set(c.subarray(0, cLen), cPtr / bpe);
    const gemm = isF64 ? x.gemmBatchedF64 : x.gemmBatchedF32;
    gemm(transA ? 1 : 0, transB ? 1 : 0, batch, m, n, k, alpha, aPtr, strideA, bPtr, strideB, beta, cPtr, work);
    c.set(view.subarray(cPtr / bpe, cPtr / bpe + cLen));
  }

  return {
    name: 'wasm',
    description: 'WebAssembly SIMD (AssemblyScript), 1 thread',
    get memoryBytes(): number {
      return memory.buffer.byteLength;
    },
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      checkGemmArgs('gemm', m, n, k, a, m * k, b, k * n, c, m * n);
      run('gemm', transA, transB, 1, m, n, k, alpha, a, m * k, m * k, b, k * n, k * n, beta, c);
    },
    gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c) {
      for (const [label, v] of [['batch', batch], ['strideA', strideA], ['strideB', strideB]] as const) {
        if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemmBatched: ${label} = ${v} is not a non-negative integer`);
      }
      const aLen = batch === 0 ? 0 : (batch - 1) * strideA + m * k;
      const bLen = batch === 0 ? 0 : (batch - 1) * strideB + k * n;
      checkGemmArgs('gemmBatched', m, n, k, a, aLen, b, bLen, c, batch * m * n);
      run('gemmBatched', transA, transB, batch, m, n, k, alpha, a, aLen, strideA, b, bLen, strideB, beta, c);
    },
  };
}
