import { flopCount, labelsSize } from './cost.js';
import type { Network, SsaPath } from './network.js';

interface Candidate {
  i: number;
  j: number;
  score: bigint;
  cost: bigint;
}

/**
 * A fast contraction order for large networks: repeatedly contract the pair of
 * operands sharing an index with the lowest score size(out) − size(in1) − size(in2),
 * ties broken by lower FLOPs, then by lower operand ids. When no pair shares an
 * index, the two smallest operands are multiplied out (outer products come last).
 */
export function greedyOrder(net: Network): SsaPath {
  const { sizes } = net;
  const output = new Set(net.output);
  const labels = new Map<number, readonly string[]>();
  const size = new Map<number, bigint>();
  const count = new Map<string, number>();
  const holders = new Map<string, Set<number>>();
  const add = (id: number, ls: readonly string[]): void => {
    labels.set(id, ls);
    size.set(id, labelsSize(ls, sizes));
    for (const l of ls) {
      count.set(l, (count.get(l) ?? 0) + 1);
      let h = holders.get(l);
      if (!h) holders.set(l, (h = new Set()));
      h.add(id);
    }
  };
  const remove = (id: number): void => {
    for (const l of labels.get(id)!) {
      count.set(l, count.get(l)! - 1);
      holders.get(l)!.delete(id);
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
  for (let id = 0; id < n; id++) addCandidatesFor(id);

  const ssa: SsaPath = [];
  let nextId = n;
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
