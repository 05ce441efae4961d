import { flopCount, maskSizer } from './cost.js';
import { greedyOrder, ssaFlops } from './greedy.js';
import type { Network, SsaPath } from './network.js';

/** Operand sets are 32-bit masks, so the dynamic programme handles at most this many operands. */
export const DP_MAX_OPERANDS = 30;

/** Options of {@link dpOrder}. */
export interface DpOptions {
  /**
   * Give up (and return greedy's order) after this much work: 1 per candidate pair
   * looked at, 10 + (number of labels)/4 per pair costed. Default: no limit.
   */
  maxWork?: number;
}

/** A {@link dpOrder} result: the order, and whether it is greedy's (DP found nothing cheaper, or gave up). */
export interface DpResult {
  ssa: SsaPath;
  fromGreedy: boolean;
  /** True when `maxWork` stopped the search (the order is then greedy's). */
  gaveUp: boolean;
  /** Work done, counted as for `maxWork`. */
  work: number;
}

interface Entry {
  /** Labels the subset's tensor keeps (a bit mask over labels). */
  legs: bigint;
  cost: bigint;
  left: number;
  right: number;
}

/**
 * A contraction order by dynamic programming over connected subgraphs, after
 * opt_einsum's 'dp' (Pfeifer, Haegeman & Verstraete 2014; cotengra's
 * subgraph DP): operands sharing a summed index are neighbours; the best order
 * of every connected subset of k operands is built from pairs of disjoint
 * connected subsets that share a summed index, so no outer product is ever
 * considered inside a connected part. Disconnected parts are contracted
 * separately and then multiplied smallest first. A cost cap prunes: it starts at
 * the part's output size and grows by its smallest index size until a complete
 * order fits, and it never passes the FLOPs of greedy's order, which is returned
 * when nothing cheaper exists in this space (so the result never costs more than
 * greedy's). Costs are exact BigInt FLOPs, as in the rest of planning.
 */
export function dpOrder(net: Network, options: DpOptions = {}): DpResult {
  const n = net.inputs.length;
  if (n > DP_MAX_OPERANDS) {
    throw new RangeError(`einsum: optimize 'dp' handles at most ${DP_MAX_OPERANDS} operands (after preprocessing), got ${n}: use 'greedy'`);
  }
  if (n <= 1) return { ssa: [], fromGreedy: false, gaveUp: false, work: 0 };
  const greedy = greedyOrder(net);
  const greedyCost = ssaFlops(net, greedy);
  const masks = labelMasks(net);
  const { holders, summedMask, operandMask } = masks;
  // A summed label stays on the product of subset S while an operand outside S holds it.
  const legsOf = (S: number, a: bigint, b: bigint): bigint => {
    let legs = a | b;
    for (let m = a & b & summedMask; m !== 0n; m &= m - 1n) {
      const low = m & -m;
      if ((holders[Number(labelIndex(low))]! & ~S) === 0) legs &= ~low;
    }
    return legs;
  };
  // Neighbours share a summed label.
  const neighbours = operandMask.map((m, i) => operandMask.reduce((acc, o, j) => (j !== i && (m & o & summedMask) !== 0n ? acc | (1 << j) : acc), 0));
  const ctx: DpContext = {
    masks, neighbours, sizeOf: maskSizer(masks.labelSize), legsOf, pairWeight: 9 + (masks.labelSize.length >> 2),
    maxWork: options.maxWork ?? Infinity, greedyCost, work: 0,
  };

  const ssa: SsaPath = [];
  let nextId = n;
  const emit = (entries: Map<number, Entry>, S: number): number => {
    if ((S & (S - 1)) === 0) return 31 - Math.clz32(S);
    const e = entries.get(S)!;
    const left = emit(entries, e.left);
    const right = emit(entries, e.right);
    ssa.push([left, right]);
    return nextId++;
  };
  const parts: { id: number; legs: bigint }[] = [];
  for (const part of connectedParts(neighbours, n)) {
    const entries = partOrder(part, ctx);
    if (entries === 'work') return { ssa: greedy, fromGreedy: true, gaveUp: true, work: ctx.work };
    if (entries === 'greedy') return { ssa: greedy, fromGreedy: true, gaveUp: false, work: ctx.work };
    parts.push({ id: emit(entries, part), legs: entries.get(part)!.legs });
  }
  // Disconnected parts share no summed index: multiply them, the two smallest first.
  while (parts.length > 1) {
    const sizeOf = ctx.sizeOf;
    parts.sort((a, b) => (sizeOf(a.legs) < sizeOf(b.legs) ? -1 : sizeOf(a.legs) > sizeOf(b.legs) ? 1 : a.id - b.id));
    const [a, b] = parts.splice(0, 2) as [{ id: number; legs: bigint }, { id: number; legs: bigint }];
    ssa.push([a.id, b.id]);
    parts.push({ id: nextId++, legs: a.legs | b.legs });
  }
  const work = ctx.work;
  return ssaFlops(net, ssa) <= greedyCost ? { ssa, fromGreedy: false, gaveUp: false, work } : { ssa: greedy, fromGreedy: true, gaveUp: false, work };
}

