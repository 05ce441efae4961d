// tnkit in a browser: the WebAssembly kernel, einsum, a TT-SVD and a small classifier,
// all from `tnkit/browser` (no Node file I/O). index.html maps that name to dist/browser.js;
// see the note there for how to serve it. The same function runs in Node (the examples test).
// @ts-check
import {
  loadWasmKernel, registerBackend, setBackend, getKernel,
  randn, einsum, ttSvd, ringRankMatrix, randomCores, contractCores, Classifier, Random, tensor,
} from 'tnkit/browser';

/**
 * Loads the wasm kernel from `wasmUrl`, makes it the backend and runs a few computations.
 * @param {string | URL} wasmUrl where build/wasm/tnkit.wasm is served
 * @returns {Promise<string[]>} one line per result
 */
export async function run(wasmUrl) {
  const lines = [];
  registerBackend(await loadWasmKernel(wasmUrl));
  setBackend('wasm');
  lines.push(`backend: ${getKernel().name}`);

  const a = randn([200, 300], { seed: 1 }), b = randn([300, 100], { seed: 2 });
  const t0 = performance.now();
  const c = einsum('ij,jk->ik', a, b);
  lines.push(`einsum ij,jk->ik: [${c.shape.join(', ')}] in ${(performance.now() - t0).toFixed(1)} ms`);

  // A tensor ring 5×6×5×6 with bonds 2,3,2,3, decomposed exactly as a tensor train.
  const R = ringRankMatrix(4, [2, 3, 2, 3]);
  const x = contractCores(randomCores([5, 6, 5, 6], R, { seed: 7 }), R);
  const tt = ttSvd(x, { rse: 1e-10 });
  lines.push(`ttSvd: ranks ${tt.ranks.join(',')}, RSE ${tt.rse.toExponential(1)}`);

  // A classifier trained in the page: two noisy clusters of 4 features (class 1 shifted by +1).
  const rng = new Random(3);
  const n = 200, features = 4;
  const y = Int32Array.from({ length: n }, (_, i) => i % 2);
  const X = tensor(Float64Array.from({ length: n * features }, (_, p) => 0.5 * rng.normal() + y[Math.floor(p / features)]), [n, features]);
  const clf = new Classifier({ bondDim: 4, epochs: 10, lr: 1e-2, seed: 0 }).fit(X, y);
  lines.push(`classifier: training accuracy ${clf.score(X, y).toFixed(3)} after ${clf.history.length} epochs`);
  return lines;
}
