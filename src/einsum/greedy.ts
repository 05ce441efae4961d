import { flopCount, labelsSize } from './cost.js';
import type { Network, SsaPath } from './network.js';

interface Candidate {
  i: number;
  j: number;
  score: bigint;
  cost: bigint;
}

/**
 * A fast contraction order for large networks: the cheaper (in FLOPs, ties to the
 * first) of two greedy passes, {@link greedyPass} with summed-index candidates
 * (opt_einsum's rule) and with any-shared-index candidates. Neither rule wins
 * everywhere: on random networks each is up to ~3× worse than the other on some
 * cases, and both passes together cost twice one pass, still O(n²) or so.
 */
export function greedyOrder(net: Network): SsaPath {
  const summedOnly = greedyPass(net, 'summed');
  if (net.inputs.length <= 2) return summedOnly;
  const anyShared = greedyPass(net, 'shared');
  return ssaFlops(net, anyShared) < ssaFlops(net, summedOnly) ? anyShared : summedOnly;
}

/** FLOPs of a single-assignment order, with the step costs {@link describeSteps} in path.ts assigns. */
export function ssaFlops(net: Network, ssa: SsaPath): bigint {
  const live = new Map<number, readonly string[]>(net.inputs.map((ls, id) => [id, ls]));
  const count = new Map<string, number>();
  for (const ls of net.inputs) for (const l of ls) count.set(l, (count.get(l) ?? 0) + 1);
  for (const l of net.output) count.set(l, (count.get(l) ?? 0) + 1);
  let total = 0n;
  let next = net.inputs.length;
  for (const [x, y] of ssa) {
    const a = live.get(x)!;
    const b = live.get(y)!;
    const inA = new Set(a);
    const union = [...a, ...b.filter((l) => !inA.has(l))];
    for (const l of a) count.set(l, count.get(l)! - 1);
    for (const l of b) count.set(l, count.get(l)! - 1);
    const result = union.filter((l) => count.get(l)! > 0);
    for (const l of result) count.set(l, count.get(l)! + 1);
    total += flopCount(labelsSize(union, net.sizes), result.length < union.length, 2);
    live.delete(x);
    live.delete(y);
    live.set(next++, result);
  }
  return total;
}

/**
 * One greedy pass. With `rule = 'summed'` it follows opt_einsum's greedy:
 * operands with the same indices are multiplied first (elementwise, nothing
 * grows); then, repeatedly, the pair of operands sharing a summed index with the
 * lowest score size(out) − size(in1) − size(in2) is contracted, ties broken by
 * lower FLOPs, then by lower operand ids. Pairs that share only kept indices (the
 * output's, or an index on every operand, which cannot be summed before the last
 * step) are left to the end, when the two smallest operands are multiplied
 * repeatedly: a cheap product of small operands first beats a big Hadamard or
 * outer product early (`a,ab,abc->abc` costs 6 + 24, not 24 + 24). With
 * `rule = 'shared'`, any pair sharing an index is a candidate and there is no
 * first elementwise phase (tnkit's earlier greedy).
 */
