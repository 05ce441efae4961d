// Seconds per training epoch of tnkit's MPS classifier against a plain PyTorch MPS classifier
// of the same size and contraction order (bench/train_epoch_torch.py), timed in the same run:
//  - breast-cancer-sized: 455 samples, 30 sites, d = 3, class index at site 15, bond 10, 20, 50;
//  - MNIST 14×14-sized: 2,000 images, 196 sites, d = 3, class site 98, 10 classes, bond 10, 20;
// batch 32, Adam (lr 1e-3), f64 and f32; uniform random data (an epoch's time does not depend on
// the values). Median of 5 epochs (MNIST: 3) after 1 warm-up, on both sides. PyTorch runs with
// one thread through /usr/bin/python3; without torch it is skipped with the reason printed.
// Run after `npm run build`: node bench/train-epoch.mjs   (CASES=breast-cancer or CASES=mnist to run one)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const dist = process.env.TNKIT_DIST ?? new URL('../dist/', import.meta.url).href;
const { MpsModel } = await import(`${dist}/ml/models/mps-model.js`);
const { train, productStateSource, supervisedProblem } = await import(`${dist}/ml/training/index.js`);
const { polynomial } = await import(`${dist}/ml/embeddings/index.js`);
const { rand } = await import(`${dist}/tensor/create.js`);
const { adam } = await import(`${dist}/autodiff/index.js`);
const { getKernel } = await import(`${dist}/kernels/registry.js`);

const cases = (process.env.CASES ?? 'breast-cancer,mnist').split(',');
const plan = [
  ...(cases.includes('breast-cancer') ? [10, 20, 50].map((bond) => ({ name: 'breast-cancer', n: 455, sites: 30, classes: 2, bond, epochs: 5 })) : []),
  ...(cases.includes('mnist') ? [10, 20].map((bond) => ({ name: 'mnist', n: 2000, sites: 196, classes: 10, bond, epochs: 3 })) : []),
];

/** Median seconds per epoch of tnkit on one case (first epoch is a warm-up). */
function tnkitEpoch({ n, sites, classes, bond, epochs }, dtype) {
  const X = rand([n, sites], { seed: 1 });
  const u = rand([n], { seed: 2 });
  const y = Int32Array.from({ length: n }, (_, i) => (classes === 2 ? (X.get(i, 0) > 0.5 ? 1 : 0) : Math.min(classes - 1, Math.floor(u.get(i) * classes))));
  const model = MpsModel.create({ sites, physDim: 3, bondDim: bond, outputDim: classes, outputSite: Math.floor(sites / 2), dtype, seed: 0 });
  const data = productStateSource(X.astype(dtype), polynomial({ degree: 2, bias: true }), { labels: y });
  const times = [];
  train(supervisedProblem(model), data, { epochs: epochs + 1, batchSize: 32, optimizer: adam({ lr: 1e-3 }), dtype, onEpoch: ({ record }) => void times.push(record.seconds) });
  const sorted = times.slice(1).sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1];
}

/** PyTorch's figures keyed by `case/bond/dtype`, or the reason there are none. */
function torchEpochs() {
  const script = fileURLToPath(new URL('./train_epoch_torch.py', import.meta.url));
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: ['ignore', 'ignore', 'ignore'] });
  } catch {
    return { reason: 'PyTorch is not importable from /usr/bin/python3 (apt-get install python3-torch), so the torch column is skipped' };
  }
  try {
    const out = execFileSync('/usr/bin/python3', [script, '--cases', cases.join(',')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '1' } }).toString();
    const figures = new Map();
    let version = '';
    for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
      const r = JSON.parse(line);
      figures.set(`${r.case}/${r.bond}/${r.dtype}`, r.seconds);
      version = r.torch;
    }
    return { figures, version };
  } catch (e) {
    return { reason: `bench/train_epoch_torch.py failed: ${e.message.split('\n')[0]}` };
  }
}

console.log(`tnkit backend ${getKernel().name}; batch 32, Adam, d=3; median epoch after 1 warm-up`);
const tnkit = new Map();
for (const c of plan) for (const dtype of ['f64', 'f32']) tnkit.set(`${c.name}/${c.bond}/${dtype}`, tnkitEpoch(c, dtype));
const torch = torchEpochs();
console.log(torch.reason ?? `PyTorch ${torch.version}, one thread, same machine, run right after tnkit`);
console.log('| case | samples | bond | dtype | tnkit s/epoch | torch s/epoch | torch / tnkit |');
console.log('|---|---|---|---|---|---|---|');
for (const c of plan) {
  for (const dtype of ['f64', 'f32']) {
    const key = `${c.name}/${c.bond}/${dtype}`;
    const t = tnkit.get(key);
    const p = torch.figures?.get(key);
    const ratio = p === undefined ? '—' : `${(p / t).toFixed(2)}×`;
    console.log(`| ${c.name} | ${c.n} | ${c.bond} | ${dtype} | ${t.toFixed(4)} | ${p === undefined ? '—' : p.toFixed(4)} | ${ratio} |`);
  }
}
console.log('torch / tnkit > 1 means tnkit is faster.');
