import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic-write.js';
import { toUint8 } from './image.js';

/**
 * The sidecar JSON of a raw video: `name.u8` or `name.u8.gz` is described by
 * `name.json`, whose `files[0].shape` gives the array shape (e.g. [frames, rows, cols]).
 */
export function sidecarPath(path: string): string {
  return path.replace(/\.u8(\.gz)?$/i, '') + '.json';
}

/**
 * Reads a raw 8-bit video (`.u8`, or gzip-compressed `.u8.gz`, C order, no header) into
 * an f64 tensor of values in [0, 255], with the shape from the sidecar JSON
 * ({@link sidecarPath}: `files[0].shape`; `files[0].dtype` must be uint8 when present).
 * @throws Error naming the file: missing sidecar, unreadable JSON, no shape, or a byte
 *   count that does not match the shape.
 */
export function readRawVideo(path: string): Tensor {
  if (!/\.u8(\.gz)?$/i.test(path)) throw new Error(`${path}: a raw video must end in .u8 or .u8.gz`);
  const meta = sidecarPath(path);
  if (!existsSync(meta)) throw new Error(`${path}: the sidecar JSON ${meta} giving the shape (files[0].shape) does not exist`);
  let info: unknown;
  try {
    info = JSON.parse(readFileSync(meta, 'utf8'));
  } catch (error) {
    throw new Error(`${meta}: cannot read the sidecar JSON: ${(error as Error).message}`, { cause: error });
  }
  const files = info !== null && typeof info === 'object' ? (info as { files?: unknown }).files : undefined;
  if (!Array.isArray(files) || files.length === 0 || files[0] === null || typeof files[0] !== 'object') {
    throw new Error(`${meta}: expected an object whose 'files' is a list holding one entry { shape, dtype } (files[0].shape gives the video's shape)`);
  }
  const entry = files[0] as { shape?: unknown; dtype?: unknown };
  const shape = entry.shape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${meta}: files[0].shape must be a list of positive integers, got ${JSON.stringify(shape)}`);
  }
  if (entry.dtype !== undefined && entry.dtype !== 'uint8') throw new Error(`${meta}: files[0].dtype is ${JSON.stringify(entry.dtype)}; only uint8 is supported`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
    if (/\.gz$/i.test(path)) bytes = gunzipSync(bytes);
  } catch (error) {
    throw new Error(`cannot read video ${path}: ${(error as Error).message}`, { cause: error });
  }
  const size = (shape as number[]).reduce((p, d) => p * d, 1);
  if (bytes.length !== size) {
    throw new Error(`${path}: has ${bytes.length} bytes but the shape [${shape.join(', ')}] from ${meta} needs ${size}`);
  }
  return new Tensor(Float64Array.from(bytes), shape as number[]);
}

/**
 * Writes a tensor as a raw 8-bit video that {@link readRawVideo} reads back: the samples
 * clipped to [0, 255] and rounded, C order, gzip-compressed when `path` ends in .u8.gz;
 * and the sidecar JSON ({@link sidecarPath}) with `files[0]` = { file, dtype: "uint8",
 * shape }. Both are written atomically, the sidecar last.
 * @throws Error naming the file.
 */
export function writeRawVideo(path: string, video: Tensor): void {
  if (!/\.u8(\.gz)?$/i.test(path)) throw new Error(`${path}: a raw video must end in .u8 or .u8.gz`);
  const bytes = toUint8(video);
  writeFileAtomic(path, /\.gz$/i.test(path) ? gzipSync(bytes) : bytes);
  const file = basename(path).replace(/\.gz$/i, '');
  const sidecar = { files: [{ file, dtype: 'uint8', shape: [...video.shape], layout: 'C order (row-major, last axis fastest), no header', bytes: bytes.length }] };
  writeFileAtomic(sidecarPath(path), JSON.stringify(sidecar, null, 1) + '\n');
}
