// Synthetic structure-search benchmark: exact tensors with a known structure (random
// Gaussian cores), success = a structure with ≤ true params at RSE ≤ 1e-4.
// Cases: r* tensor rings, t8 a tensor train, g* random connected graphs with a cycle that
// are neither a ring nor a chain (fixed graph seed; the core seeds vary like the rings').
// usage: node bench/search.mjs [--dist DIR] [--cases r4,r5,r6,t8,r84,g4,g5,g6] [--methods rgtn,greedy,...]
//        [--seeds 1,2,3,4,5] [--budget SECONDS] [--rse 1e-4]
//        RGTN ablations: [--scales N] [--order flow|random] [--gated [--delta δ]] [--restarts K]
//        TNGA: [--tnga-edge-prob P] (first generation: each pair joined with probability P; default 1)
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
    'tnga-edge-prob': { type: 'string' },
  },
});
const dist = resolve(values.dist);
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { contractCores, randomCores } = await imp('decompose/index.js');
const { ringRankMatrix, chainRankMatrix, randomGraphRankMatrix, neighbours, paramCount } = await imp('network/index.js');
const { search, gatedSearch } = await imp('search/index.js');
const registry = await imp('kernels/registry.js');
if (registry.getKernel().name !== 'native') console.error(`warning: running on the ${registry.getKernel().name} backend, not native: ${JSON.stringify(registry.backendStatus?.() ?? {})} (the addon and wasm are looked for in build/ next to the dist used)`);

const CASES = {
  r84: { dims: [8, 8, 8, 8], R: ringRankMatrix(4, [3, 3, 4, 3]) },
  r4: { dims: [4, 4, 4, 4], R: ringRankMatrix(4, [2, 3, 4, 3]) },
  r5: { dims: [4, 4, 4, 4, 4], R: ringRankMatrix(5, [2, 3, 4, 2, 3]) },
  r6: { dims: [4, 4, 4, 4, 4, 4], R: ringRankMatrix(6, [2, 3, 4, 2, 3, 4]) },
  t8: { dims: [4, 4, 4, 4, 4, 4, 4, 4], R: chainRankMatrix(8, [2, 3, 4, 3, 2, 3, 4]) },
  // Graph seeds picked so that g4 is a triangle with a pendant core, g5 two triangles
  // sharing a core, g6 two triangles sharing a bond plus pendant cores.
  g4: randomGraphCase(4, 8),
  g5: randomGraphCase(5, 10),
  g6: randomGraphCase(6, 8),
};

/** A random-graph case: edge probability 0.3, bonds 2–4, dims 4; checks it has a cycle and is not a ring. */
function randomGraphCase(order, graphSeed) {
  const R = randomGraphRankMatrix(order, { edgeProb: 0.3, rankRange: [2, 4], seed: graphSeed });
  const degrees = R.map((_, i) => neighbours(i, R).length);
  const edges = degrees.reduce((s, d) => s + d, 0) / 2;
  const ring = edges === order && degrees.every((d) => d === 2);
  // Connected (the generator guarantees it), so more than order − 1 bonds means a cycle; a chain has none.
  if (edges <= order - 1 || ring) throw new Error(`graph case of order ${order} (seed ${graphSeed}) is a ${ring ? 'ring' : 'tree'}`);
  return { dims: new Array(order).fill(4), R, graph: `random graph (seed ${graphSeed}, edge prob 0.3, bonds 2–4), ${edges} bonds, degrees ${degrees.join(',')}` };
}
const target = Number(values.rse);
const budget = Number(values.budget);
const seeds = values.seeds.split(',').map(Number);
for (const name of values.cases.split(',')) {
  if (!CASES[name]) throw new Error(`unknown case '${name}': expected one of ${Object.keys(CASES).join(', ')}`);
  if (CASES[name].graph) console.log(`${name}: ${CASES[name].graph}; rank matrix ${JSON.stringify(CASES[name].R)}\n`);
}
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
      if (values.restarts) rg.restarts = Number(values.restarts);
      // --gated: RGTN runs as the paper's gated search (its own strategy), with --scales and --delta.
      const r = values.gated && method === 'rgtn'
        ? gatedSearch(x, { rse: target, seed, budgetSeconds: budget, ...(rg.scales !== undefined ? { scales: rg.scales } : {}), ...(values.delta !== undefined ? { delta: Number(values.delta) } : {}) })
        : search(method, x, { rse: target, seed, budgetSeconds: budget, rgtn: rg, ...(values['tnga-edge-prob'] ? { tngaInitEdgeProb: Number(values['tnga-edge-prob']) } : {}) });
      const ok = r.rse <= target && r.params <= trueParams;
      runs.push({ ok, ratio: r.params / trueParams, rse: r.rse, seconds: r.seconds, evaluations: r.evaluations });
      process.stderr.write(JSON.stringify({ case: name, method, seed, params: r.params, trueParams, rse: r.rse, seconds: +r.seconds.toFixed(2), evaluations: r.evaluations, ranks: r.ranks }) + '\n');
    }
    const med = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    console.log(`| ${name} ${dims.join('×')} | ${trueParams} (${(100 * trueParams / size).toFixed(2)}%) | ${method} | ${runs.filter((r) => r.ok).length}/${runs.length} | ${med(runs.map((r) => r.ratio)).toFixed(2)} | ${med(runs.map((r) => r.rse)).toExponential(1)} | ${mean(runs.map((r) => r.seconds)).toFixed(1)} | ${mean(runs.map((r) => r.evaluations)).toFixed(0)} |`);
  }
}
