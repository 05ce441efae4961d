import { matmul } from '../linalg/matmul.js';
import { ones } from '../tensor/create.js';
import type { MatrixProductState } from './matrix-product-state.js';

function assertSameSites(a: MatrixProductState, b: MatrixProductState, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: the states have ${a.length} and ${b.length} sites`);
  a.physical.forEach((ix, i) => {
    if (ix.dim !== b.physical[i]!.dim) throw new RangeError(`${what}: site ${i} has physical dims ${ix.dim} and ${b.physical[i]!.dim}`);
  });
}

/**
 * ⟨a|b⟩ of two MPS on the same sites (matched by position; physical dimensions must
 * agree). Transfer-matrix sweep from the left: E ← Aᵢᵀ·(E·Bᵢ), two gemms per site,
 * O(L·d·χ³) for bond dimension χ; never forms the dense states.
 */
export function overlap(a: MatrixProductState, b: MatrixProductState): number {
  assertSameSites(a, b, 'overlap');
  let env = ones([1, 1], { dtype: a.dtype === 'f64' || b.dtype === 'f64' ? 'f64' : 'f32' }); // [left of a, left of b]
  for (let i = 0; i < a.length; i++) {
    const A = a.sites[i]!;
    const B = b.sites[i]!;
    const [la, p, ra] = A.shape as [number, number, number];
    const [lb, , rb] = B.shape as [number, number, number];
    const t = matmul(env, B.reshape(lb, p * rb)); // [la, p·rb]
    env = matmul(A.reshape(la * p, ra), t.reshape(la * p, rb), { transA: true }); // [ra, rb]
  }
  return env.item();
}