/** The labels as bits (in order of first appearance, inputs then output). */
interface LabelMasks {
  labelSize: bigint[];
  /** Per label, the operands that hold it (a bit mask over operands). */
  holders: number[];
  outputMask: bigint;
  summedMask: bigint;
  /** Per operand, its labels. */
  operandMask: bigint[];
}

function labelMasks(net: Network): LabelMasks {
  const labelBit = new Map<string, bigint>();
  const labelSize: bigint[] = [];
  const holders: number[] = [];
  net.inputs.forEach((labels, k) => {
    for (const l of labels) {
      if (!labelBit.has(l)) {
        labelBit.set(l, 1n << BigInt(labelSize.length));
        labelSize.push(BigInt(net.sizes.get(l)!));
        holders.push(0);
      }
      holders[Number(labelIndex(labelBit.get(l)!))]! |= 1 << k;
    }
  });
  for (const l of net.output) {
    if (!labelBit.has(l)) {
      labelBit.set(l, 1n << BigInt(labelSize.length));
      labelSize.push(BigInt(net.sizes.get(l)!));
      holders.push(0);
    }
  }
  const outputMask = net.output.reduce((m, l) => m | labelBit.get(l)!, 0n);
  const summedMask = ((1n << BigInt(labelSize.length)) - 1n) & ~outputMask;
  const operandMask = net.inputs.map((labels) => labels.reduce((m, l) => m | labelBit.get(l)!, 0n));
  return { labelSize, holders, outputMask, summedMask, operandMask };
}

/** The connected parts of the operand graph (bit masks), each grown from the lowest operand not yet seen. */
function connectedParts(neighbours: readonly number[], n: number): number[] {
  const components: number[] = [];
  let unseen = n === 32 ? -1 : (1 << n) - 1;
  while (unseen !== 0) {
    let part = unseen & -unseen;
    for (;;) {
      let grown = part;
      for (let r = part; r !== 0; r &= r - 1) grown |= neighbours[31 - Math.clz32(r & -r)]!;
      if (grown === part) break;
      part = grown;
    }
    components.push(part);
    unseen &= ~part;
  }
  return components;
}

/** What the DP of every part shares, and the work done so far (all parts). */
interface DpContext {
  masks: LabelMasks;
  neighbours: number[];
  sizeOf: (mask: bigint) => bigint;
  /** Legs of the product of the tensors of a and b, forming subset S. */
  legsOf: (S: number, a: bigint, b: bigint) => bigint;
  /** Work of costing one pair (see DpOptions.maxWork). */
  pairWeight: number;
  maxWork: number;
  greedyCost: bigint;
  work: number;
}

/** The best entry of every connected subset found so far, by size and by operand. */
class SubsetTable {
  readonly entries = new Map<number, Entry>();
  /** levels[k]: the subsets of k operands. */
  readonly levels: number[][];
  /** byOperand[k][j]: the subsets of k operands found so far that hold operand j. */
  readonly byOperand: Map<number, number[]>[];

  constructor(m: number) {
    this.levels = Array.from({ length: m + 1 }, () => []);
    this.byOperand = Array.from({ length: m + 1 }, () => new Map());
  }

  record(k: number, S: number): void {
    this.levels[k]!.push(S);
    for (let r = S; r !== 0; r &= r - 1) {
      const j = 31 - Math.clz32(r & -r);
      let list = this.byOperand[k]!.get(j);
      if (!list) {
        list = [];
        this.byOperand[k]!.set(j, list);
      }
      list.push(S);
    }
  }
}

