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
  const summedOnly = rule === 'summed';
  // Indices that never make a pair a candidate: kept ones, and those on every operand.
  const common = net.inputs.length === 0 ? [] : net.inputs.slice(1).reduce<string[]>((acc, ls) => acc.filter((l) => ls.includes(l)), [...net.inputs[0]!]);
  const pass = new GreedyPass(net, new Set(summedOnly ? [...net.output, ...common] : []));
  net.inputs.forEach((ls, id) => pass.add(id, ls));
  if (summedOnly) pass.multiplyTwins();
  for (const id of pass.labels.keys()) pass.addCandidatesFor(id);
  while (pass.labels.size > 1) {
    const { i, j } = pass.bestCandidate() ?? pass.smallestPair();
    pass.contract(i, j);
  }
  return pass.ssa;
}

/** The live operands of one greedy pass, the candidate pairs, and the order so far. */
class GreedyPass {
  /** Labels and size of each live operand, by id. */
  readonly labels = new Map<number, readonly string[]>();
  readonly size = new Map<number, bigint>();
  /** Live operands holding each label, and (for candidate labels) which. */
  private readonly count = new Map<string, number>();
  private readonly holders = new Map<string, Set<number>>();
  /** Candidate pairs by "i,j" (i < j). */
  private readonly candidates = new Map<string, Candidate>();
  private readonly output: Set<string>;
  readonly ssa: SsaPath = [];
  private nextId: number;

  /** @param keptAlways labels that never make a pair a candidate. */
  constructor(private readonly net: Network, private readonly keptAlways: ReadonlySet<string>) {
    this.output = new Set(net.output);
    this.nextId = net.inputs.length;
  }

  add(id: number, ls: readonly string[]): void {
    this.labels.set(id, ls);
    this.size.set(id, labelsSize(ls, this.net.sizes));
    for (const l of ls) {
      this.count.set(l, (this.count.get(l) ?? 0) + 1);
      if (this.keptAlways.has(l)) continue;
      let h = this.holders.get(l);
      if (!h) {
        h = new Set();
        this.holders.set(l, h);
      }
      h.add(id);
    }
  }

  private remove(id: number): void {
    for (const l of this.labels.get(id)!) {
      this.count.set(l, this.count.get(l)! - 1);
      this.holders.get(l)?.delete(id);
    }
    this.labels.delete(id);
    this.size.delete(id);
  }

  /** The labels of the product of i and j that something else (output or another operand) still needs. */
  private resultLabels(i: number, j: number): { result: string[]; union: string[] } {
    const li = this.labels.get(i)!;
    const lj = this.labels.get(j)!;
    const inI = new Set(li);
    const union = [...li, ...lj.filter((l) => !inI.has(l))];
    const inJ = new Set(lj);
    const result = union.filter((l) => this.output.has(l) || this.count.get(l)! > (inI.has(l) ? 1 : 0) + (inJ.has(l) ? 1 : 0));
    return { result, union };
  }

  private evaluate(a: number, b: number): Candidate {
    const i = Math.min(a, b);
    const j = Math.max(a, b);
    const { result, union } = this.resultLabels(i, j);
    const out = labelsSize(result, this.net.sizes);
    return {
      i, j,
      score: out - this.size.get(i)! - this.size.get(j)!,
      cost: flopCount(labelsSize(union, this.net.sizes), result.length < union.length, 2),
    };
  }

  /** Adds the pairs of `id` with every operand sharing a candidate label. */
  addCandidatesFor(id: number): void {
    for (const l of this.labels.get(id)!) {
      if (this.keptAlways.has(l)) continue;
      for (const other of this.holders.get(l)!) {
        if (other === id) continue;
        const key = id < other ? `${id},${other}` : `${other},${id}`;
        if (!this.candidates.has(key)) this.candidates.set(key, this.evaluate(id, other));
      }
    }
  }

  /** Operands with the same index set: multiplied first, in id order. */
  multiplyTwins(): void {
    const sameSet = new Map<string, number>();
    for (let id = 0; id < this.net.inputs.length; id++) {
      const key = [...this.net.inputs[id]!].sort().join(' ');
      const twin = sameSet.get(key);
      if (twin === undefined) {
        sameSet.set(key, id);
        continue;
      }
      const { result } = this.resultLabels(twin, id);
      this.remove(twin);
      this.remove(id);
      const merged = this.nextId++;
      this.add(merged, result);
      this.ssa.push([twin, id]);
      // A product that summed an index away has a new index set: later twins start a new group.
      if (result.length === this.net.inputs[id]!.length) sameSet.set(key, merged);
      else sameSet.delete(key);
    }
  }

  /** The candidate of lowest score, then lower FLOPs, then lower ids; undefined when there is none. */
  bestCandidate(): Candidate | undefined {
    let best: Candidate | undefined;
    for (const c of this.candidates.values()) if (best === undefined || better(c, best)) best = c;
    return best;
  }

  /** Nothing shares an index: the two smallest operands (ties to the lower id), for an outer product. */
  smallestPair(): { i: number; j: number } {
    const bySize = [...this.size].sort((x, y) => (x[1] !== y[1] ? (x[1] < y[1] ? -1 : 1) : x[0] - y[0]));
    return { i: bySize[0]![0], j: bySize[1]![0] };
  }

  /** Contracts i and j: their pairs leave the candidates, the product joins with its own. */
  contract(i: number, j: number): void {
    const { result } = this.resultLabels(i, j);
    for (const key of [...this.candidates.keys()]) {
      const c = this.candidates.get(key)!;
      if (c.i === i || c.j === i || c.i === j || c.j === j) this.candidates.delete(key);
    }
    this.remove(i);
    this.remove(j);
    const id = this.nextId++;
    this.add(id, result);
    this.addCandidatesFor(id);
    this.ssa.push([i, j]);
  }
}

function better(x: Candidate, y: Candidate): boolean {
  return x.score !== y.score ? x.score < y.score : x.cost !== y.cost ? x.cost < y.cost : x.i !== y.i ? x.i < y.i : x.j < y.j;
}
