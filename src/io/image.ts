import { readFileSync } from 'node:fs';
import { decode, encode } from 'fast-png';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic-write.js';

/** Options of {@link readPng}. */
export interface ReadPngOptions {
  /** Keep the alpha channel of grey+alpha and RGBA images (default false: it is dropped). */
  keepAlpha?: boolean;
}

/**
 * Decodes a PNG image into an f64 tensor of the raw sample values: shape [H, W] for grey,
 * [H, W, 3] for RGB (palette images are expanded to RGB), [H, W, C] with alpha when
 * `keepAlpha`. 8-bit samples become values in [0, 255] (no scaling), 16-bit ones values
 * in [0, 65535], and 1/2/4-bit grey samples their integer levels.
 * @throws Error naming the file when it cannot be read or is not a valid PNG.
 */
export function readPng(path: string, options: ReadPngOptions = {}): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read image ${path}: ${(error as Error).message}`, { cause: error });
  }
  return decodePngTensor(bytes, path, options);
}

/** {@link readPng} on bytes already in memory; `name` goes into error messages. */
export function decodePngTensor(bytes: Uint8Array, name: string, options: ReadPngOptions = {}): Tensor {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (error) {
    throw new Error(`${name}: not a valid PNG image (${(error as Error).message})`, { cause: error });
  }
  const { width, height } = png;
  let channels = png.channels;
  let samples: ArrayLike<number> = png.data;
  if (png.palette) {
    // Indexed colour: expand each index to its palette entry's RGB.
    const index = png.data;
    const rgb = new Float64Array(width * height * 3);
    for (let p = 0; p < width * height; p++) {
      const entry = png.palette[index[p]!];
      if (!entry) throw new Error(`${name}: pixel ${p} uses palette index ${index[p]} beyond the ${png.palette.length}-entry palette`);
      rgb[3 * p] = entry[0]!;
      rgb[3 * p + 1] = entry[1]!;
      rgb[3 * p + 2] = entry[2]!;
    }
    samples = rgb;
    channels = 3;
  }
  const dropAlpha = !options.keepAlpha && (channels === 2 || channels === 4);
  const kept = dropAlpha ? channels - 1 : channels;
  if (samples.length < width * height * channels) {
    throw new Error(`${name}: the PNG decoded to ${samples.length} samples, expected ${width * height * channels}`);
  }
  const out = new Float64Array(width * height * kept);
  for (let p = 0, q = 0; p < width * height; p++) {
    for (let c = 0; c < kept; c++) out[q++] = samples[p * channels + c]!;
  }
  return new Tensor(out, kept === 1 ? [height, width] : [height, width, kept]);
}

/** Samples clipped to [0, 255] and rounded (half up), as 8-bit bytes; NaN becomes 0. */
export function toUint8(t: Tensor): Uint8Array {
  const src = t.toTypedArray();
  const out = new Uint8Array(src.length);
  for (let p = 0; p < src.length; p++) {
    const v = src[p]!;
    out[p] = v >= 255 ? 255 : v > 0 ? Math.floor(v + 0.5) : 0;
  }
  return out;
}

/**
 * Encodes an image tensor as an 8-bit PNG: shape [H, W] (grey) or [H, W, C] with C = 1
 * (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA). Samples are clipped to [0, 255] and
 * rounded, so an image read with {@link readPng} comes back unchanged.
 * @throws RangeError naming the shape when it is not an image.
 */
export function encodePng(image: Tensor, name = 'encodePng'): Uint8Array {
  const shape = image.shape;
  const channels = shape.length === 2 ? 1 : shape.length === 3 ? shape[2]! : 0;
  if (channels < 1 || channels > 4 || shape[0]! < 1 || shape[1]! < 1) {
    throw new RangeError(`${name}: a PNG holds [H, W] (grey) or [H, W, C] with C = 1–4 channels, not shape [${shape.join(', ')}]`);
  }
  return encode({ width: shape[1]!, height: shape[0]!, data: toUint8(image), channels, depth: 8 });
}

/** Writes {@link encodePng}'s bytes to `path` atomically. Errors name the file. */
export function writePng(path: string, image: Tensor): void {
  writeFileAtomic(path, encodePng(image, path));
}
