import { shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Which entries of a tensor are observed: a tensor of the same shape (non-zero =
 * observed) or a Uint8Array over its entries in C order (non-zero = observed).
 */
export type Mask = Tensor | Uint8Array;

/**
 * The mask as one byte per entry in C order (1 = observed), checked against `shape`.
 * @throws RangeError when the mask's shape or length does not match, or it holds NaN.
 */
export function maskBytes(mask: Mask, shape: readonly number[], fn: string): Uint8Array {
  const size = sizeOf(shape);
  if (mask instanceof Tensor) {
    if (!shapesEqual(mask.shape, shape)) {
      throw new RangeError(`${fn}: the mask has shape [${mask.shape.join(', ')}] but the tensor has shape [${shape.join(', ')}]`);
    }
    const src = mask.toTypedArray();
    const out = new Uint8Array(size);
    for (let p = 0; p < size; p++) {
      const v = src[p]!;
      if (Number.isNaN(v)) throw new RangeError(`${fn}: the mask has NaN at flat index ${p}`);
      out[p] = v !== 0 ? 1 : 0;
    }
    return out;
  }
  if (!(mask instanceof Uint8Array)) throw new TypeError(`${fn}: the mask must be a Tensor or a Uint8Array`);
  if (mask.length !== size) {
    throw new RangeError(`${fn}: the mask has ${mask.length} entries but the tensor of shape [${shape.join(', ')}] has ${size}`);
  }
  return mask;
}
