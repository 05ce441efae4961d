// Tensors, einsum and SVD: the core every other part of tnkit is built on.
//   node examples/tensors.mjs        (after `npm run build`; `npm ci` builds too)
// @ts-check
import { einsum, einsumPath, randn, svd, truncatedSvd, norm, sub, getKernel } from 'tnkit';

// Seeded random tensors: the same numbers on every backend and machine.
const a = randn([64, 32, 16], { seed: 0 });
const b = randn([16, 8], { seed: 1 });

// einsum with numpy's syntax; each pairwise step runs as one batched gemm.
const c = einsum('ijk,kl->ijl', a, b);
console.log(`einsum ijk,kl->ijl: shape [${c.shape.join(', ')}] on the ${getKernel().name} backend`);

// The contraction path of a chain of three matrices, chosen by cost (FLOPs).
const path = einsumPath('ab,bc,cd->ad', [10, 1000], [1000, 5], [5, 200]);
console.log(`path of ab,bc,cd->ad: ${JSON.stringify(path.path)}, ${(path.naiveFlops / path.optimizedFlops).toFixed(0)}× fewer FLOPs than one loop nest`);

// SVD of the 64 × 128 matricization, and a truncation to 1 % relative error.
const m = c.reshape(64, -1);
const { U, S, Vt } = svd(m);
const back = einsum('ik,k,kj->ij', U, S, Vt);
console.log(`svd: |A − U·S·Vt| / |A| = ${(norm(sub(back, m)) / norm(m)).toExponential(1)}`);
const t = truncatedSvd(m, { rse: 0.5 });
console.log(`truncated svd at rse 0.5: rank ${t.rank} of ${S.size}, error ${(t.discardedNorm / norm(m)).toFixed(3)}`);
