/**
 * Fitted cores of a rank-matrix structure as a {@link TensorNetwork} and back. The cores
 * follow `fromRankMatrix`'s axis convention (core i: physical axis, then one bond per
 * neighbour j in increasing j), so a network built here is what `fromRankMatrix(dims, R)`
 * builds, with the fitted entries instead of random ones (same tags: 'I{i}' per core,
 * 'phys' and 'bond' on the indices).
 */
import { LabeledTensor } from '../network/labeled-tensor.js';
import { coreShape, neighbours, rankMatrixOf, siteTag, validateRankMatrix, type RankMatrix } from '../network/rank-matrix.js';
import { Index } from '../network/tensor-index.js';
import { TensorNetwork } from '../network/tensor-network.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The network of cores fitted for the rank matrix R (core i of shape `coreShape(i, dims, R)`).
 * @throws RangeError naming the first core whose shape does not match R.
 */
export function networkFromCores(R: RankMatrix, cores: readonly Tensor[]): TensorNetwork {
  const dims = cores.map((c) => c.shape[0] ?? 0);
  validateRankMatrix(dims, R);
  const n = dims.length;
  const physical = dims.map((d, i) => new Index(d, ['phys', siteTag(i)]));
  const bond = new Map<string, Index>();
  for (let i = 0; i < n; i++) {
    for (const j of neighbours(i, R)) if (i < j) bond.set(`${i},${j}`, new Index(R[i]![j]!, ['bond', siteTag(i), siteTag(j)]));
  }
  const net = new TensorNetwork();
  cores.forEach((core, i) => {
    const want = coreShape(i, dims, R);
    if (!shapesEqual(core.shape, want)) throw new RangeError(`networkFromCores: core ${i} has shape [${core.shape.join(', ')}] but the rank matrix needs [${want.join(', ')}]`);
    const indices = [physical[i]!, ...neighbours(i, R).map((j) => bond.get(i < j ? `${i},${j}` : `${j},${i}`)!)];
    net.add(new LabeledTensor(core, indices), [siteTag(i)]);
  });
  return net;
}

/**
 * The rank matrix (diagonal: each core's physical dimension) and the cores, in the
 * `fromRankMatrix` axis order, of a network in which every tensor has one outer
 * (physical) index and at most one bond to each other tensor — the networks
 * {@link networkFromCores} builds, in tid order.
 * @throws RangeError naming the tensor that does not fit that shape.
 */
export function coresFromNetwork(net: TensorNetwork): { R: number[][]; cores: Tensor[] } {
  const tids = net.tids();
  const R = rankMatrixOf(net);
  const cores = tids.map((tid, i) => {
    const t = net.get(tid);
    const outer = t.indices.filter((ix) => net.tidsWithIndex(ix).length === 1);
    if (outer.length !== 1) throw new RangeError(`coresFromNetwork: tensor ${i} has ${outer.length} outer indices; a rank-matrix core has one (its physical index)`);
    const order = [outer[0]!];
    tids.forEach((other, j) => {
      if (j === i) return;
      const bonds = net.bondsBetween(tid, other);
      if (bonds.length > 1) throw new RangeError(`coresFromNetwork: tensors ${i} and ${j} share ${bonds.length} indices; a rank-matrix network has one bond per pair`);
      if (bonds.length === 1) order.push(bonds[0]!);
    });
    if (order.length !== t.indices.length) throw new RangeError(`coresFromNetwork: tensor ${i} has an index shared by more than two tensors`);
    return t.toTensor(order);
  });
  return { R, cores };
}
