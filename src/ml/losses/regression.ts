import { constant, mean, square, sub, type Var } from '../../autodiff/index.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Mean squared error mean((pred − target)²) over all elements; shapes must match. */
export function meanSquaredError(pred: Var, target: Tensor): Var {
  if (pred.shape.length !== target.shape.length || pred.shape.some((d, i) => d !== target.shape[i])) {
    throw new RangeError(`meanSquaredError: prediction shape [${pred.shape.join(', ')}] differs from target shape [${target.shape.join(', ')}]`);
  }
  return mean(square(sub(pred, constant(target.astype(pred.dtype)))));
}
