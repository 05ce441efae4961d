import { wasmKernelFromInstance, type WasmKernel } from './backend.js';

export type { WasmKernel } from './backend.js';

const NOT_BUILT = 'wasm kernel not built: run npm run build:wasm';

/** build/wasm/tnkit.wasm in the package root; this file (src/… or dist/…) is three levels below it. */
const WASM_URL = new URL('../../../build/wasm/tnkit.wasm', import.meta.url);

/**
 * Loads the WebAssembly SIMD kernel synchronously from the package's build/wasm/tnkit.wasm
 * (Node only; node:fs is fetched at call time so browser bundles never import it).
 * @throws Error "wasm kernel not built: run npm run build:wasm" when the file is missing.
 */
export function loadWasmKernelSync(): WasmKernel {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new Error('loadWasmKernelSync needs Node.js ≥ 20.16 (process.getBuiltinModule); elsewhere use await loadWasmKernel(url)');
  }
  const fs = proc.getBuiltinModule('node:fs');
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fs.readFileSync(WASM_URL) as Uint8Array<ArrayBuffer>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(NOT_BUILT);
    throw e;
  }
  const module = new WebAssembly.Module(bytes);
  return wasmKernelFromInstance(new WebAssembly.Instance(module, {}));
}

/**
 * Loads the WebAssembly SIMD kernel asynchronously, for browsers (and Node). `source` is
 * the module's bytes, a Response, or a URL/string to fetch; file: URLs are read with
 * node:fs. Register the result with `registerBackend` to make it selectable.
 */
export async function loadWasmKernel(source: BufferSource | URL | Response | string): Promise<WasmKernel> {
  const bytes = await wasmBytes(source);
  const { instance } = await WebAssembly.instantiate(bytes, {});
  return wasmKernelFromInstance(instance);
}

async function wasmBytes(source: BufferSource | URL | Response | string): Promise<BufferSource> {
  if (typeof source === 'string' || source instanceof URL) {
    const href = String(source);
    if (href.startsWith('file:')) {
      // Taken at call time (not import('node:fs/promises')) so browser bundles see no Node module.
      const { readFile } = (globalThis as { process: NodeJS.Process }).process.getBuiltinModule('node:fs/promises');
      try {
        return (await readFile(new URL(href))) as Uint8Array<ArrayBuffer>;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${NOT_BUILT} (${href} is missing)`);
        throw e;
      }
    }
    return responseBytes(await fetch(source), href);
  }
  if (isResponse(source)) return responseBytes(source, source.url);
  return source;
}

function isResponse(x: BufferSource | Response): x is Response {
  return typeof Response !== 'undefined' && x instanceof Response;
}

async function responseBytes(response: Response, where: string): Promise<ArrayBuffer> {
  if (!response.ok) throw new Error(`wasm kernel: fetching ${where} failed with HTTP ${response.status}`);
  return response.arrayBuffer();
}
