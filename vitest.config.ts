import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/*
 * `npm test` (vitest run --mode all-backends) runs the suite three times in one vitest run,
 * as three projects: `default` on the backend tnkit picks (native where the addon loads),
 * `wasm` and `ts` with TNKIT_BACKEND set. A plain `npx vitest run <file>` runs it once, on
 * the default backend.
 */

/**
 * Test files the wasm and ts projects leave to the default one, because they would
 * test nothing new there.
 */
const DEFAULT_PROJECT_ONLY = [
  // They run every backend themselves (test/helpers/backends.ts: describeEachBackend).
  'src/kernels/kernel.test.ts',
  'src/kernels/native/*.test.ts',
  'src/kernels/wasm/*.test.ts',
  'src/ml/models/mps-chain.test.ts',
  'src/ml/models/smpo-chain.test.ts',
  // Browser end to end, the report opened offline, and examples/ (their printed figures are
  // checked as measured on the default backend; the library code they call is tested
  // on every backend by the unit tests).
  'test/**/*.test.ts',
  // The CLI: flag parsing and commands spawned from dist/ in a child process; what they
  // compute is the library's, tested per backend.
  'src/cli/**/*.test.ts',
  // Report rendering (HTML, SVG, charts): no arithmetic through a kernel.
  'src/report/**/*.test.ts',
  // Fuzz: malformed input must be refused before any computation.
  '**/*.fuzz.test.ts',
  // Kill a child process mid-write; exchange .npy bytes with numpy.
  'src/io/atomic-write.kill.test.ts',
  'src/tensor/npy-interop.test.ts',
];

function backendProject(backend: 'wasm' | 'ts'): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name: backend,
      env: { TNKIT_BACKEND: backend },
      exclude: [...configDefaults.exclude, ...DEFAULT_PROJECT_ONLY],
    },
  };
}

export default defineConfig(({ mode }) => ({
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
    ...(mode === 'all-backends'
      ? { projects: [{ extends: true, test: { name: 'default' } }, backendProject('wasm'), backendProject('ts')] }
      : {}),
  },
}));
