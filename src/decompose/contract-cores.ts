import { einsum } from '../einsum/index.js';
import { randn } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { labelNetwork } from '../network/core-layout.js';
import { assertRankMatrix, type RankMatrix } from './rank-matrix.js';
import { coreShape } from '../network/index.js';

/**
 * Checks that `cores` match the rank matrix: one core per row of R, core i of shape
 * [d_i, R[i][j] for each neighbour j]. Returns the physical dimensions d_i.
 * @throws RangeError naming the first core whose shape is wrong.
 */
export function assertCores(cores: readonly Tensor[], R: RankMatrix, fn: string): number[] {
  assertRankMatrix(R, cores.length, fn);
  const dims = cores.map((c, i) => {
    if (c.ndim < 1) throw new RangeError(`${fn}: core ${i} is a scalar; it needs a physical axis first`);
    return c.shape[0]!;
  });
  cores.forEach((c, i) => {
    const want = coreShape(i, dims, R);
    if (!shapesEqual(c.shape, want)) {
      throw new RangeError(`${fn}: core ${i} has shape [${c.shape.join(', ')}] but the rank matrix needs [${want.join(', ')}] (physical axis, then one bond axis per neighbour in increasing order)`);
    }
  });
  return dims;
}

/**
 * Contracts the cores of a rank-matrix network back into the dense tensor of shape
 * [d_0, …, d_{N−1}] (one einsum with the path optimizer).
 * @throws RangeError if a core's shape does not match R.
 */
export function contractCores(cores: readonly Tensor[], R: RankMatrix): Tensor {
  assertCores(cores, R, 'contractCores');
  const labels = labelNetwork(R);
  return einsum(`${labels.core.join(',')}->${labels.physical.join('')}`, ...cores);
}

/** Options of {@link randomCores}. */
export interface RandomCoresOptions {
  seed?: number;
  rng?: Random;
  dtype?: DType;
}

/**
 * Random Gaussian cores for the network R over dims. Each core is scaled by
 * (Π of its bond dimensions)^(−1/4): every bond r is summed over once and appears in two
 * cores, so the contracted tensor has entries of variance 1 whatever the ranks.
 */
export function randomCores(dims: readonly number[], R: RankMatrix, options: RandomCoresOptions = {}): Tensor[] {
  assertRankMatrix(R, dims.length, 'randomCores');
  const rng = options.rng ?? new Random(options.seed ?? 0);
  const dtype = options.dtype ?? 'f64';
  return dims.map((_, i) => {
    const shape = coreShape(i, dims, R);
    const bonds = shape.slice(1).reduce((p, d) => p * d, 1);
    return randn(shape, { rng, dtype, scale: bonds ** -0.25 });
  });
}
