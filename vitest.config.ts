import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    // Kernels are single-threaded and CPU-bound: run files in separate forks so the
    // native addon and wasm memory are per-process.
    pool: 'forks',
  },
});
