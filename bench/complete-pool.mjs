// Worker-pool speed-up of the population-based baselines: TNGA (or TnALE/TNLS) on one
// synthetic case with 0 (this thread), 1 and 2 worker threads, back to back, repeated.
// The results must be identical (same structure, RSE and evaluation count).
// usage: node bench/complete-pool.mjs [--method tnga|tnale|tnls] [--case r5] [--repeats 2]
//        [--population 12] [--generations 6] [--rse 1e-4] [--workers 0,1,2]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    method: { type: 'string', default: 'tnga' },
    case: { type: 'string', default: 'r5' },
    repeats: { type: 'string', default: '2' },
    population: { type: 'string', default: '12' },
    generations: { type: 'string', default: '6' },
    rse: { type: 'string', default: '1e-4' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '0,1,2' },
  },
});
const dist = resolve(values.dist);
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { contractCores, randomCores } = await imp('decompose/index.js');
const { ringRankMatrix } = await imp('network/index.js');
const { Evaluator } = await imp('search/evaluator.js');
const { tnga } = await imp('search/tnga.js');
const { tnale, tnls } = await imp('search/local-search.js');

const CASES = {
  r4: { dims: [4, 4, 4, 4], R: ringRankMatrix(4, [2, 3, 4, 3]) },
  r5: { dims: [4, 4, 4, 4, 4], R: ringRankMatrix(5, [2, 3, 4, 2, 3]) },
  r6: { dims: [4, 4, 4, 4, 4, 4], R: ringRankMatrix(6, [2, 3, 4, 2, 3, 4]) },
};
const { dims, R } = CASES[values.case];
const seed = Number(values.seed);
const x = contractCores(randomCores(dims, R, { seed: 100 + seed }), R);
const target = Number(values.rse);
const run = (workers) => {
  const ev = new Evaluator(x, { rse: target, seed, restarts: 3 });
  const t0 = performance.now();
  let e;
  if (values.method === 'tnga') e = tnga(ev, { seed, workers, population: Number(values.population), generations: Number(values.generations) });
  else if (values.method === 'tnls') e = tnls(ev, { seed, workers });
  else e = tnale(ev, { workers });
  const seconds = (performance.now() - t0) / 1000;
  return { workers, seconds: +seconds.toFixed(2), params: e.params, rse: e.rse, evaluations: ev.evaluations, fits: ev.fits, ranks: JSON.stringify(e.R) };
};
const rows = [];
for (let rep = 0; rep < Number(values.repeats); rep++) {
  for (const w of values.workers.split(',').map(Number)) {
    const r = run(w);
    rows.push({ rep, ...r });
    process.stderr.write(JSON.stringify({ method: values.method, case: values.case, rep, ...r }) + '\n');
  }
}
const same = rows.every((r) => r.ranks === rows[0].ranks && r.rse === rows[0].rse && r.evaluations === rows[0].evaluations);
console.log(`identical results across worker counts: ${same}`);
for (const w of values.workers.split(',').map(Number)) {
  const s = rows.filter((r) => r.workers === w).map((r) => r.seconds);
  console.log(`workers ${w}: seconds ${s.join(', ')}`);
}
