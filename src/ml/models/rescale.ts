import { constant, mul, type Var } from '../../autodiff/index.js';
import { allocate } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/*
 * The per-step normalisation trick for long contractions. After each contraction step the
 * environment of every sample is multiplied by a power of two, 2^−k_b, chosen so its largest
 * entry lies in [0.5, 1); the exponents are summed in a per-sample log scale. Powers of two
 * make the rescaling exact in floating point, and the factors are constants on the tape, so
 * the value and gradient of the final (re-scaled) output equal those of the plain contraction;
 * only the intermediate magnitudes stay in range. A 200-site chain whose output is 10^±60
 * would otherwise underflow or overflow in f32 half-way along.
 */

/** Running base-2 log scale of each sample: the true value is `env · 2^exponent[b]`. */
export type LogScale = Float64Array;

/** A fresh zero log scale for `batch` samples. */
export function zeroScale(batch: number): LogScale {
  return new Float64Array(batch);
}

/**
 * Rescales each batch row (axis 0) of `env` by a power of two so its max-abs entry lies in
 * [0.5, 1), adding the exponents to `scale` (in place). Rows that are all zero (or not
 * finite) are left as they are.
 */
export function rescaleRows(env: Var, scale: LogScale): Var {
  const batch = env.shape[0]!;
  const per = env.size / Math.max(batch, 1);
  const data = env.value.contiguous().data;
  const factors = allocate(env.dtype, batch);
  let trivial = true;
  for (let b = 0; b < batch; b++) {
    let m = 0;
    for (let i = b * per, end = i + per; i < end; i++) {
      const v = Math.abs(data[i]!);
      if (v > m) m = v;
    }
    const k = rescaleExponent(m);
    factors[b] = 2 ** -k;
    scale[b] = scale[b]! + k;
    if (k !== 0) trivial = false;
  }
  if (trivial) return env;
  const shape = [batch, ...new Array<number>(env.ndim - 1).fill(1)];
  return mul(env, constant(new Tensor(factors, shape)));
}

/**
 * Multiplies each row of `out` `[batch, …]` back by 2^scale[b]. When the factor would
 * overflow the dtype the value becomes ±Infinity, as the plain contraction would.
 */
export function applyScale(out: Var, scale: LogScale): Var {
  const batch = out.shape[0]!;
  if (scale.every((k) => k === 0)) return out;
  const factors = allocate(out.dtype, batch);
  for (let b = 0; b < batch; b++) factors[b] = 2 ** scale[b]!;
  return mul(out, constant(new Tensor(factors, [batch, ...new Array<number>(out.ndim - 1).fill(1)])));
}

/** Per-sample site vectors `x[:, s, :]` of a product-state batch `[batch, sites, d]`, as contiguous `[batch, d]` tensors in `dtype`. */
export function siteSlices(x: Tensor, dtype: Tensor['dtype']): Tensor[] {
  const [batch, sites, d] = x.shape as [number, number, number];
  const src = x.contiguous().data;
  const out: Tensor[] = [];
  for (let s = 0; s < sites; s++) {
    const data = allocate(dtype, batch * d);
    for (let b = 0; b < batch; b++) {
      const from = (b * sites + s) * d;
      for (let i = 0; i < d; i++) data[b * d + i] = src[from + i]!;
    }
    out.push(new Tensor(data, [batch, d]));
  }
  return out;
}

/** Checks a product-state batch against a model's sites and physical dimension, naming the mismatch. */
export function checkBatch(x: Tensor, sites: number, physDim: number, who: string): void {
  if (!(x instanceof Tensor)) throw new TypeError(`${who}: the input must be a Tensor [batch, sites, d]`);
  if (x.ndim !== 3) throw new RangeError(`${who}: the input must be a product-state batch [batch, sites, d], got shape [${x.shape.join(', ')}]`);
  if (x.shape[1] !== sites) throw new RangeError(`${who}: the input has ${x.shape[1]} sites but the model has ${sites}`);
  if (x.shape[2] !== physDim) throw new RangeError(`${who}: the input has physical dimension ${x.shape[2]} but the model expects ${physDim}`);
  if (x.shape[0] === 0) throw new RangeError(`${who}: the input batch is empty`);
}

/** Checks replacement cores against the current ones (count and shapes), naming the first mismatch. */
export function checkSameShapes(current: readonly { readonly shape: readonly number[] }[], next: readonly Tensor[], who: string): void {
  if (next.length !== current.length) throw new RangeError(`${who}: ${next.length} cores given, the model has ${current.length}`);
  next.forEach((t, k) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${who}: core ${k} is not a Tensor`);
    const want = current[k]!.shape;
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      throw new RangeError(`${who}: core ${k} has shape [${t.shape.join(', ')}], expected [${want.join(', ')}]`);
    }
  });
}

/**
 * The power-of-two exponent k that brings a row whose max-abs entry is `maxAbs` into [0.5, 1) when
 * multiplied by 2^−k (0 for a zero or non-finite row). Clamped to ±1000: 2^1024 overflows f64 as one
 * factor, and a larger step is not needed in practice.
 */
export function rescaleExponent(maxAbs: number): number {
  const k = maxAbs > 0 && Number.isFinite(maxAbs) ? Math.floor(Math.log2(maxAbs)) + 1 : 0;
  return Math.max(-1000, Math.min(1000, k));
}
