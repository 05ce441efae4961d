import { flopCount, maskSizer } from './cost.js';
import type { Network, SsaPath } from './network.js';

/** Above this many operands the subset dynamic programme is too slow to be useful. */
export const OPTIMAL_MAX_OPERANDS = 14;

/**
 * The cheapest contraction order by dynamic programming over subsets of operands
 * (in the spirit of opt_einsum's 'optimal'/'dp'). Each subset's best cost is the
 * minimum over its two-way splits; a connected subset is only split into halves
 * that share an index, so outer products appear only where the network (or a
 * subset of it) is disconnected. Label sets are BigInt bit masks and costs are exact BigInts.
 */
export function optimalOrder(net: Network): SsaPath {
  const n = net.inputs.length;
  if (n > OPTIMAL_MAX_OPERANDS) {
    throw new RangeError(`einsum: optimize 'optimal' handles at most ${OPTIMAL_MAX_OPERANDS} operands (after preprocessing), got ${n}: use 'greedy'`);
  }
  if (n <= 1) return [];
  const { operandMask, outputMask, labelSize } = labelMasks(net);
  const split = bestSplits(keptLabels(operandMask, outputMask), connectedTest(operandMask), maskSizer(labelSize));

  const ssa: SsaPath = [];
  let nextId = n;
  const build = (S: number): number => {
    if ((S & (S - 1)) === 0) return 31 - Math.clz32(S);
    const A = split[S]!;
    const left = build(A);
    const right = build(S ^ A);
    ssa.push([left, right]);
    return nextId++;
  };
  build((1 << n) - 1);
  return ssa;
}

/** Labels as bits (in order of first appearance): each operand's, the output's, and their sizes. */
function labelMasks(net: Network): { operandMask: bigint[]; outputMask: bigint; labelSize: bigint[] } {
  const labelBit = new Map<string, bigint>();
  const labelSize: bigint[] = [];
  const bitOf = (l: string): bigint => {
    let b = labelBit.get(l);
    if (b === undefined) {
      b = 1n << BigInt(labelSize.length);
      labelBit.set(l, b);
      labelSize.push(BigInt(net.sizes.get(l)!));
    }
    return b;
  };
  const operandMask = net.inputs.map((labels) => labels.reduce((m, l) => m | bitOf(l), 0n));
  const outputMask = net.output.reduce((m, l) => m | bitOf(l), 0n);
  return { operandMask, outputMask, labelSize };
}

/** kept[S]: the labels on the operands of subset S still needed once S is one tensor (by another operand or the output). */
function keptLabels(operandMask: readonly bigint[], outputMask: bigint): bigint[] {
  const full = (1 << operandMask.length) - 1;
  // present[S]: labels on any operand of S.
  const present = new Array<bigint>(full + 1);
  present[0] = 0n;
  for (let S = 1; S <= full; S++) {
    const low = S & -S;
    present[S] = present[S ^ low]! | operandMask[31 - Math.clz32(low)]!;
  }
  const kept = new Array<bigint>(full + 1);
  for (let S = 0; S <= full; S++) kept[S] = present[S]! & (present[full ^ S]! | outputMask);
  return kept;
}

/** Whether a subset is connected: operands sharing an index are neighbours. */
function connectedTest(operandMask: readonly bigint[]): (S: number) => boolean {
  const neighbours = operandMask.map((m, i) => operandMask.reduce((acc, o, j) => (j !== i && (m & o) !== 0n ? acc | (1 << j) : acc), 0));
  return (S) => {
    let reach = S & -S;
    for (;;) {
      let grown = reach;
      for (let r = reach; r !== 0; r &= r - 1) grown |= neighbours[31 - Math.clz32(r & -r)]! & S;
      if (grown === reach) return reach === S;
      reach = grown;
    }
  };
}

/** split[S]: the half A (holding S's lowest operand) of the cheapest order of every subset S, smallest subsets first. */
function bestSplits(kept: readonly bigint[], isConnected: (S: number) => boolean, sizeOfMask: (mask: bigint) => bigint): Int32Array {
  const full = kept.length - 1;
  const cost = new Array<bigint>(full + 1).fill(0n);
  const split = new Int32Array(full + 1);
  for (let S = 1; S <= full; S++) {
    if ((S & (S - 1)) === 0) continue; // a single operand costs nothing
    const low = S & -S;
    // A connected subset is only split into halves that share an index (no outer
    // products); a disconnected one may be split any way.
    const connectedOnly = isConnected(S);
    let best: bigint | undefined;
    let bestA = 0;
    // Sub-masks A of S holding S's lowest operand visit each unordered split once.
    for (let A = (S - 1) & S; A > 0; A = (A - 1) & S) {
      if ((A & low) === 0) continue;
      const B = S ^ A;
      if (connectedOnly && (kept[A]! & kept[B]!) === 0n) continue;
      const involved = kept[A]! | kept[B]!;
      const step = flopCount(sizeOfMask(involved), (involved & ~kept[S]!) !== 0n, 2);
      const c = cost[A]! + cost[B]! + step;
      if (best === undefined || c < best) {
        best = c;
        bestA = A;
      }
    }
    cost[S] = best!;
    split[S] = bestA;
  }
  return split;
}
