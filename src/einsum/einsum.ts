import { Tensor } from '../tensor/tensor.js';
import { ratio } from './cost.js';
import { executePlan, type LayoutMemo } from './execute.js';
import { parseSubscripts } from './parse.js';
import { planContraction, type ContractionPlan, type PathOptimizer } from './path.js';
import { resolveSizes } from './sizes.js';

/** Options of {@link einsum} and {@link einsumPath}. */
export interface EinsumOptions {
  /**
   * Contraction-order optimizer. Default 'auto': 'optimal' up to 10 operands (after
   * preprocessing), 'dp' (dynamic programming over connected subgraphs) up to 20,
   * 'greedy' beyond or when 'dp' would take too long.
   */
  optimize?: PathOptimizer;
}

/** One pairwise step of an {@link EinsumPath}. */
export interface EinsumPathStep {
  /** The pair contracted, as positions in the current operand list. */
  operands: [number, number];
  /** The step as subscripts, e.g. "ab,bc->ac" (broadcast dimensions get spare letters). */
  spec: string;
  flops: bigint;
  outputShape: number[];
  /** Size of every index letter in `spec`. */
  sizes: Record<string, number>;
}

/** A contraction order and its cost, like opt_einsum's `contract_path`. */
export interface EinsumPath {
  /**
   * Pairs of positions in the current operand list: both are removed and their
   * product appended (numpy/opt_einsum convention). Indices found on one operand
   * only are summed out of it before the first pair.
   */
  path: [number, number][];
  steps: EinsumPathStep[];
  /** Exact FLOP counts: one nested loop over all indices, and this path. */
  flops: { naive: bigint; optimized: bigint };
  /** Elements of the largest tensor the path materializes. */
  largestIntermediate: bigint;
  /** `flops.naive` as a number (rounded beyond 2^53), for rates and printing. */
  naiveFlops: number;
  /** `flops.optimized` as a number (rounded beyond 2^53). */
  optimizedFlops: number;
  /** naive / optimized FLOPs. */
  speedup: number;
  /** The optimizer that produced the path ('auto' resolves to one of these). */
  optimizer: 'optimal' | 'dp' | 'greedy';
}

interface Compiled {
  plan: ContractionPlan;
  broadcastAxes: number[][];
  layouts: LayoutMemo;
}

// Plans depend only on (subscripts, shapes, optimizer); loops that call einsum
// with the same shapes (sweeps, training) skip parsing and planning.
const PLAN_CACHE_LIMIT = 256;
const planCache = new Map<string, Compiled>();

function compile(spec: string, shapes: readonly (readonly number[])[], optimize: PathOptimizer): Compiled {
  const key = `${spec}|${shapes.map((s) => s.join(',')).join(';')}|${optimize}`;
  const hit = planCache.get(key);
  if (hit) {
    planCache.delete(key);
    planCache.set(key, hit);
    return hit;
  }
  const subscripts = parseSubscripts(spec, shapes.map((s) => s.length));
  const { sizes, broadcastAxes, inputs } = resolveSizes(subscripts, shapes);
  const compiled = { plan: planContraction(inputs, subscripts.output, sizes, optimize), broadcastAxes, layouts: new Map() };
  planCache.set(key, compiled);
  if (planCache.size > PLAN_CACHE_LIMIT) planCache.delete(planCache.keys().next().value!);
  return compiled;
}

/** Separates a trailing options object from the operands, checking each operand is an `what`. */
function splitOptions<T>(args: readonly (T | EinsumOptions)[], isItem: (x: unknown) => x is T, what: string): { items: T[]; options: EinsumOptions } {
  const last = args[args.length - 1];
  const hasOptions = last !== undefined && !isItem(last) && typeof last === 'object' && last !== null && !Array.isArray(last);
  const items = (hasOptions ? args.slice(0, -1) : args) as unknown[];
  items.forEach((x, k) => {
    if (!isItem(x)) throw new TypeError(`einsum: operand ${k} is ${x === null ? 'null' : typeof x}, not ${what}`);
  });
  return { items: items as T[], options: hasOptions ? (last as EinsumOptions) : {} };
}

