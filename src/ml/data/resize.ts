import { allocate, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * The 1-D area-averaging weights from `from` input pixels to `to` output pixels, as a dense
 * [to, from] row-major matrix: output pixel i covers the input interval
 * [i·from/to, (i+1)·from/to) and averages the input pixels by their overlap with it. Each
 * row sums to 1. For an integer factor f = from/to it is the plain mean of f pixels.
 */
export function areaWeights(from: number, to: number): Float64Array {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < 1) {
    throw new RangeError(`areaWeights: sizes must be integers ≥ 1, got ${from} → ${to}`);
  }
  const w = new Float64Array(to * from);
  // Work in units of 1/to of an input pixel to keep the bounds exact integers.
  for (let i = 0; i < to; i++) {
    const start = i * from;
    const end = (i + 1) * from;
    for (let p = Math.floor(start / to); p < Math.ceil(end / to); p++) {
      const overlap = Math.min(end, (p + 1) * to) - Math.max(start, p * to);
      if (overlap > 0) w[i * from + p] = overlap / from;
    }
  }
  return w;
}

/**
 * Resizes a stack of images [n, H, W] (or one image [H, W]) to [n, h, w] by area
 * averaging (each output pixel is the mean of the input area it covers; separable rows
 * then columns). Shrinking by an integer factor gives the plain block mean, e.g. 28 → 14
 * is the 2×2 mean. Enlarging repeats pixels by overlap.
 */
export function resizeArea(images: Tensor, size: number | readonly [number, number], options: { dtype?: DType } = {}): Tensor {
  if (!(images instanceof Tensor) || (images.ndim !== 2 && images.ndim !== 3)) {
    throw new RangeError(`resizeArea: expected images [H, W] or [n, H, W], got ${images instanceof Tensor ? `shape [${images.shape.join(', ')}]` : typeof images}`);
  }
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) throw new RangeError(`resizeArea: target size must be integers ≥ 1, got ${h}×${w}`);
  const single = images.ndim === 2;
  const n = single ? 1 : images.shape[0]!;
  const H = images.shape[images.ndim - 2]!;
  const W = images.shape[images.ndim - 1]!;
  const rowW = areaWeights(H, h);
  const colW = areaWeights(W, w);
  const src = images.toTypedArray();
  const out = allocate(options.dtype ?? images.dtype, n * h * w);
  const tmp = new Float64Array(H * w); // the image with its columns resized
  for (let b = 0; b < n; b++) {
    const base = b * H * W;
    tmp.fill(0);
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        const v = src[base + r * W + c]!;
        if (v === 0) continue;
        for (let j = 0; j < w; j++) {
          const wt = colW[j * W + c]!;
          if (wt !== 0) tmp[r * w + j] += wt * v;
        }
      }
    }
    for (let i = 0; i < h; i++) {
      for (let r = 0; r < H; r++) {
        const wt = rowW[i * H + r]!;
        if (wt === 0) continue;
        for (let j = 0; j < w; j++) out[b * h * w + i * w + j] += wt * tmp[r * w + j]!;
      }
    }
  }
  return new Tensor(out, single ? [h, w] : [n, h, w]);
}
