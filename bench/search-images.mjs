// Structure search on real images: a 512×512 grey image reshaped (row-major) to 4^9,
// compressed to a target RSE by every method through the same Evaluator code.
// usage: node bench/search-images.mjs [--dist DIR] [--images camera,astronaut] [--rse 0.1,0.05] [--layout interleaved|plain]
//        [--methods rgtn,ttsvd,trsvd,greedy,tnale,tnale-alloc] [--budget 120] [--seed 1]
//        (tnale-alloc: TnALE started from allocatedChain, RGTN's approximate-data start)
//        or, for the large 8th-order case, a synthetic 8^8 ring (16.7M entries, 134 MB f64):
//        node bench/search-images.mjs --ring8 2,2,2,2,2,2,2,2 --rse 1e-4 --methods ttsvd,trsvd,rgtn --budget 600
// Prints one JSON line per run on stderr and a markdown table on stdout.
// astronaut (RGB) is converted to grey as the mean of its channels.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    images: { type: 'string', default: 'camera,astronaut' },
    rse: { type: 'string', default: '0.1,0.05' },
    methods: { type: 'string', default: 'rgtn,ttsvd,trsvd,greedy,tnale' },
    budget: { type: 'string', default: '120' },
    seed: { type: 'string', default: '1' },
    layout: { type: 'string', default: 'interleaved' },
    ring8: { type: 'string' },
  },
});
const dist = resolve(values.dist);
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { readPng } = await imp('io/image.js');
const { Tensor } = await imp('tensor/tensor.js');
const searchIndex = await imp('search/index.js');
const dataDir = new URL('../data/images/', import.meta.url).pathname;
const shape = Array(9).fill(4);
// Every method through search(), plus 'tnale-alloc' (not a search() method): TnALE on the
// same Evaluator settings as search('tnale'), started from allocatedChain.
function search(method, x, options) {
  if (method !== 'tnale-alloc') return searchIndex.search(method, x, options);
  const ev = new searchIndex.Evaluator(x, { rse: options.target, seed: options.seed, budgetSeconds: options.budgetSeconds, restarts: 3 });
  const e0 = searchIndex.tnale(ev, { start: 'allocated' });
  const e = ev.best() ?? e0;
  return { method, ranks: e.R, params: e.params, cr: e.cr, rse: e.rse, seconds: ev.seconds(), evaluations: ev.evaluations };
}
if (values.layout !== 'plain' && values.layout !== 'interleaved') throw new Error(`--layout must be plain or interleaved, got ${values.layout}`);

// 'plain': the row-major 512×512 array read as 4^9 (modes 0–3 and half of 4 index rows).
// 'interleaved' (quantized / ket-augmented): mode k = 2·(row bit k) + (column bit k), most
// significant first, so each mode refines both axes by one scale.
function layout(img) {
  if (values.layout === 'plain') return img;
  const out = new Float64Array(img.length);
  for (let r = 0; r < 512; r++) for (let c = 0; c < 512; c++) {
    let q = 0;
    for (let k = 8; k >= 0; k--) q = q * 4 + 2 * ((r >> k) & 1) + ((c >> k) & 1);
    out[q] = img[r * 512 + c];
  }
  return out;
}

function greyImage(name) {
  const t = readPng(resolve(dataDir, `${name}.png`));
  const d = t.toTypedArray();
  if (t.ndim === 2) return new Float64Array(d);
  const [h, w, c] = t.shape;
  const out = new Float64Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += d[p * c + k];
    out[p] = s / c;
  }
  return out;
}

if (values.ring8) {
  const { contractCores, randomCores } = await imp('decompose/index.js');
  const { ringRankMatrix, paramCount } = await imp('network/index.js');
  const dims = Array(8).fill(8);
  const R = ringRankMatrix(8, values.ring8.split(',').map(Number));
  const x = contractCores(randomCores(dims, R, { seed: 101 }), R);
  const trueParams = paramCount(R, dims);
  console.log(`8^8 ring (${values.ring8}): true params ${trueParams}, CR ${(100 * trueParams / x.size).toFixed(4)}%`);
  console.log(`| method | params | CR | RSE | seconds | evaluations |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const target of values.rse.split(',').map(Number)) {
    for (const method of values.methods.split(',')) {
      const r = search(method, x, { rse: target, seed: Number(values.seed), budgetSeconds: Number(values.budget) });
      process.stderr.write(JSON.stringify({ case: 'ring8', target, method, params: r.params, trueParams, rse: r.rse, seconds: +r.seconds.toFixed(2), evaluations: r.evaluations, ranks: r.ranks }) + '\n');
      console.log(`| ${method} | ${r.params} | ${(100 * r.cr).toFixed(4)}% | ${r.rse.toExponential(1)} | ${r.seconds.toFixed(1)} | ${r.evaluations} |`);
    }
  }
  process.exit(0);
}

console.log(`| image | target RSE | method | params | CR | RSE | seconds | evaluations | ranks (edges) |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
for (const name of values.images.split(',')) {
  const data = greyImage(name);
  const x = new Tensor(layout(data), shape);
  for (const target of values.rse.split(',').map(Number)) {
    for (const method of values.methods.split(',')) {
      const r = search(method, x, { rse: target, seed: Number(values.seed), budgetSeconds: Number(values.budget) });
      const edges = [];
      for (let i = 0; i < r.ranks.length; i++) for (let j = i + 1; j < r.ranks.length; j++) if (r.ranks[i][j] > 1) edges.push(`${i}-${j}:${r.ranks[i][j]}`);
      process.stderr.write(JSON.stringify({ image: name, target, method, params: r.params, cr: r.cr, rse: r.rse, seconds: +r.seconds.toFixed(2), evaluations: r.evaluations, edges: edges.join(' ') }) + '\n');
      console.log(`| ${name} 4^9 ${values.layout} | ${target} | ${method} | ${r.params} | ${(100 * r.cr).toFixed(2)}% | ${r.rse.toFixed(4)}${r.rse <= target ? '' : ' (miss)'} | ${r.seconds.toFixed(1)} | ${r.evaluations} | ${edges.join(' ')} |`);
    }
  }
}
