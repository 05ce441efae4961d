import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { matmul } from '../linalg/matmul.js';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import { contractTensors, EINSUM_LETTERS } from './contract.js';
import { LabeledTensor } from './labeled-tensor.js';
import { Index } from './tensor-index.js';
import { TensorNetwork } from './tensor-network.js';
import { bruteForceContract, maxAbsDiff, randomNetwork } from '../../test/helpers/networks.js';

describe.each(availableBackends())('TensorNetwork contraction on the %s backend', (backend) => {
  it('equals the brute-force sum over all indices, on random graphs', () => {
    withBackend(backend, () => {
      const rng = new Random(11);
      for (let trial = 0; trial < 25; trial++) {
        const net = randomNetwork(rng, 2 + rng.int(4), { maxDim: 3 });
        const outer = net.outerIndices();
        const order = rng.shuffle([...outer]);
        const dense = net.toDense(order);
        expect(dense.shape).toEqual(order.map((ix) => ix.dim));
        const expected = bruteForceContract(net.tensors(), order);
        expect(maxAbsDiff(dense.toTypedArray(), expected)).toBeLessThan(1e-10 * (1 + Math.max(...expected.map(Math.abs))));
      }
    });
  });

  it('contracts more than 52 distinct indices (a ring of 60 matrices) through the planner', () => {
    withBackend(backend, () => {
      const rng = new Random(12);
      const n = 60;
      const bonds = Array.from({ length: n }, () => new Index(2 + rng.int(2)));
      const mats = bonds.map((b, k) => randn([b.dim, bonds[(k + 1) % n]!.dim], { rng, scale: 0.7 }));
      const tensors = mats.map((m, k) => new LabeledTensor(m, [bonds[k]!, bonds[(k + 1) % n]!]));
      expect(n).toBeGreaterThan(EINSUM_LETTERS.length);
      const trace = contractTensors(tensors).data.item();
      let acc = mats[0]!;
      for (let k = 1; k < n; k++) acc = matmul(acc, mats[k]!);
      let expected = 0;
      for (let i = 0; i < acc.shape[0]!; i++) expected += acc.get(i, i);
      expect(Math.abs(trace - expected)).toBeLessThan(1e-9 * (1 + Math.abs(expected)));
      // Open legs as well: drop the last bond's second use so two indices dangle.
      const open = new Index(bonds[0]!.dim);
      const chain = [...tensors.slice(0, -1), tensors[n - 1]!.replaceIndices([bonds[0]!], [open])];
      const mat = contractTensors(chain, { output: [bonds[0]!, open] }).data;
      expect(maxAbsDiff(mat.toTypedArray(), acc.toTypedArray())).toBeLessThan(1e-9 * (1 + Math.max(...Array.from(acc.toTypedArray(), Math.abs))));
    });
  });

  it('inner and norm equal the dense dot product', () => {
    withBackend(backend, () => {
      const rng = new Random(13);
      for (let trial = 0; trial < 15; trial++) {
        const a = randomNetwork(rng, 2 + rng.int(3), { maxOuter: 2 });
        const outer = a.outerIndices();
        // b: another network over the same outer indices (one tensor per outer index pair, joined in a line).
        const b = new TensorNetwork();
        const link = new Index(2);
        b.add(new LabeledTensor(randn([...outer.map((ix) => ix.dim), 2], { rng }), [...outer, link]));
        b.add(new LabeledTensor(randn([2], { rng }), [link]));
        const da = a.toDense(outer).toTypedArray();
        const db = b.toDense(outer).toTypedArray();
        let dot = 0;
        let nn = 0;
        for (let k = 0; k < da.length; k++) {
          dot += da[k]! * db[k]!;
          nn += da[k]! * da[k]!;
        }
        expect(a.inner(b)).toBeCloseTo(dot, 8);
        expect(a.norm()).toBeCloseTo(Math.sqrt(nn), 8);
      }
    });
  });
});

describe('TensorNetwork structure', () => {
  it('keeps the tag and index maps in step through add, remove, replace and merge', () => {
    const rng = new Random(21);
    const net = randomNetwork(rng, 5, { edgeProb: 0.7 });
    const before = net.toDense(net.outerIndices());
    const outer = net.outerIndices();
    expect(net.select('EVEN')).toEqual([0, 2, 4]);
    expect(net.select(['T1', 'ODD'])).toEqual([1]);
    expect(net.select(['T1', 'T2'], 'any')).toEqual([1, 2]);
    expect(net.select(['T1', 'T2'], 'all')).toEqual([]);
    const merged = net.merge([1, 3], ['M']);
    expect(net.select('M')).toEqual([merged]);
    expect(net.tagsOf(merged).has('T1') && net.tagsOf(merged).has('T3')).toBe(true);
    expect(maxAbsDiff(net.toDense(outer).toTypedArray(), before.toTypedArray())).toBeLessThan(1e-10);
    for (const ix of net.indices()) {
      for (const tid of net.tidsWithIndex(ix)) expect(net.get(tid).hasIndex(ix)).toBe(true);
    }
    const removed = net.remove(0);
    expect(net.tids()).not.toContain(0);
    expect(net.select('T0')).toEqual([]);
    for (const ix of removed.indices) expect(net.tidsWithIndex(ix)).not.toContain(0);
  });

  it('fuse and split of indices across the network keep the contraction', () => {
    const rng = new Random(22);
    const i = new Index(2);
    const j = new Index(3);
    const p = new Index(2);
    const q = new Index(4);
    const net = new TensorNetwork([
      new LabeledTensor(randn([2, 2, 3], { rng }), [p, i, j]),
      new LabeledTensor(randn([3, 4, 2], { rng }), [j, q, i]),
    ]);
    const dense = net.toDense([p, q]).toTypedArray();
    const c = net.fuse([i, j]);
    expect(net.innerIndices()).toEqual([c.fused]);
    expect(maxAbsDiff(net.toDense([p, q]).toTypedArray(), dense)).toBeLessThan(1e-12);
    const outerCombiner = net.fuse([q]);
    expect(net.outerIndices()).toContainEqual(outerCombiner.fused);
    net.split(outerCombiner);
    net.split(c);
    expect(net.innerIndices().map((x) => x.key).sort()).toEqual([i.key, j.key].sort());
    expect(maxAbsDiff(net.toDense([p, q]).toTypedArray(), dense)).toBeLessThan(1e-12);
    expect(() => net.fuse([i, p])).toThrow(/holds some but not all/);
  });

  it('gives clear errors for bad tids, orders and mismatched networks', () => {
    const net = randomNetwork(new Random(23), 3, { maxOuter: 1, edgeProb: 1 });
    expect(() => net.get(99)).toThrow(/no tensor with tid 99/);
    expect(() => net.toDense([new Index(2)])).toThrow(/toDense/);
    const other = randomNetwork(new Random(24), 2, { maxOuter: 1 });
    expect(() => net.inner(other)).toThrow(/outer indices differ/);
    expect(() => net.add(new LabeledTensor(randn([7]), [net.indices()[0]!.withDim(7)]))).toThrow(/dim 7 here/);
  });
});
