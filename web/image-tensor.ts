/**
 * From an input file to the tensor the page compresses, and back to pixels. Pure (no DOM,
 * no Node), so the page's worker and the Node test build the very same array.
 *
 * An image becomes grey (mean of its colour channels, alpha dropped), is cropped to its
 * centre square, shrunk by area averaging to `size`×`size` (a power of two, 2^b), and is
 * folded to a tensor of order b with modes of dimension 4, *interleaved*: mode k is
 * 2·(row bit k) + (column bit k), coarse to fine, so each mode refines both axes once
 * (the layout of bench/search-images.mjs; low ranks then capture local smoothness).
 */
import { decode } from 'fast-png';
import { interleavedFold, resizeArea, type Tensor, tensor } from 'tnkit/browser';

/** A grey image, row-major. */
export interface GreyImage {
  height: number;
  width: number;
  pixels: Float64Array;
}

/** Decodes PNG bytes to grey values in the PNG's own range (0–255 for 8-bit images). */
export function decodeGreyPng(bytes: Uint8Array, name = 'image'): GreyImage {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new Error(`${name}: not a valid PNG image (${(error as Error).message})`, { cause: error });
  }
  const { width, height, data } = png;
  const pixels = new Float64Array(width * height);
  if (png.palette) {
    for (let p = 0; p < pixels.length; p++) {
      const entry = png.palette[data[p]!];
      if (!entry) throw new Error(`${name}: pixel ${p} uses palette index ${data[p]} beyond the palette`);
      pixels[p] = (entry[0]! + entry[1]! + entry[2]!) / 3;
    }
    return { height, width, pixels };
  }
  const channels = png.channels;
  const colour = channels === 2 || channels === 4 ? channels - 1 : channels; // alpha dropped
  for (let p = 0; p < pixels.length; p++) {
    let s = 0;
    for (let c = 0; c < colour; c++) s += data[p * channels + c]!;
    pixels[p] = s / colour;
  }
  return { height, width, pixels };
}

/** A 2-D tensor (a `.npy` matrix) as a grey image. */
export function greyFromMatrix(t: Tensor): GreyImage {
  if (t.ndim !== 2) throw new RangeError(`expected a matrix, got shape [${t.shape.join(', ')}]`);
  return { height: t.shape[0]!, width: t.shape[1]!, pixels: Float64Array.from(t.astype('f64').toTypedArray()) };
}

/** The largest power of two ≤ n. */
function floorPow2(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

/** The side the image is compressed at: `wanted` (a power of two ≥ 4), no larger than the image's shorter side allows. */
export function sideFor(image: GreyImage, wanted: number): number {
  if (!(Number.isInteger(wanted) && wanted >= 4 && floorPow2(wanted) === wanted)) throw new RangeError(`size must be a power of two ≥ 4, got ${wanted}`);
  const fits = floorPow2(Math.min(image.height, image.width));
  if (fits < 4) throw new RangeError(`the image is ${image.height}×${image.width}; it needs at least 4×4 pixels`);
  return Math.min(wanted, fits);
}

/** The centre square of the image shrunk (area averaging) to side×side, as a [side, side] tensor. */
export function squareImage(image: GreyImage, side: number): Tensor {
  const s = Math.min(image.height, image.width);
  const top = Math.floor((image.height - s) / 2);
  const left = Math.floor((image.width - s) / 2);
  const crop = new Float64Array(s * s);
  for (let r = 0; r < s; r++) crop.set(image.pixels.subarray((top + r) * image.width + left, (top + r) * image.width + left + s), r * s);
  const square = tensor(crop, [s, s]);
  return s === side ? square : resizeArea(square, side, { dtype: 'f64' });
}

/** The interleaved fold of a [2^b, 2^b] image: a leading axis of 1, then row bit k and column bit k side by side, coarse to fine. */
function bitFold(n: number): { fold: (t: Tensor) => Tensor; unfold: (t: Tensor) => Tensor } {
  const twos = new Array<number>(Math.log2(n)).fill(2);
  return interleavedFold([1, n, n], [twos, twos]);
}

/** [2^b, 2^b] → [4, …, 4] (b modes), interleaved (see the module comment): mode k is 2·(row bit k) + (column bit k). */
export function foldImage(square: Tensor): Tensor {
  const n = square.shape[0]!;
  const bits = Math.log2(n);
  if (square.ndim !== 2 || square.shape[1] !== n || !Number.isInteger(bits) || bits < 1) {
    throw new RangeError(`foldImage: expected a square power-of-two image, got shape [${square.shape.join(', ')}]`);
  }
  return bitFold(n).fold(square.astype('f64').reshape(1, n, n)).reshape(...new Array<number>(bits).fill(4));
}

/** The inverse of {@link foldImage}: [4, …, 4] → [2^b, 2^b]. */
export function unfoldImage(folded: Tensor): Tensor {
  const n = 2 ** folded.ndim;
  if (folded.shape.some((d) => d !== 4)) throw new RangeError(`unfoldImage: expected modes of dimension 4, got [${folded.shape.join(', ')}]`);
  return bitFold(n).unfold(folded.astype('f64')).reshape(n, n);
}

/** The tensor the page compresses for an image at a requested side: [4, …, 4]. */
export function imageTensor(image: GreyImage, wantedSide: number): { side: number; square: Tensor; x: Tensor } {
  const side = sideFor(image, wantedSide);
  const square = squareImage(image, side);
  return { side, square, x: foldImage(square) };
}

/** Grey values → 8-bit RGBA for a canvas, mapping [lo, hi] to [0, 255] (clipped). */
export function toRgba(pixels: ArrayLike<number>, lo: number, hi: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(pixels.length * 4);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let p = 0; p < pixels.length; p++) {
    const v = (pixels[p]! - lo) * scale;
    out[4 * p] = out[4 * p + 1] = out[4 * p + 2] = v;
    out[4 * p + 3] = 255;
  }
  return out;
}
