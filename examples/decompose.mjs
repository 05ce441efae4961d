// Decompositions of one tensor: tensor train (TT-SVD), tensor ring (TR-SVD), Tucker and CP,
// each with its parameter count, compression ratio (CR = parameters / entries) and error.
//   node examples/decompose.mjs      (after `npm run build`)
// @ts-check
import { tensor, ttSvd, trSvd, tucker, cpAls, cpToTensor, rse, compressionRatio, contractCores, writeNpy } from 'tnkit';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A smooth 12 × 12 × 12 × 12 tensor, x[i,j,k,l] = 1 / (1 + i + j + k + l): numerically low rank.
const d = 12;
const values = new Float64Array(d ** 4);
for (let p = 0; p < values.length; p++) {
  const i = Math.floor(p / d ** 3), j = Math.floor(p / d ** 2) % d, k = Math.floor(p / d) % d, l = p % d;
  values[p] = 1 / (1 + i + j + k + l);
}
const x = tensor(values, [d, d, d, d]);

const tt = ttSvd(x, { rse: 1e-4 });
console.log(`TT-SVD  ranks ${tt.ranks.join(',')}: ${tt.params} parameters, CR ${compressionRatio(tt.params, x.shape).toFixed(4)}, RSE ${tt.rse.toExponential(2)}`);

// The cores rebuild the tensor through their rank matrix (any topology, here a chain).
const back = contractCores(tt.cores, tt.rankMatrix);
console.log(`TT cores contracted: RSE ${rse(back, x).toExponential(2)}`);

const tr = trSvd(x, { rse: 1e-4 });
console.log(`TR-SVD  ranks ${tr.ranks.join(',')}: ${tr.params} parameters, CR ${compressionRatio(tr.params, x.shape).toFixed(4)}, RSE ${tr.rse.toExponential(2)}`);

const tk = tucker(x, { rse: 1e-4 });
console.log(`Tucker  ranks ${tk.ranks.join(',')}: ${tk.params} parameters, CR ${compressionRatio(tk.params, x.shape).toFixed(4)}, RSE ${tk.rse.toExponential(2)}`);

const cp = cpAls(x, 4, { seed: 0 });
console.log(`CP-ALS  rank ${cp.rank}: ${cp.params} parameters, CR ${compressionRatio(cp.params, x.shape).toFixed(4)}, RSE ${rse(cpToTensor(cp.factors), x).toExponential(2)}`);

// Tensors go to and from numpy as .npy (np.load reads this file).
const file = join(mkdtempSync(join(tmpdir(), 'tnkit-example-')), 'x.npy');
writeNpy(file, x);
console.log(`wrote ${file}; the CLI does the same: npx tnkit decompose ${file} --format tt --rse 1e-4`);
