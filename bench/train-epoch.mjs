// Seconds per epoch of the breast-cancer MPS classifier (455 training samples, 30 sites,
// d = 3, class index at site 15, batch 32, Adam) at bond 10, 20, 50, in f64 and f32.
// Reference (PyTorch MPS classifier, float32, one thread, same machine): ≈0.09 s/epoch at
// bond 20 and ≈0.21 s at bond 50 (the script says whether /usr/bin/python3 has torch; it
// does not time a PyTorch model itself). Run after `npm run build`: node bench/train-epoch.mjs
import { execFileSync } from 'node:child_process';
const dist = process.env.TNKIT_DIST ?? new URL('../dist/', import.meta.url).href;
const { MpsModel } = await import(`${dist}/ml/models/mps-model.js`);
const { train, productStateSource, supervisedProblem } = await import(`${dist}/ml/training/index.js`);
const { polynomial } = await import(`${dist}/ml/embeddings/index.js`);
const { rand } = await import(`${dist}/tensor/create.js`);
const { adam } = await import(`${dist}/autodiff/index.js`);
const { getKernel } = await import(`${dist}/kernels/registry.js`);

let torchVersion = null;
try {
  torchVersion = execFileSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
} catch { torchVersion = null; }

const n = 455;
const X = rand([n, 30], { seed: 1 });
const y = Int32Array.from({ length: n }, (_, i) => (X.get(i, 0) > 0.5 ? 1 : 0));
const emb = polynomial({ degree: 2, bias: true });
console.log(`backend ${getKernel().name}; ${n} samples, 30 sites, d=3, batch 32, Adam; median of 5 epochs after 1 warm-up`);
console.log('| bond | dtype | s/epoch | reference (PyTorch f32) |');
console.log('|---|---|---|---|');
const reference = { 10: null, 20: 0.09, 50: 0.21 };
for (const bondDim of [10, 20, 50]) {
  for (const dtype of ['f64', 'f32']) {
    const model = MpsModel.create({ sites: 30, physDim: 3, bondDim, outputDim: 2, outputSite: 15, dtype, seed: 0 });
    const data = productStateSource(X.astype(dtype), emb, { labels: y });
    const times = [];
    train(supervisedProblem(model), data, { epochs: 6, batchSize: 32, optimizer: adam({ lr: 1e-3 }), dtype, onEpoch: ({ record }) => void times.push(record.seconds) });
    const s = times.slice(1).sort((a, b) => a - b)[2];
    const ref = reference[bondDim];
    console.log(`| ${bondDim} | ${dtype} | ${s.toFixed(4)} | ${ref === null ? '—' : `${ref} (×${(ref / s).toFixed(1)} faster)`} |`);
  }
}
console.log(torchVersion === null
  ? 'PyTorch is not installed in /usr/bin/python3: compared with the reference figures above.'
  : `PyTorch ${torchVersion} is installed, but this script does not time it yet: compared with the reference figures above.`);
