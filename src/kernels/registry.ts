import type { BackendName, Kernel } from './kernel.js';
import { tsKernel } from './ts/backend.js';
import { loadNativeKernel } from './native/loader.js';
import { loadWasmKernelSync } from './wasm/loader.js';

/** Outcome of trying to load each backend, for `tnkit info`. */
export interface BackendStatus {
  available: boolean;
  /** Why it is not available (the load error), or what it runs on. */
  detail: string;
}

const loaded = new Map<BackendName, Kernel>([['ts', tsKernel]]);
const statuses = new Map<BackendName, BackendStatus>([['ts', { available: true, detail: tsKernel.description }]]);
let probed = false;
let active: Kernel | undefined;

function probe(): void {
  if (probed) return;
  probed = true;
  for (const [name, load] of [['native', loadNativeKernel], ['wasm', loadWasmKernelSync]] as const) {
    try {
      const k = load();
      loaded.set(name, k);
      statuses.set(name, { available: true, detail: k.description });
    } catch (e) {
      statuses.set(name, { available: false, detail: (e as Error).message });
    }
  }
}

const PREFERENCE: BackendName[] = ['native', 'wasm', 'ts'];

/** Which backends loaded in this process, and why the others did not. */
export function backendStatus(): Record<BackendName, BackendStatus> {
  probe();
  return {
    native: statuses.get('native')!,
    wasm: statuses.get('wasm')!,
    ts: statuses.get('ts')!,
  };
}

/** The kernel of a named backend; throws naming the load error if it is unavailable. */
export function getBackend(name: BackendName): Kernel {
  probe();
  const k = loaded.get(name);
  if (!k) {
    const why = statuses.get(name)?.detail ?? 'unknown backend';
    throw new Error(`backend '${name}' is not available: ${why}`);
  }
  return k;
}

/** Names of the backends that loaded, fastest first. */
export function availableBackends(): BackendName[] {
  probe();
  return PREFERENCE.filter((n) => loaded.has(n));
}

/**
 * The active kernel: the one set by {@link setBackend}, else `TNKIT_BACKEND` from the
 * environment, else the fastest available (native, then wasm, then ts).
 */
export function getKernel(): Kernel {
  if (active) return active;
  const env = typeof process !== 'undefined' ? process.env['TNKIT_BACKEND'] : undefined;
  if (env) {
    if (!PREFERENCE.includes(env as BackendName)) {
      throw new Error(`TNKIT_BACKEND='${env}' is not a backend: use native, wasm or ts`);
    }
    active = getBackend(env as BackendName);
  } else {
    active = getBackend(availableBackends()[0]!);
  }
  return active;
}

/** Selects the backend used by every later operation. */
export function setBackend(name: BackendName): Kernel {
  if (!PREFERENCE.includes(name)) throw new Error(`'${name}' is not a backend: use native, wasm or ts`);
  active = getBackend(name);
  return active;
}

/** Registers a kernel loaded asynchronously (the wasm backend in a browser). */
export function registerBackend(kernel: Kernel): void {
  probe();
  loaded.set(kernel.name, kernel);
  statuses.set(kernel.name, { available: true, detail: kernel.description });
}

/** Runs `fn` with a backend active, restoring the previous one afterwards. */
export function withBackend<T>(name: BackendName, fn: () => T): T {
  const previous = active;
  active = getBackend(name);
  try {
    return fn();
  } finally {
    active = previous;
  }
}
