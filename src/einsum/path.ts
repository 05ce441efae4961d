import { flopCount, labelsSize } from './cost.js';
import { dpOrder, type DpOptions } from './dp.js';
import { greedyOrder } from './greedy.js';
import { ssaToPositional, type Network, type SsaPath } from './network.js';
import { optimalOrder } from './optimal.js';
import { labelSymbols } from './parse.js';

/** How to choose the contraction order. */
export type PathOptimizer = 'auto' | 'optimal' | 'dp' | 'greedy';

/** 'auto' uses the exhaustive optimizer up to this many operands, then 'dp', then greedy. */
export const AUTO_OPTIMAL_MAX_OPERANDS = 10;

/** 'auto' uses the connected-subgraph dynamic programme ('dp') up to this many operands, greedy beyond. */
export const AUTO_DP_MAX_OPERANDS = 20;

/**
 * Work (see {@link DpOptions.maxWork}) 'auto' lets the dynamic programme do before it settles for
 * greedy's order: one to two seconds of planning on a busy 2-core machine, where dense
 * networks of ~18 operands can need tens of seconds.
 */
export const AUTO_DP_MAX_WORK = 12_000_000;

/** What happens to one operand before any pairwise step. */
export interface OperandPrep {
  /** The operand's labels as given (repeats mean a diagonal). */
  labels: string[];
  /** True when a repeated label makes this a diagonal (a strided view, no copy). */
  diagonal: boolean;
  /** Labels found on this operand only and not in the output: summed out first. */
  summed: string[];
  /** The labels left afterwards, distinct, in first-occurrence order. */
  result: string[];
  /** FLOPs of the reduction (one add per element), 0 when nothing is summed. */
  flops: bigint;
}

/** One pairwise contraction of a plan. */
export interface PlannedStep {
  /** Positions in the current operand list (numpy/opt_einsum convention), lo < hi. */
  positions: [number, number];
  /** Labels of the two operands. */
  inputs: [string[], string[]];
  /** Labels of the result (a canonical order; execution may lay the data out differently). */
  output: string[];
  /** Labels summed by this step. */
  contracted: string[];
  /** The step as subscripts, e.g. "ab,bc->ac". */
  spec: string;
  flops: bigint;
  /** Elements of the result. */
  outputSize: bigint;
}

/** A complete, pure description of how to evaluate an einsum. */
export interface ContractionPlan {
  inputs: string[][];
  output: string[];
  sizes: ReadonlyMap<string, number>;
  /** The character each label is printed as in step specs. */
  symbols: ReadonlyMap<string, string>;
  prep: OperandPrep[];
  /** Pairwise steps in numpy/opt_einsum positional form. */
  path: [number, number][];
  steps: PlannedStep[];
  /** The optimizer whose order this is ('dp' when it settled for greedy's order as no cheaper one exists in its space; 'greedy' when 'auto' stopped it). */
  optimizer: 'optimal' | 'dp' | 'greedy';
  /** FLOPs of contracting everything in one nested loop. */
  naiveFlops: bigint;
  /** FLOPs of the preprocessing reductions plus every pairwise step. */
  optimizedFlops: bigint;
  /** Elements of the largest tensor materialized (reductions, steps, output). */
  largestIntermediate: bigint;
}

/**
 * Plans an einsum from labels and sizes alone: per-operand preprocessing
 * (diagonals, lone indices summed), then a pairwise contraction order chosen by
 * `optimize`. Labels may repeat within an input; output labels must be distinct
 * and appear in some input; every label needs a size.
 */
export function planContraction(
  inputs: readonly (readonly string[])[],
  output: readonly string[],
  sizes: ReadonlyMap<string, number>,
  optimize: PathOptimizer = 'auto',
): ContractionPlan {
  checkPlanInputs(inputs, output, sizes, optimize);
  const prep = prepareOperands(inputs, output, sizes);
  const net: Network = { inputs: prep.map((p) => p.result), output: [...output], sizes };
  const { ssa, optimizer } = pairOrder(net, optimize);
  const symbols = labelSymbols([...inputs.flat(), ...output]);
  const { path, steps } = describeSteps(net, ssa, symbols);

  const outputSet = new Set(output);
  const allLabels = [...new Set(inputs.flat())];
  const naiveFlops = flopCount(labelsSize(allLabels, sizes), allLabels.some((l) => !outputSet.has(l)), inputs.length);
  let optimizedFlops = 0n;
  let largest = labelsSize(output, sizes);
  for (const p of prep) {
    optimizedFlops += p.flops;
    if (p.summed.length > 0) largest = maxBig(largest, labelsSize(p.result, sizes));
  }
  for (const s of steps) {
    optimizedFlops += s.flops;
    largest = maxBig(largest, s.outputSize);
  }
  return {
    inputs: inputs.map((l) => [...l]),
    output: [...output],
    sizes,
    symbols,
    prep,
    path,
    steps,
    optimizer,
    naiveFlops,
    optimizedFlops,
    largestIntermediate: largest,
  };
}

