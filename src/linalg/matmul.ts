import { getKernel } from '../kernels/registry.js';
import { allocate, type FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use Aᵀ in place of A. */
  transA?: boolean;
  /** Use Bᵀ in place of B. */
  transB?: boolean;
}

/**
 * The matrix product op(A)·op(B) of two 2-D tensors on the active kernel's gemm.
 * Mixed dtypes compute in f64; otherwise the result has the inputs' dtype. Transposed
 * views (`x.T`) are passed to gemm as transposed operands instead of being copied.
 * @throws RangeError if an operand is not 2-D or the inner dimensions differ.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  for (const [label, t] of [['A', a], ['B', b]] as const) {
    if (t.ndim !== 2) throw new RangeError(`matmul: ${label} must be a 2-D matrix, got shape [${t.shape.join(', ')}]`);
  }
  const dtype = a.dtype === b.dtype ? a.dtype : 'f64';
  const A = operand(a.astype(dtype), options.transA ?? false);
  const B = operand(b.astype(dtype), options.transB ?? false);
  if (A.cols !== B.rows) {
    throw new RangeError(
      `matmul: inner dimensions differ: op(A) is ${A.rows}×${A.cols} and op(B) is ${B.rows}×${B.cols}`,
    );
  }
  const out = allocate(dtype, A.rows * B.cols);
  getKernel().gemm(A.trans, B.trans, A.rows, B.cols, A.cols, 1, A.data, B.data, 0, out);
  return new Tensor(out, [A.rows, B.cols]);
}

/** op(t) as gemm wants it: dense row-major storage plus a transpose flag. */
interface GemmOperand {
  data: FloatArray;
  trans: boolean;
  /** Shape of op(t). */
  rows: number;
  cols: number;
}

function operand(t: Tensor, transposed: boolean): GemmOperand {
  const [r, c] = t.shape as [number, number];
  const rows = transposed ? c : r;
  const cols = transposed ? r : c;
  // A transposed view of a dense matrix (strides [1, r]) is that matrix with the flag flipped.
  if (!t.isContiguous && r > 1 && c > 1 && t.strides[0] === 1 && t.strides[1] === r) {
    return { data: t.data.subarray(t.offset, t.offset + t.size), trans: !transposed, rows, cols };
  }
  return { data: t.toTypedArray(), trans: transposed, rows, cols };
}
