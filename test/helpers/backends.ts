import { afterAll, beforeAll, describe, it } from 'vitest';
import type { BackendName, Kernel } from '../../src/kernels/kernel.js';
import { backendStatus, getBackend, getKernel, setBackend } from '../../src/kernels/registry.js';

/*
 * Runs a test suite once per compute backend, like tfjs-core's describeWithFlags(ALL_ENVS).
 * Test-only (test/helpers is outside the build's src/).
 */

/** Every backend tnkit ships, in the registry's order of preference. */
export const ALL_BACKENDS: readonly BackendName[] = ['native', 'wasm', 'ts'];

/**
 * Declares `describe('<title> [<backend>]', …)` once per backend. Inside each block the
 * backend is the active one (so code calling getKernel() runs on it) and `body` gets its
 * kernel; the previously active backend is restored after the block. A backend that did
 * not load is declared as a skipped block whose one test names the load error, so a
 * missing backend shows up in the report as skipped, never silently absent.
 */
export function describeEachBackend(title: string, body: (kernel: Kernel, name: BackendName) => void): void {
  const status = backendStatus();
  for (const name of ALL_BACKENDS) {
    const { available, detail } = status[name];
    if (!available) {
      describe.skip(`${title} [${name}]`, () => {
        it(`${name} backend not available: ${detail}`, () => {});
      });
      continue;
    }
    describe(`${title} [${name}]`, () => {
      let previous: BackendName | undefined;
      beforeAll(() => {
        previous = getKernel().name;
        setBackend(name);
      });
      afterAll(() => {
        if (previous !== undefined) setBackend(previous);
      });
      body(getBackend(name), name);
    });
  }
}
