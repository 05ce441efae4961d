/**
 * The scale pyramid of RGTN: the tensor downsampled by 2 along its modes (average
 * pooling or decimation), and the prolongation of cores back to a finer scale
 * (linear interpolation along the physical index).
 */
import type { Mask } from '../decompose/mask.js';
import { maskBytes } from '../decompose/mask.js';
import { Tensor } from '../tensor/tensor.js';

/** How a scale is made from the finer one. */
export type Downsampling = 'pool' | 'decimate';

/** One scale: the tensor, its observed entries (bytes, 1 = observed) if masked. */
export interface Scale {
  x: Tensor;
  mask?: Uint8Array;
}

/** The dims of the next coarser scale: modes with d ≥ 2·minDim are halved (floor). */
export function coarserDims(dims: readonly number[], minDim: number): number[] {
  return dims.map((d) => (d >= 2 * minDim ? Math.floor(d / 2) : d));
}

/**
 * Downsamples one scale. Pooling averages each block of 2 along every halved mode
 * (over the observed entries only; a block with none stays unobserved); decimation
 * keeps the even indices.
 */
export function downsample(scale: Scale, to: readonly number[], mode: Downsampling): Scale {
  const from = scale.x.shape;
  const n = from.length;
  const src = scale.x.toTypedArray();
  const size = to.reduce((p, d) => p * d, 1);
  const sum = new Float64Array(size);
  const cnt = new Float64Array(size);
  const fromStrides = new Array<number>(n);
  const toStrides = new Array<number>(n);
  for (let k = n - 1, a = 1, b = 1; k >= 0; k--) {
    fromStrides[k] = a;
    toStrides[k] = b;
    a *= from[k]!;
    b *= to[k]!;
  }
  const idx = new Array<number>(n).fill(0);
  for (let p = 0; p < src.length; p++) {
    let q = 0;
    let keep = true;
    for (let k = 0; k < n; k++) {
      const halved = to[k] !== from[k];
      const t = halved ? idx[k]! >> 1 : idx[k]!;
      if (t >= to[k]! || (mode === 'decimate' && halved && (idx[k]! & 1) === 1)) keep = false;
      q += t * toStrides[k]!;
    }
    if (keep && scale.mask?.[p] !== 0) {
      sum[q] += src[p]!;
      cnt[q] += 1;
    }
    for (let k = n - 1; k >= 0; k--) {
      if (++idx[k]! < from[k]!) break;
      idx[k] = 0;
    }
  }
  let anyMissing = false;
  const mask = new Uint8Array(size);
  for (let q = 0; q < size; q++) {
    if (cnt[q]! > 0) {
      sum[q] = sum[q]! / cnt[q]!;
      mask[q] = 1;
    } else anyMissing = true;
  }
  const x = new Tensor(sum, [...to]);
  return anyMissing || scale.mask ? { x, mask } : { x };
}

/**
 * The pyramid, finest first: up to `scales` levels, stopping early when no mode can be
 * halved any more (every d < 2·minDim).
 */
export function buildPyramid(x: Tensor, options: { scales: number; mode: Downsampling; minDim: number; mask?: Mask }): Scale[] {
  const first: Scale = options.mask === undefined ? { x } : { x, mask: maskBytes(options.mask, x.shape, 'buildPyramid') };
  const out = [first];
  while (out.length < options.scales) {
    const prev = out[out.length - 1]!;
    const dims = coarserDims(prev.x.shape, options.minDim);
    if (dims.every((d, k) => d === prev.x.shape[k])) break;
    out.push(downsample(prev, dims, options.mode));
  }
  return out;
}

/**
 * Interpolates core's physical axis (axis 0) from d to D entries: linear interpolation
 * at the fine sample's position on the coarse grid (cell centres for pooling, even
 * samples for decimation), clamped at the ends. The structure (bond axes) is unchanged.
 */
export function upsampleCore(core: Tensor, D: number, mode: Downsampling): Tensor {
  const d = core.shape[0]!;
  if (D === d) return core;
  const rest = core.size / d;
  const src = core.toTypedArray();
  const out = new Float64Array(D * rest);
  for (let p = 0; p < D; p++) {
    let pos = mode === 'pool' ? ((p + 0.5) * d) / D - 0.5 : (p * d) / D;
    pos = Math.min(Math.max(pos, 0), d - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, d - 1);
    const w = pos - lo;
    for (let c = 0; c < rest; c++) out[p * rest + c] = (1 - w) * src[lo * rest + c]! + w * src[hi * rest + c]!;
  }
  return new Tensor(out, [D, ...core.shape.slice(1)]).astype(core.dtype);
}