const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

/**
 * Einstein summation over any number of tensors, with numpy's subscripts:
 * explicit (`'ij,jk->ik'`) or implicit (`'ij,jk'`: the indices appearing once,
 * sorted) output, repeated indices for traces and diagonals (`'ii'`, `'ii->i'`),
 * and `...` for broadcast dimensions. Letters a–z and A–Z; spaces are ignored.
 * The operands are contracted pairwise along an optimized path, each step one
 * batched gemm on the active backend. Mixed f32/f64 operands compute in f64.
 * A trailing `{ optimize }` object picks the path optimizer.
 * @returns a new contiguous tensor.
 * @example einsum('bij,bjk->bik', x, y)  // batched matrix product
 */
export function einsum(spec: string, ...operands: Tensor[]): Tensor;
export function einsum(spec: string, ...args: [...Tensor[], EinsumOptions]): Tensor;
export function einsum(spec: string, ...args: (Tensor | EinsumOptions)[]): Tensor {
  const { items, options } = splitOptions(args, isTensor, 'a Tensor');
  const { plan, broadcastAxes, layouts } = compile(spec, items.map((t) => t.shape), options.optimize ?? 'auto');
  const dtype = items.some((t) => t.dtype === 'f64') ? 'f64' : items.length > 0 ? items[0]!.dtype : 'f64';
  const operands = items.map((t, k) => dropAxes(t.astype(dtype), broadcastAxes[k]!));
  return executePlan(plan, operands, layouts);
}

/** Removes size-1 axes (a view). */
function dropAxes(t: Tensor, axes: readonly number[]): Tensor {
  if (axes.length === 0) return t;
  const keep = (_: number, i: number): boolean => !axes.includes(i);
  return new Tensor(t.data, t.shape.filter(keep), t.strides.filter(keep), t.offset);
}

const isShapeOrTensor = (x: unknown): x is Tensor | readonly number[] =>
  x instanceof Tensor || (Array.isArray(x) && x.every((d) => typeof d === 'number'));

/**
 * The contraction path einsum would take, from shapes or tensors, with FLOP
 * counts: like opt_einsum's `contract_path`. A trailing `{ optimize }` object
 * picks the optimizer ('auto' by default).
 * @example einsumPath('ab,bc,cd->ad', [10, 100], [100, 5], [5, 50]).path  // [[0, 1], [0, 1]]
 */
export function einsumPath(spec: string, ...operands: (Tensor | readonly number[])[]): EinsumPath;
export function einsumPath(spec: string, ...args: [...(Tensor | readonly number[])[], EinsumOptions]): EinsumPath;
export function einsumPath(spec: string, ...args: (Tensor | readonly number[] | EinsumOptions)[]): EinsumPath {
  const { items, options } = splitOptions(args, isShapeOrTensor, 'a Tensor or a shape');
  const shapes = items.map((x) => (x instanceof Tensor ? x.shape : x));
  const { plan } = compile(spec, shapes, options.optimize ?? 'auto');
  return {
    path: plan.path.map(([i, j]) => [i, j]),
    steps: plan.steps.map((s) => ({
      operands: [...s.positions],
      spec: s.spec,
      flops: s.flops,
      outputShape: s.output.map((l) => plan.sizes.get(l)!),
      sizes: Object.fromEntries([...s.inputs[0], ...s.inputs[1]].map((l) => [plan.symbols.get(l)!, plan.sizes.get(l)!])),
    })),
    flops: { naive: plan.naiveFlops, optimized: plan.optimizedFlops },
    naiveFlops: Number(plan.naiveFlops),
    optimizedFlops: Number(plan.optimizedFlops),
    largestIntermediate: plan.largestIntermediate,
    speedup: ratio(plan.naiveFlops, plan.optimizedFlops),
    optimizer: plan.optimizer,
  };
}
