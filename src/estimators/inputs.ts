import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { EstimatorOptionError } from './option-error.js';

/** Samples as the estimators take them: a Tensor `[n, features]` (or `[n, h, w]` images) or rows of numbers. */
export type SampleInput = Tensor | readonly (readonly number[])[];

/**
 * `X` as a contiguous `[n, features]` tensor of `dtype` (trailing axes flattened), checked:
 * at least `minRows` rows, rows of equal length, finite values.
 * @throws EstimatorOptionError naming `name` and the first bad row or cell.
 */
export function sampleMatrix(estimator: string, name: string, X: SampleInput, dtype: DType, minRows = 1): Tensor {
  let t: Tensor;
  if (X instanceof Tensor) {
    if (X.ndim < 2) throw new EstimatorOptionError(estimator, name, `expected samples [n, features], got shape [${X.shape.join(', ')}]`);
    const features = X.shape.slice(1).reduce((a, b) => a * b, 1);
    t = X.astype(dtype).contiguous().reshape(X.shape[0]!, features);
  } else if (Array.isArray(X)) {
    const rows = X as readonly (readonly number[])[];
    const width = rows.length > 0 && Array.isArray(rows[0]) ? rows[0].length : 0;
    const data = dtype === 'f32' ? new Float32Array(rows.length * width) : new Float64Array(rows.length * width);
    rows.forEach((row, i) => {
      if (!Array.isArray(row)) throw new EstimatorOptionError(estimator, name, `row ${i} is not an array of numbers`);
      if (row.length !== width) throw new EstimatorOptionError(estimator, name, `row ${i} has ${row.length} features, row 0 has ${width}`);
      for (let j = 0; j < width; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new EstimatorOptionError(estimator, name, `row ${i}, feature ${j} is ${JSON.stringify(v)}, not a number`);
        data[i * width + j] = v;
      }
    });
    t = new Tensor(data, [rows.length, width]);
  } else {
    throw new EstimatorOptionError(estimator, name, `expected a Tensor [n, features] or an array of rows, got ${X === null ? 'null' : typeof X}`);
  }
  const [n, f] = t.shape as [number, number];
  if (n < minRows) throw new EstimatorOptionError(estimator, name, `needs at least ${minRows} sample${minRows === 1 ? '' : 's'}, got ${n}`);
  if (f < 1) throw new EstimatorOptionError(estimator, name, 'the samples have no features');
  const data = t.toTypedArray();
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    if (v - v !== 0) throw new EstimatorOptionError(estimator, name, `row ${Math.floor(p / f)}, feature ${p % f} is ${v}; expected finite values`);
  }
  return t;
}

/**
 * Class labels as an Int32Array, checked against the sample count: integers ≥ 0.
 * @throws EstimatorOptionError naming `name`.
 */
export function labelArray(estimator: string, name: string, y: ArrayLike<number>, samples: number): Int32Array {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<number>).length !== 'number') {
    throw new EstimatorOptionError(estimator, name, `expected an array of class labels, got ${y === null ? 'null' : typeof y}`);
  }
  if (y.length !== samples) throw new EstimatorOptionError(estimator, name, `${y.length} labels for ${samples} samples (rows of X)`);
  const out = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v) || v < 0) throw new EstimatorOptionError(estimator, name, `label ${i} is ${v}; labels must be integers ≥ 0`);
    out[i] = v;
  }
  return out;
}
