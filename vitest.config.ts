import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // examples/ import the package by name (as users do); in tests that name runs the
    // current source, not a possibly stale dist/.
    alias: [
      { find: /^tnkit$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^tnkit\/browser$/, replacement: fileURLToPath(new URL('./src/browser.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    // Kernels are single-threaded and CPU-bound: run files in separate forks so the
    // native addon and wasm memory are per-process.
    pool: 'forks',
  },
});
