/** What the network fits (ALS and Levenberg–Marquardt) share: input checks and the initial scale match (their masked RSE is scaled-norm.ts's relativeError). */
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertCores } from './contract-cores.js';
import { maskBytes, type Mask } from './mask.js';
import type { RankMatrix } from './rank-matrix.js';

/** The optional inputs shared by the network fits (ALS and Levenberg–Marquardt). */
export interface FitInputs {
  mask?: Mask;
  truth?: Tensor;
  init?: readonly Tensor[];
}

/**
 * Checks a fit's mask, truth and init cores against the tensor's shape `dims` and the
 * rank matrix R; returns the mask as bytes (undefined without one).
 * @throws RangeError naming the function, the input and the shapes that disagree.
 */
export function checkFitInputs(dims: readonly number[], R: RankMatrix, inputs: FitInputs, fn: string): Uint8Array | undefined {
  const mask = inputs.mask === undefined ? undefined : maskBytes(inputs.mask, dims, fn);
  const truth = inputs.truth;
  if (truth !== undefined && !shapesEqual(truth.shape, dims)) {
    throw new RangeError(`${fn}: truth has shape [${truth.shape.join(', ')}] but the tensor has shape [${dims.join(', ')}]`);
  }
  if (inputs.init !== undefined) {
    const initDims = assertCores(inputs.init, R, `${fn} (init)`);
    if (!shapesEqual(initDims, dims)) {
      throw new RangeError(`${fn}: the init cores have physical dimensions [${initDims.join(', ')}] but the tensor has shape [${dims.join(', ')}]`);
    }
  }
  return mask;
}

/** The least-squares scale s minimizing ‖s·model − x‖ on the selected entries (1 if the model is 0). */
export function scaleToMatch(model: ArrayLike<number>, x: ArrayLike<number>, mask: Uint8Array | undefined): number {
  let mx = 0;
  let mm = 0;
  for (let p = 0; p < x.length; p++) {
    if (mask && mask[p] === 0) continue;
    mx += model[p]! * x[p]!;
    mm += model[p]! * model[p]!;
  }
  if (mm === 0 || mx === 0) return 1;
  return mx / mm;
}
