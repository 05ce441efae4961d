import { einsum } from '../einsum/einsum.js';
import { executePlan } from '../einsum/execute.js';
import { planContraction, type PathOptimizer } from '../einsum/path.js';
import type { DType } from '../tensor/dtype.js';
import { LabeledTensor } from './labeled-tensor.js';
import { assertDistinct, type Index } from './tensor-index.js';

/** einsum's index letters, in the order they are handed out. */
export const EINSUM_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Options of {@link contractTensors}. */
export interface ContractOptions {
  /** Indices of the result, in order (default: the indices found on exactly one tensor, in order of appearance). */
  output?: readonly Index[];
  /** einsum's path optimizer (default 'auto'). */
  optimize?: PathOptimizer;
}

/**
 * Indices that appear on exactly one of `tensors`, in order of appearance (tensor
 * order, then axis order): the open legs of their contraction.
 */
export function danglingIndices(tensors: readonly LabeledTensor[]): Index[] {
  const count = new Map<string, number>();
  for (const t of tensors) for (const ix of t.indices) count.set(ix.key, (count.get(ix.key) ?? 0) + 1);
  return tensors.flatMap((t) => t.indices.filter((ix) => count.get(ix.key) === 1));
}

/**
 * Contracts labelled tensors over every index they share (an index on three or more
 * tensors is a hyperedge, summed once), keeping `output`.
 *
 * With at most 52 distinct indices this is one einsum call whose letters are handed
 * out in order of first appearance (so equal structures give equal specs and reuse
 * einsum's plan cache) and the path optimizer orders the pairwise steps. Beyond 52 the
 * same planner runs on the index keys themselves and the plan is executed directly,
 * so there is no limit on the number of indices.
 * @throws RangeError when an output index is missing, repeated, or `tensors` is empty.
 */
export function contractTensors(tensors: readonly LabeledTensor[], options: ContractOptions = {}): LabeledTensor {
  if (tensors.length === 0) throw new RangeError('contract: no tensors to contract');
  const output = options.output ?? danglingIndices(tensors);
  assertDistinct(output, 'contract: output');
  const byKey = new Map<string, Index>();
  for (const t of tensors) {
    for (const ix of t.indices) {
      const seen = byKey.get(ix.key);
      if (seen && seen.dim !== ix.dim) throw new RangeError(`contract: index ${ix.toString()} has dims ${seen.dim} and ${ix.dim} on different tensors`);
      byKey.set(ix.key, ix);
    }
  }
  for (const ix of output) {
    if (!byKey.has(ix.key)) throw new RangeError(`contract: output index ${ix.toString()} is on none of the tensors`);
  }
  const dtype: DType = tensors.some((t) => t.dtype === 'f64') ? 'f64' : 'f32';
  const optimize = options.optimize ?? 'auto';

  if (byKey.size <= EINSUM_LETTERS.length) {
    const spec = einsumSpec(tensors.map((t) => t.indices), output);
    return new LabeledTensor(einsum(spec, ...tensors.map((t) => t.data), { optimize }), output);
  }

  const sizes = new Map([...byKey].map(([k, ix]) => [k, ix.dim]));
  const plan = planContraction(
    tensors.map((t) => t.indices.map((ix) => ix.key)),
    output.map((ix) => ix.key),
    sizes,
    optimize,
  );
  return new LabeledTensor(executePlan(plan, tensors.map((t) => t.data.astype(dtype))), output);
}

/**
 * The einsum spec that contracts operands with the axis labels `operands` into `output`: one
 * letter per distinct index, handed out in order of first appearance (operand order, then
 * axis order), so equal structures give equal specs whatever the index ids and dims. An
 * index on three or more operands is a hyperedge (a batch index, say).
 * @throws RangeError when there are more than 52 distinct indices or an output index is on no operand.
 */
export function einsumSpec(operands: readonly (readonly Index[])[], output: readonly Index[]): string {
  const letter = new Map<string, string>();
  for (const ixs of operands) {
    for (const ix of ixs) {
      if (letter.has(ix.key)) continue;
      const l = EINSUM_LETTERS[letter.size];
      if (l === undefined) throw new RangeError(`einsumSpec: more than ${EINSUM_LETTERS.length} distinct indices`);
      letter.set(ix.key, l);
    }
  }
  const word = (ixs: readonly Index[]): string =>
    ixs.map((ix) => {
      const l = letter.get(ix.key);
      if (l === undefined) throw new RangeError(`einsumSpec: output index ${ix.toString()} is on none of the operands`);
      return l;
    }).join('');
  return `${operands.map(word).join(',')}->${word(output)}`;
}

/** Contracts two labelled tensors over their shared indices (the ITensor `A * B`). */
export function contractTensorPair(a: LabeledTensor, b: LabeledTensor, options: ContractOptions = {}): LabeledTensor {
  return contractTensors([a, b], options);
}
