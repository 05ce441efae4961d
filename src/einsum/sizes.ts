import { isEllipsisLabel, type Subscripts } from './parse.js';

/** The size of every label, and which axes of each operand broadcast away. */
export interface ResolvedSizes {
  sizes: Map<string, number>;
  /**
   * Per operand, the axes that are broadcast: size-1 ellipsis dimensions where
   * another operand has a larger size. They are dropped before planning, since a
   * value that does not vary along an index is the same as one without it.
   */
  broadcastAxes: number[][];
  /** Per operand, its labels without the broadcast axes. */
  inputs: string[][];
}

/**
 * Checks operand shapes against parsed subscripts and fixes each label's size.
 * Letters must agree exactly; ellipsis dimensions broadcast numpy-style (size 1
 * stretches to any size).
 */
export function resolveSizes(subscripts: Subscripts, shapes: readonly (readonly number[])[]): ResolvedSizes {
  const sizes = new Map<string, number>();
  const firstSeen = new Map<string, { operand: number; axis: number }>();
  subscripts.inputs.forEach((labels, k) => {
    const shape = shapes[k]!;
    labels.forEach((label, axis) => {
      const d = shape[axis]!;
      const known = sizes.get(label);
      if (isEllipsisLabel(label)) {
        if (known === undefined || known === 1) sizes.set(label, d);
        else if (d !== 1 && d !== known) {
          const ellipsisAxis = Number(label.slice(1));
          throw new RangeError(
            `einsum: ellipsis dimensions do not broadcast: broadcast axis ${ellipsisAxis} has size ${d} in operand ${k} (shape [${shape.join(', ')}]) but ${known} in another operand`,
          );
        }
        return;
      }
      if (known === undefined) {
        sizes.set(label, d);
        firstSeen.set(label, { operand: k, axis });
      } else if (known !== d) {
        const first = firstSeen.get(label)!;
        throw new RangeError(
          first.operand === k
            ? `einsum: index '${label}' has size ${known} at axis ${first.axis} but ${d} at axis ${axis} of operand ${k}`
            : `einsum: index '${label}' has size ${known} in operand ${first.operand} but ${d} in operand ${k}`,
        );
      }
    });
  });
  const broadcastAxes = subscripts.inputs.map((labels, k) =>
    labels.flatMap((label, axis) => (isEllipsisLabel(label) && shapes[k]![axis] === 1 && sizes.get(label)! !== 1 ? [axis] : [])),
  );
  const inputs = subscripts.inputs.map((labels, k) => labels.filter((_, axis) => !broadcastAxes[k]!.includes(axis)));
  return { sizes, broadcastAxes, inputs };
}
