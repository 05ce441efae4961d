import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { writeFileAtomic, writeFileAtomicAsync } from './atomic-write.js';
import {
  encodeNetwork,
  networkFromData,
  parseHeader,
  PREAMBLE_BYTES,
  readPreamble,
  type DecodedNetwork,
  type EncodeOptions,
} from '../network/file-format.js';
import type { TensorNetwork } from '../network/tensor-network.js';

/*
 * Node file I/O for the tnkit network format (src/network/FORMAT.md). Loading reads the
 * preamble and header first and validates them against the file size; only then is
 * the data section read, so a corrupt header never causes a large allocation.
 */

/** Writes `net` (and optional JSON `metadata`) to `path` in the tnkit network format, atomically (temp file, fsync, rename). */
export function saveNetwork(path: string, net: TensorNetwork, metadata?: unknown, options: Omit<EncodeOptions, 'metadata'> = {}): void {
  writeFileAtomic(path, encodeNetwork(net, { ...options, metadata }));
}

/** Async {@link saveNetwork}, atomic too (temp file, fsync, rename). */
export async function saveNetworkAsync(path: string, net: TensorNetwork, metadata?: unknown, options: Omit<EncodeOptions, 'metadata'> = {}): Promise<void> {
  await writeFileAtomicAsync(path, encodeNetwork(net, { ...options, metadata }));
}

function readExactlySync(fd: number, length: number, position: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}

/**
 * Reads a network file written by {@link saveNetwork}.
 * @throws NetworkFileError naming the field at fault and `path` (truncation, bad magic,
 * header length, JSON, dtype, shapes, offsets and lengths are all checked before the
 * tensors are read).
 */
export function loadNetwork(path: string): DecodedNetwork {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const headerLength = readPreamble(readExactlySync(fd, Math.min(PREAMBLE_BYTES, size), 0), size, path);
    const dataStart = PREAMBLE_BYTES + headerLength;
    const header = parseHeader(readExactlySync(fd, headerLength, PREAMBLE_BYTES), size - dataStart, path);
    const data = readExactlySync(fd, size - dataStart, dataStart);
    return { network: networkFromData(header, data), metadata: header.metadata, dtype: header.dtype };
  } finally {
    closeSync(fd);
  }
}

/** Async {@link loadNetwork}. */
export async function loadNetworkAsync(path: string): Promise<DecodedNetwork> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const read = async (length: number, position: number): Promise<Uint8Array> => {
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === length ? out : out.subarray(0, done);
    };
    const headerLength = readPreamble(await read(Math.min(PREAMBLE_BYTES, size), 0), size, path);
    const dataStart = PREAMBLE_BYTES + headerLength;
    const header = parseHeader(await read(headerLength, PREAMBLE_BYTES), size - dataStart, path);
    const data = await read(size - dataStart, dataStart);
    return { network: networkFromData(header, data), metadata: header.metadata, dtype: header.dtype };
  } finally {
    await handle.close();
  }
}
