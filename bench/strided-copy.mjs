// Permuted copies of a 4^9 f64 tensor (2 MB): the copies einsum makes of its operands in the
// ALS fits of structure search. Prints ms per copy for four permutations (50 copies each).
// usage: npm run build && node bench/strided-copy.mjs [--dist DIR]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({ options: { dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname } } });
const { randn } = await import(pathToFileURL(resolve(values.dist, 'tensor/create.js')).href);
const x = randn([4, 4, 4, 4, 4, 4, 4, 4, 4], { seed: 0 });
const perms = [[4, 0, 1, 2, 3, 5, 6, 7, 8], [0, 1, 2, 3, 5, 6, 7, 8, 4], [8, 0, 1, 2, 3, 4, 5, 6, 7], [1, 0, 2, 3, 4, 5, 6, 7, 8]];
for (const p of perms) {
  const view = x.permute(...p);
  for (let w = 0; w < 3; w++) view.copy();
  const n = 50;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) view.copy();
  console.log(JSON.stringify({ permutation: p, ms_per_copy: +((performance.now() - t0) / n).toFixed(3) }));
}