/**
 * The best order of one connected part (its subset table, whose entry for `part` is the
 * root), with the cost cap raised by the part's smallest index size until a complete order
 * fits; 'work' when maxWork ran out, 'greedy' when the cap reached greedy's cost first.
 */
function partOrder(part: number, ctx: DpContext): Map<number, Entry> | 'work' | 'greedy' {
  const { labelSize, outputMask, operandMask } = ctx.masks;
  const members: number[] = [];
  for (let r = part; r !== 0; r &= r - 1) members.push(31 - Math.clz32(r & -r));
  const m = members.length;
  const table = new SubsetTable(m);
  for (const j of members) {
    const legs = operandMask[j]! & (outputMask | otherHolders(ctx.masks, j));
    table.entries.set(1 << j, { legs, cost: 0n, left: 0, right: 0 });
    table.record(1, 1 << j);
  }
  let legsUnion = 0n;
  for (const j of members) legsUnion |= operandMask[j]!;
  let minSize = Infinity;
  for (let l = legsUnion; l !== 0n; l &= l - 1n) minSize = Math.min(minSize, Number(labelSize[Number(labelIndex(l & -l))]!));
  const increment = BigInt(Math.max(2, Number.isFinite(minSize) ? minSize : 2));
  let cap = ctx.sizeOf(legsUnion & outputMask);
  if (cap < 1n) cap = 1n;
  while (m > 1 && !table.entries.has(part)) {
    if (!dpPass(table, m, cap, ctx)) return 'work';
    if (table.entries.has(part)) break;
    if (cap >= ctx.greedyCost) return 'greedy';
    cap *= increment;
    if (cap > ctx.greedyCost) cap = ctx.greedyCost;
  }
  return table.entries;
}

/** The labels of operand j that another operand holds too. */
function otherHolders(masks: LabelMasks, j: number): bigint {
  let keep = 0n;
  for (let l = masks.operandMask[j]!; l !== 0n; l &= l - 1n) {
    const low = l & -l;
    if ((masks.holders[Number(labelIndex(low))]! & ~(1 << j)) !== 0) keep |= low;
  }
  return keep;
}

/**
 * One pass of the DP under a cost cap: every subset of 2 … m operands built from two
 * disjoint neighbouring subsets already in the table, each unordered pair once, kept when
 * cheaper than the cap and than the table's entry. False when maxWork ran out.
 */
function dpPass(table: SubsetTable, m: number, cap: bigint, ctx: DpContext): boolean {
  const { entries, levels, byOperand } = table;
  const { neighbours, sizeOf, legsOf } = ctx;
  for (let size = 2; size <= m; size++) {
    for (let k = 1; k <= size >> 1; k++) {
      const other = size - k;
      for (const s1 of levels[k]!) {
        const e1 = entries.get(s1)!;
        let nb = 0;
        for (let r = s1; r !== 0; r &= r - 1) nb |= neighbours[31 - Math.clz32(r & -r)]!;
        nb &= ~s1;
        for (let r = nb; r !== 0; r &= r - 1) {
          const j = 31 - Math.clz32(r & -r);
          for (const s2 of byOperand[other]!.get(j) ?? []) {
            if (++ctx.work > ctx.maxWork) return false;
            if ((s2 & s1) !== 0) continue;
            const touch = s2 & nb;
            if ((touch & -touch) !== 1 << j) continue; // each s2 once: through its lowest neighbour of s1
            if (k === other && s1 > s2) continue; // each unordered pair once
            // Costing a pair (BigInt masks and sizes) takes about ten times as long as
            // skipping one, more with many labels (wider masks, longer bit loops).
            ctx.work += ctx.pairWeight;
            const e2 = entries.get(s2)!;
            const S = s1 | s2;
            const union = e1.legs | e2.legs;
            const legs = legsOf(S, e1.legs, e2.legs);
            const cost = e1.cost + e2.cost + flopCount(sizeOf(union), legs !== union, 2);
            if (cost > cap) continue;
            const known = entries.get(S);
            if (known === undefined) {
              entries.set(S, { legs, cost, left: s1, right: s2 });
              table.record(size, S);
            } else if (cost < known.cost) {
              known.cost = cost;
              known.left = s1;
              known.right = s2;
            }
          }
        }
      }
    }
  }
  return true;
}

/** Index of a single-bit label mask. */
function labelIndex(bit: bigint): number {
  return bit.toString(2).length - 1;
}
