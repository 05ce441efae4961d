/**
 * Vite build of the tnkit page: `npm run build:web` writes build/web/ (git-ignored);
 * `npm run web` serves that folder. The page imports the library as `tnkit/browser`,
 * aliased to the source entry src/browser.ts, so it needs no prior `npm run build:ts`;
 * the wasm kernel (build/wasm/tnkit.wasm, from `npm run build:wasm`) is copied in as an asset.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset paths: the built folder works wherever it is served from.
  base: './',
  resolve: {
    alias: [{ find: /^tnkit\/browser$/, replacement: fileURLToPath(new URL('../src/browser.ts', import.meta.url)) }],
  },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../build/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // vega, vega-lite and Graphviz are large; one chunk each is expected.
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
  server: { fs: { allow: [root] } },
  preview: { host: '127.0.0.1' },
});
