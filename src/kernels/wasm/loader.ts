import type { Kernel } from '../kernel.js';

/** Loads the WebAssembly SIMD kernel synchronously (Node). (Placeholder until it lands.) */
export function loadWasmKernelSync(): Kernel {
  throw new Error('wasm kernel not built');
}
