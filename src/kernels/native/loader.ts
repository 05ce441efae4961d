import type { FloatArray } from '../../tensor/dtype.js';
import { checkGemmArgs, type EighResult, type Kernel, type QrResult, type SvdResult } from '../kernel.js';

/** The functions the compiled addon (tnkit_native.c) exports. */
interface NativeAddon {
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray,
  ): void;
  gemmBatched(
    transA: boolean, transB: boolean, batch: number, m: number, n: number, k: number,
    alpha: number, a: FloatArray, strideA: number, b: FloatArray, strideB: number,
    beta: number, c: FloatArray,
  ): void;
  svd(a: FloatArray, m: number, n: number): SvdResult;
  qr(a: FloatArray, m: number, n: number): QrResult;
  eigh(a: FloatArray, n: number): EighResult;
  setThreads(n: number): void;
  threads(): number;
  config(): string;
  /** Products with every dimension ≤ this use the direct C loop instead of cblas. */
  readonly smallDim: number;
}

/** Where `npm run build:native` puts the addon, relative to the package root. */
const ADDON_PATH = 'build/Release/tnkit_native.node';

/** Node's built-in modules, fetched at call time so a browser bundle never imports them. */
function nodeBuiltins(): { fs: typeof import('node:fs'); module: typeof import('node:module'); url: typeof import('node:url') } {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (!get) throw new Error('the native backend needs Node.js ≥ 20.16 (it is not available in a browser)');
  return {
    fs: get('node:fs') as typeof import('node:fs'),
    module: get('node:module') as typeof import('node:module'),
    url: get('node:url') as typeof import('node:url'),
  };
}

/** Thread count from TNKIT_THREADS (default 1, so benchmarks measure one core). */
function threadsFromEnv(): number {
  const raw = process.env['TNKIT_THREADS'];
  if (raw === undefined || raw.trim() === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`TNKIT_THREADS='${raw}' is not a positive integer`);
  }
  return n;
}

let cached: Kernel | undefined;

/**
 * Loads the Node-API OpenBLAS addon and wraps it in the {@link Kernel} interface.
 * OpenBLAS runs on one thread unless `TNKIT_THREADS` says otherwise.
 *
 * @throws Error saying why the backend is unavailable (addon not built, OpenBLAS
 *   missing at run time, bad TNKIT_THREADS).
 */
export function loadNativeKernel(): Kernel {
  if (cached) return cached;
  const { fs, module, url } = nodeBuiltins();
  // This file is src/kernels/native/loader.ts under vitest and dist/kernels/native/loader.js
  // once compiled: three levels below the package root either way.
  // (A variable, not a literal, inside new URL(): bundlers such as Vite would otherwise copy
  // every file of the package root into a browser build as possible assets.)
  const fromHere = `../../../${ADDON_PATH}`;
  const file = url.fileURLToPath(new URL(fromHere, import.meta.url));
  if (!fs.existsSync(file)) {
    throw new Error(`native addon not built: run npm run build:native (needs libopenblas-dev); looked for ${file}`);
  }
  let addon: NativeAddon;
  try {
    addon = module.createRequire(import.meta.url)(file) as NativeAddon;
  } catch (e) {
    throw new Error(`native addon failed to load (${(e as Error).message.split('\n')[0]}); rebuild with npm run build:native`);
  }
  const threads = threadsFromEnv();
  addon.setThreads(threads);
  cached = wrap(addon, threads);
  return cached;
}

function checkCount(name: string, label: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name}: ${label} = ${v} is not a non-negative integer`);
}

function checkMatrix(name: string, a: FloatArray, m: number, n: number): void {
  if (!(a instanceof Float64Array || a instanceof Float32Array)) {
    throw new TypeError(`${name}: a must be a Float64Array or Float32Array`);
  }
  checkCount(name, 'm', m);
  checkCount(name, 'n', n);
  if (a.length < m * n) throw new RangeError(`${name}: a has ${a.length} elements, needs ${m}×${n} = ${m * n}`);
}

function wrap(addon: NativeAddon, threads: number): Kernel {
  const config = addon.config().replace(/\s+/g, ' ').trim();
  return {
    name: 'native',
    description: `${config} via Node-API, ${threads} thread${threads === 1 ? '' : 's'}`,
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      checkGemmArgs('gemm', m, n, k, a, m * k, b, k * n, c, m * n);
      addon.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    },
    gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c) {
      checkCount('gemmBatched', 'batch', batch);
      checkCount('gemmBatched', 'strideA', strideA);
      checkCount('gemmBatched', 'strideB', strideB);
      const last = Math.max(batch - 1, 0);
      checkGemmArgs(
        'gemmBatched', m, n, k,
        a, batch === 0 ? 0 : last * strideA + m * k,
        b, batch === 0 ? 0 : last * strideB + k * n,
        c, batch * m * n,
      );
      addon.gemmBatched(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c);
    },
    svd(a, m, n) {
      checkMatrix('svd', a, m, n);
      return addon.svd(a, m, n);
    },
    qr(a, m, n) {
      checkMatrix('qr', a, m, n);
      return addon.qr(a, m, n);
    },
    eigh(a, n) {
      checkMatrix('eigh', a, n, n);
      return addon.eigh(a, n);
    },
  };
}
