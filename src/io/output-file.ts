/**
 * Output files chosen by extension. A command checks each output flag with
 * {@link checkTensorOutput} (or {@link checkNetworkOutput}, {@link checkOutputDir}) before
 * any work, so a bad path or an extension that cannot hold the data fails at once, and
 * writes with {@link writeTensorOutput} afterwards (atomically).
 *
 * - `.npy`: any tensor, its values as they are (f64).
 * - `.png`: an image, [H, W] grey or [H, W, 3] RGB ([H, W, C] with C = 1–4 is accepted),
 *   samples clipped to [0, 255] and rounded to 8 bits.
 * - `.u8` / `.u8.gz`: raw 8-bit samples of any shape (a video: frames × H × W (× 3)),
 *   clipped and rounded, with the sidecar `NAME.json` giving `files[0].shape`.
 */
import { accessSync, constants, type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { serializeNpy } from '../tensor/npy.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic-write.js';
import { writePng } from './image.js';
import { sidecarPath, writeRawVideo } from './video.js';

/** The tensor formats an output path can name. */
export type TensorFormat = 'npy' | 'png' | 'u8';

/** The format `path`'s extension names, or undefined. */
export function tensorFormatOf(path: string): TensorFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.png')) return 'png';
  if (lower.endsWith('.u8') || lower.endsWith('.u8.gz')) return 'u8';
  return undefined;
}

/** Why `shape` cannot be written as a PNG, or undefined when it can. */
function pngProblem(shape: readonly number[]): string | undefined {
  const what = `a ${shape.length}-D tensor [${shape.join(',')}]`;
  if (shape.length === 2) return undefined;
  if (shape.length === 3 && shape[2]! >= 1 && shape[2]! <= 4) return undefined;
  if (shape.length === 3) return `${what} cannot be written as a PNG (its last axis has ${shape[2]} channels; a PNG holds [H,W] grey or [H,W,3] RGB); use .npy or .u8`;
  return `${what} cannot be written as a PNG (a PNG holds [H,W] grey or [H,W,3] RGB); use .npy or .u8`;
}

/**
 * Checks, before any work, that a file can be written at `path` under `flag`: its folder
 * exists and is writable, and `path` itself is not a folder. Any extension.
 * @throws Error naming the flag and the path, e.g. `--save m.tnk: the folder … does not exist`.
 */
export function checkOutputFile(flag: string, path: string): void {
  const folder = dirname(resolve(path));
  let isDir = false;
  try {
    isDir = statSync(folder).isDirectory();
  } catch {
    throw new Error(`${flag} ${path}: the folder ${folder} does not exist`);
  }
  if (!isDir) throw new Error(`${flag} ${path}: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new Error(`${flag} ${path}: the folder ${folder} is not writable`);
  }
  let existing: Stats;
  try {
    existing = statSync(path);
  } catch {
    return;
  }
  if (existing.isDirectory()) throw new Error(`${flag} ${path}: is a folder; give a file name`);
}

/**
 * Checks, before any work, that a tensor of `shape` can be written to `path` under
 * `flag`: a known extension that can hold that shape, and an existing, writable folder.
 * Returns the format. `shape` undefined checks only the extension and the folder.
 * @throws Error naming the flag, the path and why, e.g.
 *   `--out x.png: a 4-D tensor [20,144,176,3] cannot be written as a PNG …; use .npy or .u8`.
 */
export function checkTensorOutput(flag: string, path: string, shape?: readonly number[]): TensorFormat {
  const format = tensorFormatOf(path);
  if (format === undefined) throw new Error(`${flag} ${path}: unknown output type; use .npy (any tensor), .png (a grey or RGB image) or .u8/.u8.gz (8-bit raw video with a sidecar .json)`);
  if (format === 'png' && shape !== undefined) {
    const problem = pngProblem(shape);
    if (problem) throw new Error(`${flag} ${path}: ${problem}`);
  }
  if (format === 'u8' && resolve(sidecarPath(path)) === resolve(path)) throw new Error(`${flag} ${path}: the sidecar JSON would overwrite the video`);
  checkOutputFile(flag, path);
  return format;
}

/**
 * Writes `tensor` to `path` in the format its extension names (see the module comment),
 * atomically. Checks again with {@link checkTensorOutput} first.
 */
export function writeTensorOutput(flag: string, path: string, tensor: Tensor): void {
  const format = checkTensorOutput(flag, path, tensor.shape);
  if (format === 'npy') writeFileAtomic(path, serializeNpy(tensor));
  else if (format === 'png') writePng(path, tensor);
  else writeRawVideo(path, tensor);
}

/**
 * Checks, before any work, a network output path (`.tn`, the network format of
 * src/network/FORMAT.md) and its folder.
 * @throws Error naming the flag and the path.
 */
export function checkNetworkOutput(flag: string, path: string, hint = ''): void {
  if (!path.toLowerCase().endsWith('.tn')) throw new Error(`${flag} ${path}: a network is saved as a .tn file (tnkit network format)${hint}`);
  checkOutputFile(flag, path);
}

/**
 * Checks, before any work, a folder to write into: it exists and is a writable folder, or
 * it does not exist yet and its parent folder does (it is created when written).
 * @throws Error naming the flag and the path.
 */
export function checkOutputDir(flag: string, dir: string): void {
  let st: Stats | undefined;
  try {
    st = statSync(dir);
  } catch {
    const parent = dirname(resolve(dir));
    let ok = false;
    try {
      ok = statSync(parent).isDirectory();
    } catch { /* reported below */ }
    if (!ok) throw new Error(`${flag} ${dir}: neither it nor its parent folder ${parent} exists`);
    try {
      accessSync(parent, constants.W_OK);
    } catch {
      throw new Error(`${flag} ${dir}: the folder ${parent} is not writable`);
    }
    return;
  }
  if (!st.isDirectory()) throw new Error(`${flag} ${dir}: is a file, not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new Error(`${flag} ${dir}: the folder is not writable`);
  }
}
