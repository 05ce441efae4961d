// Structure search: which network (topology and bond ranks) represents a tensor with the
// fewest parameters at a target error? Here the tensor is a hidden tensor ring; RGTN finds a
// structure of the ring's size, while TT-SVD, at the same error, needs more parameters.
//   node examples/search.mjs         (after `npm run build`)
// @ts-check
import { ringRankMatrix, randomCores, contractCores, paramCount, search } from 'tnkit';

// The hidden truth: a 3×3×3×3×3 tensor ring with bonds of 2 (cores i and i+1 mod 5 joined).
const dims = [3, 3, 3, 3, 3];
const truth = ringRankMatrix(5, [2, 2, 2, 2, 2]);
const x = contractCores(randomCores(dims, truth, { seed: 1 }), truth);
console.log(`hidden ring: ${paramCount(truth, dims)} parameters for ${x.size} entries`);

for (const method of ['ttsvd', 'rgtn']) {
  const r = search(method, x, { rse: 1e-2, seed: 0 });
  console.log(`${method}: ${r.params} parameters (CR ${r.cr.toFixed(4)}), RSE ${r.rse.toExponential(2)}, ` +
    `${r.evaluations} evaluations in ${r.seconds.toFixed(1)} s`);
  // ranks[i][j] is the bond between cores i and j (1: not joined).
  const edges = r.ranks.flatMap((row, i) => row.map((b, j) => (j > i && b > 1 ? `${i}-${j}:${b}` : '')).filter((e) => e));
  console.log(`${method} edges: ${edges.join(' ')}`);
}
