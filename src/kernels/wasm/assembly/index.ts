// Entry point of the tnkit WebAssembly kernel. Nothing here allocates: the JS loader owns
// the layout of linear memory (workspace, then A, B, C from `heapBase()` upward) and grows
// it as needed, so the "stub" runtime never runs in a hot path.

export { gemmF64, gemmBatchedF64, workspaceBytesF64 } from './gemm_f64';
export { gemmF32, gemmBatchedF32, workspaceBytesF32 } from './gemm_f32';

/** First byte of linear memory past the module's static data: the loader's arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}
