import { isEllipsisLabel, type Subscripts } from './parse.js';

/** The size of every label, and which axes of each operand broadcast away. */
export interface ResolvedSizes {
  sizes: Map<string, number>;
  /**
   * Per operand, the axes that are broadcast: size-1 axes (of an ellipsis dimension
   * or a named index) where another operand has a different size. They are dropped
   * before planning, since a value that does not vary along an index is the same as
   * one without it.
   */
  broadcastAxes: number[][];
  /** Per operand, its labels without the broadcast axes. */
  inputs: string[][];
}

/**
 * Checks operand shapes against parsed subscripts and fixes each label's size.
 * As in numpy, a size-1 axis broadcasts against any size of the same index in
 * another operand (ellipsis dimensions and named indices alike); within one
 * operand, a repeated index (a diagonal) must have one size on all its axes.
 */
export function resolveSizes(subscripts: Subscripts, shapes: readonly (readonly number[])[]): ResolvedSizes {
  const sizes = new Map<string, number>();
  const firstSeen = new Map<string, { operand: number; axis: number }>();
  subscripts.inputs.forEach((labels, k) => {
    const shape = shapes[k]!;
    const here = new Map<string, number>();
    labels.forEach((label, axis) => {
      const d = shape[axis]!;
      const same = here.get(label);
      if (same !== undefined && shape[same] !== d) {
        throw new RangeError(`einsum: index '${label}' has size ${shape[same]} at axis ${same} but ${d} at axis ${axis} of operand ${k}`);
      }
      if (same !== undefined) return;
      here.set(label, axis);
      const known = sizes.get(label);
      if (known === undefined || (known === 1 && d !== 1)) {
        sizes.set(label, d);
        firstSeen.set(label, { operand: k, axis });
      } else if (d !== 1 && d !== known) {
        if (isEllipsisLabel(label)) {
          const ellipsisAxis = Number(label.slice(1));
          throw new RangeError(
            `einsum: ellipsis dimensions do not broadcast: broadcast axis ${ellipsisAxis} has size ${d} in operand ${k} (shape [${shape.join(', ')}]) but ${known} in another operand`,
          );
        }
        throw new RangeError(`einsum: index '${label}' has size ${known} in operand ${firstSeen.get(label)!.operand} but ${d} in operand ${k}`);
      }
    });
  });
  const broadcastAxes = subscripts.inputs.map((labels, k) =>
    labels.flatMap((label, axis) => (shapes[k]![axis] === 1 && sizes.get(label)! !== 1 ? [axis] : [])),
  );
  const inputs = subscripts.inputs.map((labels, k) => labels.filter((_, axis) => !broadcastAxes[k]!.includes(axis)));
  return { sizes, broadcastAxes, inputs };
}
