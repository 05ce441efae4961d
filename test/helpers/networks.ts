import type { Random } from '../../src/tensor/random.js';
import { randn } from '../../src/tensor/create.js';
import { LabeledTensor } from '../../src/network/labeled-tensor.js';
import { Index } from '../../src/network/tensor-index.js';
import { TensorNetwork } from '../../src/network/tensor-network.js';

/*
 * Helpers for the network tests: a brute-force contraction to check against, and
 * random networks on random graphs. Not part of the public API.
 */

/**
 * Contracts labelled tensors by summing over every assignment of every index
 * (exponential; for small test cases). Returns the C-order values of the result with
 * axes `output`.
 */
export function bruteForceContract(tensors: readonly LabeledTensor[], output: readonly Index[]): Float64Array {
  const all: Index[] = [];
  for (const t of tensors) for (const ix of t.indices) if (!all.some((j) => j.key === ix.key)) all.push(ix);
  const outSize = output.reduce((p, ix) => p * ix.dim, 1);
  const result = new Float64Array(outSize);
  const value = new Array<number>(all.length).fill(0);
  const pos = new Map(all.map((ix, k) => [ix.key, k]));
  const total = all.reduce((p, ix) => p * ix.dim, 1);
  const axesOf = tensors.map((t) => t.indices.map((ix) => pos.get(ix.key)!));
  const outAxes = output.map((ix) => pos.get(ix.key)!);
  for (let n = 0; n < total; n++) {
    let rest = n;
    for (let k = all.length - 1; k >= 0; k--) {
      value[k] = rest % all[k]!.dim;
      rest = Math.floor(rest / all[k]!.dim);
    }
    let prod = 1;
    tensors.forEach((t, k) => {
      prod *= t.data.get(...axesOf[k]!.map((a) => value[a]!));
    });
    let at = 0;
    outAxes.forEach((a, k) => {
      at = at * output[k]!.dim + value[a]!;
    });
    result[at] = result[at]! + prod;
  }
  return result;
}

/**
 * A random network on a random graph: `n` tensors, each pair joined with probability
 * `edgeProb` by one or two bonds, and each tensor given 0–2 outer indices; all
 * dimensions in 1…maxDim and axes shuffled.
 */
export function randomNetwork(rng: Random, n: number, options: { edgeProb?: number; maxDim?: number; maxOuter?: number } = {}): TensorNetwork {
  const { edgeProb = 0.5, maxDim = 3, maxOuter = 2 } = options;
  const legs: Index[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (rng.uniform() >= edgeProb) continue;
      const count = rng.uniform() < 0.2 ? 2 : 1;
      for (let c = 0; c < count; c++) {
        const ix = new Index(1 + rng.int(maxDim), ['bond']);
        legs[i]!.push(ix);
        legs[j]!.push(ix);
      }
    }
    const outer = rng.int(maxOuter + 1);
    for (let c = 0; c < outer; c++) legs[i]!.push(new Index(1 + rng.int(maxDim), ['phys']));
  }
  const net = new TensorNetwork();
  legs.forEach((ixs, i) => {
    const order = rng.shuffle([...ixs]);
    net.add(new LabeledTensor(randn(order.map((ix) => ix.dim), { rng }), order), [`T${i}`, i % 2 === 0 ? 'EVEN' : 'ODD']);
  });
  return net;
}

/** Largest |a − b| over two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDiff: lengths ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
