/**
 * The planning view of a contraction: each operand is a set of distinct labels
 * (diagonals already taken, lone indices already summed), plus the output labels
 * and every label's size. Optimizers see only this, so planning is a pure
 * function of labels and sizes.
 */
export interface Network {
  /** Distinct labels of each operand. */
  readonly inputs: readonly (readonly string[])[];
  readonly output: readonly string[];
  readonly sizes: ReadonlyMap<string, number>;
}

/**
 * A contraction order in single-assignment form: operands are 0…n−1 and the
 * k-th pair's result gets id n+k.
 */
export type SsaPath = [number, number][];

/**
 * Converts a single-assignment path into numpy/opt_einsum form, where each pair
 * indexes the current operand list, both are removed and the result appended.
 */
export function ssaToPositional(ssa: SsaPath, operandCount: number): [number, number][] {
  const current = [...Array(operandCount).keys()];
  let next = operandCount;
  return ssa.map(([x, y]) => {
    const i = current.indexOf(x);
    const j = current.indexOf(y);
    if (i < 0 || j < 0 || i === j) throw new Error(`einsum: invalid contraction path step (${x}, ${y})`);
    const lo = Math.min(i, j);
    const hi = Math.max(i, j);
    current.splice(hi, 1);
    current.splice(lo, 1);
    current.push(next++);
    return [lo, hi];
  });
}
