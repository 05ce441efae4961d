import type { Kernel } from '../kernel.js';

/** Loads the Node-API OpenBLAS addon. (Placeholder until the addon lands.) */
export function loadNativeKernel(): Kernel {
  throw new Error('native addon not built');
}