export function greedyPass(net: Network, rule: 'summed' | 'shared'): SsaPath {
  const { sizes } = net;
  const output = new Set(net.output);
  // Indices that never make a pair a candidate: kept ones, and those on every operand.
  const summedOnly = rule === 'summed';
  const common = net.inputs.length === 0 ? [] : net.inputs.slice(1).reduce<string[]>((acc, ls) => acc.filter((l) => ls.includes(l)), [...net.inputs[0]!]);
  const keptAlways = new Set(summedOnly ? [...net.output, ...common] : []);
  const labels = new Map<number, readonly string[]>();
  const size = new Map<number, bigint>();
  const count = new Map<string, number>();
  const holders = new Map<string, Set<number>>();
  const add = (id: number, ls: readonly string[]): void => {
    labels.set(id, ls);
    size.set(id, labelsSize(ls, sizes));
    for (const l of ls) {
      count.set(l, (count.get(l) ?? 0) + 1);
      if (keptAlways.has(l)) continue;
      let h = holders.get(l);
      if (!h) holders.set(l, (h = new Set()));
      h.add(id);
    }
  };
  const remove = (id: number): void => {
    for (const l of labels.get(id)!) {
      count.set(l, count.get(l)! - 1);
      holders.get(l)?.delete(id);
    }
    labels.delete(id);
    size.delete(id);
  };
  // The labels of the product of i and j that something else (output or another operand) still needs.
  const resultLabels = (i: number, j: number): { result: string[]; union: string[] } => {
    const li = labels.get(i)!;
    const lj = labels.get(j)!;
    const inI = new Set(li);
    const union = [...li, ...lj.filter((l) => !inI.has(l))];
    const inJ = new Set(lj);
    const result = union.filter((l) => output.has(l) || count.get(l)! > (inI.has(l) ? 1 : 0) + (inJ.has(l) ? 1 : 0));
    return { result, union };
  };
  const evaluate = (a: number, b: number): Candidate => {
    const i = Math.min(a, b);
    const j = Math.max(a, b);
    const { result, union } = resultLabels(i, j);
    const out = labelsSize(result, sizes);
    return {
      i, j,
      score: out - size.get(i)! - size.get(j)!,
      cost: flopCount(labelsSize(union, sizes), result.length < union.length, 2),
    };
  };
  const candidates = new Map<string, Candidate>();
  const addCandidatesFor = (id: number): void => {
    for (const l of labels.get(id)!) {
      if (keptAlways.has(l)) continue;
      for (const other of holders.get(l)!) {
        if (other === id) continue;
        const key = id < other ? `${id},${other}` : `${other},${id}`;
        if (!candidates.has(key)) candidates.set(key, evaluate(id, other));
      }
    }
  };
  const better = (x: Candidate, y: Candidate): boolean =>
    x.score !== y.score ? x.score < y.score : x.cost !== y.cost ? x.cost < y.cost : x.i !== y.i ? x.i < y.i : x.j < y.j;

  const n = net.inputs.length;
  net.inputs.forEach((ls, id) => add(id, ls));
  const ssa: SsaPath = [];
  let nextId = n;
  // Operands with the same index set: multiply them first, in id order.
  const sameSet = new Map<string, number>();
  for (let id = 0; id < n && summedOnly; id++) {
    const key = [...net.inputs[id]!].sort().join(' ');
    const twin = sameSet.get(key);
    if (twin === undefined) {
      sameSet.set(key, id);
      continue;
    }
    const { result } = resultLabels(twin, id);
    remove(twin);
    remove(id);
    const merged = nextId++;
    add(merged, result);
    ssa.push([twin, id]);
    // A product that summed an index away has a new index set: later twins start a new group.
    if (result.length === net.inputs[id]!.length) sameSet.set(key, merged);
    else sameSet.delete(key);
  }
  for (const id of labels.keys()) addCandidatesFor(id);

  while (labels.size > 1) {
    let best: Candidate | undefined;
    for (const c of candidates.values()) if (best === undefined || better(c, best)) best = c;
    let i: number;
    let j: number;
    if (best) {
      ({ i, j } = best);
    } else {
      // Nothing shares an index: outer product of the two smallest operands.
      const bySize = [...size].sort((x, y) => (x[1] !== y[1] ? (x[1] < y[1] ? -1 : 1) : x[0] - y[0]));
      i = bySize[0]![0];
      j = bySize[1]![0];
    }
    const { result } = resultLabels(i, j);
    for (const key of [...candidates.keys()]) {
      const c = candidates.get(key)!;
      if (c.i === i || c.j === i || c.i === j || c.j === j) candidates.delete(key);
    }
    remove(i);
    remove(j);
    const id = nextId++;
    add(id, result);
    addCandidatesFor(id);
    ssa.push([i, j]);
  }
  return ssa;
}
