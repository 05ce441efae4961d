#!/usr/bin/env node
// Decomposition benchmark (not a test): tnkit TT-SVD on a 16^5 tensor against the same
// TT-SVD in numpy (bench/ttsvd_numpy.py, one OpenBLAS thread) in one run, and the time of
// one TR-ALS sweep against the time of the einsum/gemm steps it is made of.
//
//   node bench/decompose.mjs            (uses the compiled ../dist)
//   TNKIT_DIST=/path/to/dist node bench/decompose.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const distDir = process.env.TNKIT_DIST ?? new URL('../dist', import.meta.url).pathname;
const load = (p) => import(pathToFileURL(join(distDir, p)).href);
const { randn } = await load('tensor/create.js');
const { Random } = await load('tensor/random.js');
const { getKernel } = await load('kernels/registry.js');
const { einsum } = await load('einsum/index.js');
const { matmul } = await load('linalg/matmul.js');
const { writeNpy } = await load('io/npy-file.js');
const { ttSvd, fitCores, randomCores } = await load('decompose/index.js');
const { ringRankMatrix } = await load('network/index.js');
const { labelNetwork, spareLetter } = await load('network/core-layout.js');

function medianMs(fn, minSeconds = 1, minReps = 3) {
  fn();
  const times = [];
  const start = performance.now();
  while (times.length < minReps || (performance.now() - start < minSeconds * 1000 && times.length < 50)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const kernel = getKernel();
console.log(`backend: ${kernel.name} (${kernel.description})`);

// --- TT-SVD, 16^5, against numpy ---------------------------------------------------
const dims = [16, 16, 16, 16, 16];
const bound = Number(process.env.RSE ?? 0.1);
const x = randn(dims, { rng: new Random(1) });
const dir = mkdtempSync(join(tmpdir(), 'tnkit-bench-'));
const file = join(dir, 'x.npy');
writeNpy(file, x);
const tt = ttSvd(x, { rse: bound });
const ttMs = medianMs(() => ttSvd(x, { rse: bound }));
const py = spawnSync('/usr/bin/python3', [new URL('./ttsvd_numpy.py', import.meta.url).pathname, file, String(bound)], {
  env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  encoding: 'utf8',
});
if (py.status !== 0) {
  console.log(`numpy reference failed: ${py.stderr}`);
} else {
  const ref = JSON.parse(py.stdout);
  console.log(`TT-SVD 16^5 rse ${bound}: tnkit ${ttMs.toFixed(1)} ms (ranks ${tt.ranks.join(',')}, rse ${tt.rse.toExponential(3)}), ` +
    `numpy ${ref.numpy} ${ref.ms.toFixed(1)} ms (ranks ${ref.ranks.join(',')}, rse ${ref.rse.toExponential(3)})`);
  console.log(`  tnkit / numpy time: ${(ttMs / ref.ms).toFixed(2)}×  (target ≤ 1.2×)`);
}

// --- TR-ALS sweep vs its einsum/gemm steps ------------------------------------------
const trRank = Number(process.env.TR_RANK ?? 6);
const R = ringRankMatrix(dims.length, dims.map(() => trRank));
const init = randomCores(dims, R, { seed: 2 });
const fit = (iters) => fitCores(x, R, { init, iters, tol: 0 });
// One sweep = (time of 3 sweeps − time of 1 sweep) / 2: the set-up and final RSE cancel.
const t1 = medianMs(() => fit(1));
const t3 = medianMs(() => fit(3));
const sweepMs = (t3 - t1) / 2;

// The same steps on their own: per core, the design einsum, the projection X·Mᵀ, the Gram
// (double-layer einsum or gemm, as fitCores picks) and, once per sweep, the model rebuild.
const labels = labelNetwork(R);
const all = labels.physical.join('');
const stepsMs = dims.map((_, i) => {
  const others = init.filter((_, j) => j !== i);
  const otherLabels = labels.core.filter((_, j) => j !== i);
  const otherPhys = labels.physical.filter((_, j) => j !== i).join('');
  const bonds = labels.bonds[i];
  const M = einsum(`${otherLabels.join(',')}->${bonds}${otherPhys}`, ...others);
  const bondSize = init[i].size / dims[i];
  const otherSize = M.size / bondSize;
  const primed = new Map([...labels.edge.values()].map((l, k) => [l, spareLetter(labels, k)]));
  const prime = (s) => [...s].map((c) => primed.get(c) ?? c).join('');
  const gramSpec = `${otherLabels.join(',')},${otherLabels.map(prime).join(',')}->${bonds}${prime(bonds)}`;
  let ms = medianMs(() => einsum(`${otherLabels.join(',')}->${bonds}${otherPhys}`, ...others), 0.3);
  ms += medianMs(() => einsum(`${all},${bonds}${otherPhys}->${labels.physical[i]}${bonds}`, x, M), 0.3);
  const gramNet = medianMs(() => einsum(gramSpec, ...others, ...others), 0.3);
  const M2 = M.reshape(bondSize, otherSize);
  const gramGemm = medianMs(() => matmul(M2, M2, { transB: true }), 0.3);
  ms += Math.min(gramNet, gramGemm);
  if (i === dims.length - 1) ms += medianMs(() => einsum(`${labels.core[i]},${bonds}${otherPhys}->${all}`, init[i], M), 0.3);
  return ms;
});
const stepSum = stepsMs.reduce((s, v) => s + v, 0);
console.log(`TR-ALS 16^5 ranks ${trRank}: one sweep ${sweepMs.toFixed(1)} ms; its einsum/gemm steps alone ${stepSum.toFixed(1)} ms`);
console.log(`  sweep / steps: ${(sweepMs / stepSum).toFixed(2)}×  (the rest: gauge QRs, normal-equation solves, RSE, copies)`);
