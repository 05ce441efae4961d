import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, writeFileAtomicAsync } from './atomic-write.js';
import { NpyError, parseNpy, serializeNpy, type NpyReadOptions, type NpyWriteOptions } from '../tensor/npy.js';
import type { Tensor } from '../tensor/tensor.js';

/*
 * .npy files on disk (Node only). The format itself is in src/tensor/npy.ts; this
 * file adds the file system and puts the file name into every error.
 */

/** Re-throws `error` with the file name in front, keeping NpyError as NpyError. */
function withPath(path: string, action: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NpyError) return new NpyError(`${path}: ${message}`, { cause: error });
  return new Error(`cannot ${action} .npy file ${path}: ${message}`, { cause: error });
}

/**
 * Reads a .npy file into a C-order tensor (see {@link parseNpy} for the dtypes and
 * options). Errors name the file.
 */
export function readNpy(path: string, options: NpyReadOptions = {}): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw withPath(path, 'read', error);
  }
  try {
    return parseNpy(bytes, options);
  } catch (error) {
    throw withPath(path, 'read', error);
  }
}

/**
 * Writes a tensor as a .npy file, replacing any existing file atomically (temporary file,
 * fsync, rename: a crash leaves the old file or the whole new one; see
 * {@link serializeNpy} for the dtypes and options). Errors name the file.
 */
export function writeNpy(path: string, tensor: Tensor, options: NpyWriteOptions = {}): void {
  let bytes: Uint8Array;
  try {
    bytes = serializeNpy(tensor, options);
  } catch (error) {
    throw withPath(path, 'write', error);
  }
  try {
    writeFileAtomic(path, bytes);
  } catch (error) {
    throw withPath(path, 'write', error);
  }
}

/** {@link readNpy} without blocking the event loop while the file is read. */
export async function readNpyAsync(path: string, options: NpyReadOptions = {}): Promise<Tensor> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw withPath(path, 'read', error);
  }
  try {
    return parseNpy(bytes, options);
  } catch (error) {
    throw withPath(path, 'read', error);
  }
}

/** {@link writeNpy} (atomic too) without blocking the event loop while the file is written. */
export async function writeNpyAsync(path: string, tensor: Tensor, options: NpyWriteOptions = {}): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = serializeNpy(tensor, options);
  } catch (error) {
    throw withPath(path, 'write', error);
  }
  try {
    await writeFileAtomicAsync(path, bytes);
  } catch (error) {
    throw withPath(path, 'write', error);
  }
}