/** Refuses no operands, a label without a valid size, a bad output, or an unknown optimizer. */
function checkPlanInputs(inputs: readonly (readonly string[])[], output: readonly string[], sizes: ReadonlyMap<string, number>, optimize: PathOptimizer): void {
  if (inputs.length === 0) throw new RangeError('einsum: at least one operand is needed');
  for (const l of [...inputs.flat(), ...output]) {
    const d = sizes.get(l);
    if (d === undefined || !Number.isInteger(d) || d < 0) throw new RangeError(`einsum: index '${l}' has no valid size (got ${d})`);
  }
  if (new Set(output).size !== output.length) throw new RangeError(`einsum: output [${output.join(', ')}] repeats an index`);
  const everywhere = new Set(inputs.flat());
  for (const l of output) if (!everywhere.has(l)) throw new RangeError(`einsum: output index '${l}' does not appear in any input`);
  if (optimize !== 'auto' && optimize !== 'optimal' && optimize !== 'dp' && optimize !== 'greedy') {
    throw new RangeError(`einsum: unknown optimize '${String(optimize)}': use 'auto', 'optimal', 'dp' or 'greedy'`);
  }
}

/** Per operand: diagonals taken, and indices on no other operand and not in the output summed first. */
function prepareOperands(inputs: readonly (readonly string[])[], output: readonly string[], sizes: ReadonlyMap<string, number>): OperandPrep[] {
  const outputSet = new Set(output);
  const operandsWith = new Map<string, number>();
  for (const labels of inputs) for (const l of new Set(labels)) operandsWith.set(l, (operandsWith.get(l) ?? 0) + 1);
  return inputs.map((labels) => {
    const distinct = [...new Set(labels)];
    const summed = distinct.filter((l) => operandsWith.get(l) === 1 && !outputSet.has(l));
    const result = distinct.filter((l) => !summed.includes(l));
    return {
      labels: [...labels],
      diagonal: distinct.length < labels.length,
      summed,
      result,
      flops: summed.length > 0 ? labelsSize(distinct, sizes) : 0n,
    };
  });
}

/**
 * The pairwise order by the chosen optimizer ('auto': optimal up to
 * AUTO_OPTIMAL_MAX_OPERANDS operands, dp with a work limit up to AUTO_DP_MAX_OPERANDS,
 * else greedy), and the optimizer whose order it is.
 */
function pairOrder(net: Network, optimize: PathOptimizer): { ssa: SsaPath; optimizer: 'optimal' | 'dp' | 'greedy' } {
  const count = net.inputs.length;
  const optimizer: 'optimal' | 'dp' | 'greedy' =
    optimize !== 'auto' ? optimize : count <= AUTO_OPTIMAL_MAX_OPERANDS ? 'optimal' : count <= AUTO_DP_MAX_OPERANDS ? 'dp' : 'greedy';
  if (optimizer === 'optimal') return { ssa: optimalOrder(net), optimizer };
  if (optimizer === 'greedy') return { ssa: greedyOrder(net), optimizer };
  const dp = dpOrder(net, optimize === 'auto' ? { maxWork: AUTO_DP_MAX_WORK } : {});
  return { ssa: dp.ssa, optimizer: dp.gaveUp ? 'greedy' : 'dp' };
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Replays a single-assignment order on the operand list, recording each step's labels and cost. */
function describeSteps(net: Network, ssa: SsaPath, symbols: ReadonlyMap<string, string>): { path: [number, number][]; steps: PlannedStep[] } {
  const n = net.inputs.length;
  if (ssa.length !== n - 1) throw new Error(`einsum: a contraction path for ${n} operands needs ${n - 1} steps, got ${ssa.length}`);
  const path = ssaToPositional(ssa, n);
  const word = (ls: readonly string[]): string => ls.map((l) => symbols.get(l)!).join('');
  const current = net.inputs.map((l) => [...l]);
  const outputSet = new Set(net.output);
  const steps = path.map(([i, j], k): PlannedStep => {
    const a = current[i]!;
    const b = current[j]!;
    const rest = current.filter((_, p) => p !== i && p !== j);
    const needed = new Set([...outputSet, ...rest.flat()]);
    const inA = new Set(a);
    const union = [...a, ...b.filter((l) => !inA.has(l))];
    const last = k === path.length - 1;
    const output = last ? [...net.output] : union.filter((l) => needed.has(l));
    const contracted = union.filter((l) => !needed.has(l));
    current.splice(j, 1);
    current.splice(i, 1);
    current.push(output);
    return {
      positions: [i, j],
      inputs: [a, b],
      output,
      contracted,
      spec: `${word(a)},${word(b)}->${word(output)}`,
      flops: flopCount(labelsSize(union, net.sizes), contracted.length > 0, 2),
      outputSize: labelsSize(output, net.sizes),
    };
  });
  return { path, steps };
}
