// Synthetic structure-search benchmark: exact tensors with a known structure (random
// Gaussian cores), success = a structure with ≤ true params at RSE ≤ 1e-4.
// usage: node bench/search.mjs [--dist DIR] [--cases r4,r5,r6,t8,r84] [--methods rgtn,greedy,...]
//        [--seeds 1,2,3,4,5] [--budget SECONDS] [--rse 1e-4]
//        RGTN ablations: [--scales N] [--order flow|random] [--gated [--delta δ]] [--restarts K]
// Prints one JSON line per run on stderr and a markdown table on stdout.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    cases: { type: 'string', default: 'r4,r5,r6,t8' },
    methods: { type: 'string', default: 'rgtn,ttsvd,trsvd,greedy,tnale,tnls,tnga' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    budget: { type: 'string', default: '60' },
    rse: { type: 'string', default: '1e-4' },
    scales: { type: 'string' },
    order: { type: 'string' },
    gated: { type: 'boolean', default: false },
    restarts: { type: 'string' },
    delta: { type: 'string' },
  },
});
const dist = resolve(values.dist);
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { contractCores, randomCores } = await imp('decompose/index.js');
const { ringRankMatrix, chainRankMatrix, paramCount } = await imp('network/index.js');
const { search } = await imp('search/index.js');

const CASES = {
  r84: { dims: [8, 8, 8, 8], R: ringRankMatrix(4, [3, 3, 4, 3]) },
  r4: { dims: [4, 4, 4, 4], R: ringRankMatrix(4, [2, 3, 4, 3]) },
  r5: { dims: [4, 4, 4, 4, 4], R: ringRankMatrix(5, [2, 3, 4, 2, 3]) },
  r6: { dims: [4, 4, 4, 4, 4, 4], R: ringRankMatrix(6, [2, 3, 4, 2, 3, 4]) },
  t8: { dims: [4, 4, 4, 4, 4, 4, 4, 4], R: chainRankMatrix(8, [2, 3, 4, 3, 2, 3, 4]) },
};
const target = Number(values.rse);
const budget = Number(values.budget);
const seeds = values.seeds.split(',').map(Number);
console.log(`| case | true params (CR) | method | success | params found / true (median) | RSE (median) | seconds (mean) | evaluations (mean) |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const name of values.cases.split(',')) {
  const { dims, R } = CASES[name];
  const trueParams = paramCount(R, dims);
  const size = dims.reduce((p, d) => p * d, 1);
  for (const method of values.methods.split(',')) {
    const runs = [];
    for (const seed of seeds) {
      const x = contractCores(randomCores(dims, R, { seed: 100 + seed }), R);
      const rg = {};
      if (values.scales) rg.scales = Number(values.scales);
      if (values.order) rg.order = values.order;
      if (values.gated) rg.gated = true;
      if (values.restarts) rg.restarts = Number(values.restarts);
      if (values.delta !== undefined) rg.delta = Number(values.delta);
      const r = search(method, x, { target, seed, budgetSeconds: budget, rgtn: rg });
      const ok = r.rse <= target && r.params <= trueParams;
      runs.push({ ok, ratio: r.params / trueParams, rse: r.rse, seconds: r.seconds, evaluations: r.evaluations });
      process.stderr.write(JSON.stringify({ case: name, method, seed, params: r.params, trueParams, rse: r.rse, seconds: +r.seconds.toFixed(2), evaluations: r.evaluations, ranks: r.ranks }) + '\n');
    }
    const med = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    console.log(`| ${name} ${dims.join('×')} | ${trueParams} (${(100 * trueParams / size).toFixed(2)}%) | ${method} | ${runs.filter((r) => r.ok).length}/${runs.length} | ${med(runs.map((r) => r.ratio)).toFixed(2)} | ${med(runs.map((r) => r.rse)).toExponential(1)} | ${mean(runs.map((r) => r.seconds)).toFixed(1)} | ${mean(runs.map((r) => r.evaluations)).toFixed(0)} |`);
  }
}
