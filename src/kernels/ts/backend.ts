import type { FloatArray } from '../../tensor/dtype.js';
import { checkGemmArgs, type Kernel } from '../kernel.js';
import { gemmTs } from './gemm.js';

/**
 * The TypeScript reference backend: always available, runs anywhere, and is what the
 * native and wasm backends are tested against. It has no LAPACK routines, so linalg
 * uses its own TypeScript factorizations on top of this gemm.
 */
export const tsKernel: Kernel = {
  name: 'ts',
  description: 'TypeScript reference (packed 3×4 micro-kernel, single thread)',
  gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
    checkGemmArgs('gemm', m, n, k, a, m * k, b, k * n, c, m * n);
    gemmTs(transA, transB, m, n, k, alpha, a, b, beta, c);
  },
  gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c) {
    // As the native and wasm backends do: a negative or fractional count would otherwise do nothing or read wrong matrices.
    for (const [label, v] of [['batch', batch], ['strideA', strideA], ['strideB', strideB]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemmBatched: ${label} = ${v} is not a non-negative integer`);
    }
    const aSize = batch === 0 ? 0 : (batch - 1) * strideA + m * k;
    const bSize = batch === 0 ? 0 : (batch - 1) * strideB + k * n;
    checkGemmArgs('gemmBatched', m, n, k, a, aSize, b, bSize, c, batch * m * n);
    for (let i = 0; i < batch; i++) {
      const ai: FloatArray = a.subarray(i * strideA, i * strideA + m * k);
      const bi: FloatArray = b.subarray(i * strideB, i * strideB + k * n);
      const ci: FloatArray = c.subarray(i * m * n, (i + 1) * m * n);
      gemmTs(transA, transB, m, n, k, alpha, ai, bi, beta, ci);
    }
  },
};
