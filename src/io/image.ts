import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { Tensor } from '../tensor/tensor.js';

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
