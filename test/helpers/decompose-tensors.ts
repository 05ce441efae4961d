import { randn } from '../../src/tensor/create.js';
import type { DType } from '../../src/tensor/dtype.js';
import type { Random } from '../../src/tensor/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { contractCores, randomCores } from '../../src/decompose/contract-cores.js';
import type { RankMatrix } from '../../src/decompose/rank-matrix.js';

/*
 * Random test problems for the decomposition tests: exactly low-rank tensors built
 * from random cores, and random dimensions. Not part of the public API.
 */

/** An integer in [lo, hi]. */
export function randInt(rng: Random, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/** n random dimensions in [lo, hi]. */
export function randomDims(rng: Random, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => randInt(rng, lo, hi));
}

/** A tensor that is exactly representable by the network R over dims, and its cores. */
export function lowRankTensor(dims: readonly number[], R: RankMatrix, rng: Random, dtype: DType = 'f64'): { x: Tensor; cores: Tensor[] } {
  const cores = randomCores(dims, R, { rng, dtype });
  return { x: contractCores(cores, R), cores };
}

/** A random rank matrix over n cores: each pair joined with probability p, bond in [2, maxRank]; connected as a chain at least. */
export function randomRankMatrix(rng: Random, n: number, maxRank: number, p = 0.5): number[][] {
  const R = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || rng.uniform() < p) {
        const r = randInt(rng, 2, maxRank);
        R[i]![j] = r;
        R[j]![i] = r;
      }
    }
  }
  return R;
}

/** A dense Gaussian tensor (full rank with probability 1). */
export function fullRankTensor(dims: readonly number[], rng: Random, dtype: DType = 'f64'): Tensor {
  return randn(dims, { rng, dtype });
}

/** A random tree over n cores (each core i > 0 joined to a random earlier one), bonds in [2, maxRank]. */
export function randomTreeRankMatrix(rng: Random, n: number, maxRank: number): number[][] {
  const R = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  for (let i = 1; i < n; i++) {
    const j = rng.int(i);
    const r = randInt(rng, 2, maxRank);
    R[i]![j] = r;
    R[j]![i] = r;
  }
  return R;
}

/** Copies of the cores with Gaussian noise of relative size `level` added. */
export function perturbCores(cores: readonly Tensor[], level: number, rng: Random): Tensor[] {
  return cores.map((c) => {
    const out = c.copy();
    let sq = 0;
    for (let p = 0; p < out.size; p++) sq += out.data[p]! ** 2;
    const s = level * Math.sqrt(sq / out.size);
    for (let p = 0; p < out.size; p++) out.data[p] = out.data[p]! + s * rng.normal();
    return out;
  });
}
