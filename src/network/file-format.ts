import { allocate, bytesPerElement, type DType, type FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { LabeledTensor } from './labeled-tensor.js';
import { Index, type IndexSpec } from './tensor-index.js';
import { TensorNetwork } from './tensor-network.js';

/*
 * The tnkit network file (see FORMAT.md):
 *
 *   bytes 0–7    magic "TNKITNET"
 *   bytes 8–15   header length H, unsigned 64-bit little-endian
 *   bytes 16…    header: H bytes of UTF-8 JSON (padded with spaces so the data start at a multiple of 8)
 *   then         the data section: each tensor's elements, C order, little-endian,
 *                at the byte offset (from the start of the data section) its header entry states.
 *
 * Pure byte-level code with no Node imports, so it runs in browsers; file I/O is in
 * src/io/network-file.ts.
 */

/** The 8 magic bytes. */
export const NETWORK_MAGIC = 'TNKITNET';
/** Bytes before the header: magic + u64 header length. */
export const PREAMBLE_BYTES = 16;
/** The format version this code writes and reads. */
export const NETWORK_FORMAT_VERSION = 1;

/** One tensor's entry in the header. */
export interface TensorEntry {
  tags: string[];
  indices: IndexSpec[];
  shape: number[];
  /** Byte offset from the start of the data section. */
  offset: number;
  /** Byte length: Π shape × bytes per element. */
  length: number;
}

/** The JSON header. */
export interface NetworkHeader {
  format: 'tnkit-network';
  version: number;
  dtype: DType;
  tensors: TensorEntry[];
  /** Free-form JSON for models (hyper-parameters, training state, …). */
  metadata: unknown;
}

/** A malformed network file: the message names the field (and the file, when known). */
export class NetworkFileError extends Error {
  override name = 'NetworkFileError';
  /** The header field or part of the file at fault, e.g. 'tensors[2].length'. */
  readonly field: string;
  constructor(field: string, message: string, source?: string) {
    super(`${source ? `${source}: ` : ''}${field}: ${message}`);
    this.field = field;
  }
}

/** Options of {@link encodeNetwork}. */
export interface EncodeOptions {
  /** Free-form JSON metadata stored in the header. */
  metadata?: unknown;
  /** Element type written (default: the tensors' dtype when they agree, else f64). */
  dtype?: DType;
}

/** What {@link decodeNetwork} returns. */
export interface DecodedNetwork {
  network: TensorNetwork;
  metadata: unknown;
  dtype: DType;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/**
 * Serializes a network: every tensor (in tid order) with its tags and indices, plus
 * `metadata`. Tensors are written C-ordered at 8-byte aligned offsets.
 * @throws RangeError when metadata cannot be written as JSON.
 */
export function encodeNetwork(net: TensorNetwork, options: EncodeOptions = {}): Uint8Array {
  const tensors = net.tensors();
  const dtype: DType = options.dtype ?? (tensors.every((t) => t.dtype === 'f32') && tensors.length > 0 ? 'f32' : 'f64');
  if (dtype !== 'f64' && dtype !== 'f32') throw new RangeError(`encodeNetwork: unknown dtype '${String(dtype)}'`);
  const bpe = bytesPerElement(dtype);
  let offset = 0;
  const entries: TensorEntry[] = net.tids().map((tid) => {
    const t = net.get(tid);
    const entry: TensorEntry = {
      tags: [...net.tagsOf(tid)],
      indices: t.indices.map((ix) => ix.toSpec()),
      shape: [...t.shape],
      offset,
      length: t.size * bpe,
    };
    offset = align8(offset + entry.length);
    return entry;
  });
  const header: NetworkHeader = { format: 'tnkit-network', version: NETWORK_FORMAT_VERSION, dtype, tensors: entries, metadata: options.metadata ?? null };
  let json: string;
  try {
    json = JSON.stringify(header);
  } catch (e) {
    throw new RangeError(`encodeNetwork: metadata cannot be written as JSON: ${(e as Error).message}`);
  }
  const text = new TextEncoder().encode(json);
  const headerLength = align8(PREAMBLE_BYTES + text.length) - PREAMBLE_BYTES;
  const dataStart = PREAMBLE_BYTES + headerLength;
  const out = new Uint8Array(dataStart + offset);
  for (let k = 0; k < 8; k++) out[k] = NETWORK_MAGIC.charCodeAt(k);
  new DataView(out.buffer).setBigUint64(8, BigInt(headerLength), true);
  out.set(text, PREAMBLE_BYTES);
  out.fill(0x20, PREAMBLE_BYTES + text.length, dataStart);
  tensors.forEach((t, k) => {
    const data = t.data.astype(dtype).toTypedArray();
    writeLittleEndian(data, out, dataStart + entries[k]!.offset);
  });
  return out;
}

function writeLittleEndian(data: FloatArray, out: Uint8Array, at: number): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + at, data.byteLength);
  const f64 = data instanceof Float64Array;
  for (let i = 0; i < data.length; i++) {
    if (f64) view.setFloat64(i * 8, data[i]!, true);
    else view.setFloat32(i * 4, data[i]!, true);
  }
}

/**
 * Checks the first 16 bytes (magic, header length) against the file size and returns
 * the header length. Reads nothing else, so callers can validate before reading more.
 */
export function readPreamble(preamble: Uint8Array, fileSize: number, source?: string): number {
  if (fileSize < PREAMBLE_BYTES || preamble.length < PREAMBLE_BYTES) {
    throw new NetworkFileError('preamble', `truncated: the file has ${fileSize} bytes, at least ${PREAMBLE_BYTES} are needed for the magic and header length`, source);
  }
  const magic = String.fromCharCode(...preamble.subarray(0, 8));
  if (magic !== NETWORK_MAGIC) {
    throw new NetworkFileError('magic', `bad magic ${JSON.stringify(magic)}: not a tnkit network file (expected "${NETWORK_MAGIC}")`, source);
  }
  const length = new DataView(preamble.buffer, preamble.byteOffset, PREAMBLE_BYTES).getBigUint64(8, true);
  if (length > BigInt(fileSize - PREAMBLE_BYTES)) {
    throw new NetworkFileError('headerLength', `header length ${length} extends beyond the file (${fileSize} bytes, ${fileSize - PREAMBLE_BYTES} after the preamble)`, source);
  }
  return Number(length);
}

function fail(field: string, message: string, source?: string): never {
  throw new NetworkFileError(field, message, source);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function nonNegativeInteger(x: unknown, field: string, source?: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) fail(field, `must be a non-negative integer, got ${JSON.stringify(x)}`, source);
  return x;
}

/**
 * Parses and validates the JSON header against the size of the data section that
 * follows it: dtype, version, every tensor's tags, indices, shape, and that each byte
 * range equals Π shape × element size, lies inside the data section and overlaps no
 * other. Nothing the header claims is allocated here.
 */
export function parseHeader(headerBytes: Uint8Array, dataBytes: number, source?: string): NetworkHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    fail('header', 'is not valid UTF-8', source);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail('header', `is not valid JSON (${(e as Error).message})`, source);
  }
  if (!isPlainObject(raw)) fail('header', 'must be a JSON object', source);
  if (raw['format'] !== 'tnkit-network') fail('format', `must be "tnkit-network", got ${JSON.stringify(raw['format'])}`, source);
  if (raw['version'] !== NETWORK_FORMAT_VERSION) fail('version', `unsupported version ${JSON.stringify(raw['version'])}: this reader knows version ${NETWORK_FORMAT_VERSION}`, source);
  const dtype = raw['dtype'];
  if (dtype !== 'f64' && dtype !== 'f32') fail('dtype', `unknown dtype ${JSON.stringify(dtype)}: expected "f64" or "f32"`, source);
  const bpe = bytesPerElement(dtype);
  const list = raw['tensors'];
  if (!Array.isArray(list)) fail('tensors', 'must be an array', source);
  const dims = new Map<string, number>();
  const tensors: TensorEntry[] = list.map((t: unknown, k: number): TensorEntry => {
    const at = `tensors[${k}]`;
    if (!isPlainObject(t)) fail(at, 'must be an object', source);
    const tags = t['tags'];
    if (!Array.isArray(tags) || !tags.every((g) => typeof g === 'string')) fail(`${at}.tags`, 'must be an array of strings', source);
    const shapeRaw = t['shape'];
    if (!Array.isArray(shapeRaw)) fail(`${at}.shape`, 'must be an array of positive integers', source);
    // Multiply up the shape while checking it against the data section, so a huge claimed shape fails here.
    let elements = 1;
    const shape = shapeRaw.map((d: unknown, a: number) => {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 1) fail(`${at}.shape[${a}]`, `must be a positive integer, got ${JSON.stringify(d)}`, source);
      elements *= d;
      if (elements * bpe > dataBytes) fail(`${at}.shape`, `[${shapeRaw.join(', ')}] needs more than the ${dataBytes} bytes of the data section`, source);
      return d;
    });
    const indicesRaw = t['indices'];
    if (!Array.isArray(indicesRaw) || indicesRaw.length !== shape.length) {
      fail(`${at}.indices`, `must be an array of ${shape.length} indices (one per axis of shape [${shape.join(', ')}])`, source);
    }
    const onThisTensor = new Map<string, number>();
    const indices = indicesRaw.map((s: unknown, a: number): IndexSpec => {
      const f = `${at}.indices[${a}]`;
      if (!isPlainObject(s)) fail(f, 'must be an object {id, dim, tags, plev}', source);
      let ix: Index;
      try {
        if (!Array.isArray(s['tags'])) throw new Error('tags must be an array of strings');
        ix = new Index(s['dim'] as number, s['tags'] as string[], { id: s['id'] as string, plev: s['plev'] as number });
      } catch (e) {
        fail(f, (e as Error).message, source);
      }
      if (ix.dim !== shape[a]) fail(`${f}.dim`, `is ${ix.dim} but shape[${a}] is ${shape[a]}`, source);
      const twin = onThisTensor.get(ix.key);
      if (twin !== undefined) fail(f, `is the same index as indices[${twin}] (id ${ix.id}): an index appears at most once on a tensor`, source);
      onThisTensor.set(ix.key, a);
      const seen = dims.get(ix.key);
      if (seen !== undefined && seen !== ix.dim) fail(`${f}.dim`, `index ${ix.id} has dim ${ix.dim} here and ${seen} on another tensor`, source);
      dims.set(ix.key, ix.dim);
      return ix.toSpec();
    });
    const offset = nonNegativeInteger(t['offset'], `${at}.offset`, source);
    const length = nonNegativeInteger(t['length'], `${at}.length`, source);
    if (length !== elements * bpe) fail(`${at}.length`, `is ${length} bytes but shape [${shape.join(', ')}] of ${dtype} needs ${elements * bpe}`, source);
    if (offset + length > dataBytes) fail(`${at}.offset`, `bytes ${offset}…${offset + length} lie outside the data section (${dataBytes} bytes): the file is truncated or the offset is wrong`, source);
    return { tags: tags as string[], indices, shape, offset, length };
  });
  const order = tensors.map((t, k) => ({ k, start: t.offset, end: t.offset + t.length })).filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  for (let p = 1; p < order.length; p++) {
    if (order[p]!.start < order[p - 1]!.end) {
      fail(`tensors[${order[p]!.k}].offset`, `bytes ${order[p]!.start}…${order[p]!.end} overlap tensors[${order[p - 1]!.k}] (bytes ${order[p - 1]!.start}…${order[p - 1]!.end})`, source);
    }
  }
  return { format: 'tnkit-network', version: NETWORK_FORMAT_VERSION, dtype, tensors, metadata: raw['metadata'] ?? null };
}

/** Builds the network from a validated header and its data section (copied; the bytes can be reused). */
export function networkFromData(header: NetworkHeader, data: Uint8Array): TensorNetwork {
  const bpe = bytesPerElement(header.dtype);
  const net = new TensorNetwork();
  for (const entry of header.tensors) {
    const count = entry.length / bpe;
    const values = allocate(header.dtype, count);
    const bytes = data.subarray(entry.offset, entry.offset + entry.length);
    if (LITTLE_ENDIAN) new Uint8Array(values.buffer).set(bytes);
    else {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < count; i++) values[i] = header.dtype === 'f64' ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
    }
    net.add(new LabeledTensor(new Tensor(values, entry.shape), entry.indices.map((s) => Index.fromSpec(s))), entry.tags);
  }
  return net;
}

/**
 * Reads a network file held in memory. Everything is validated (see
 * {@link readPreamble}, {@link parseHeader}) before any tensor is allocated.
 * @param source a name for error messages (the file path).
 * @throws NetworkFileError naming the field at fault and the source.
 */
export function decodeNetwork(bytes: Uint8Array, source?: string): DecodedNetwork {
  const headerLength = readPreamble(bytes.subarray(0, PREAMBLE_BYTES), bytes.length, source);
  const dataStart = PREAMBLE_BYTES + headerLength;
  const header = parseHeader(bytes.subarray(PREAMBLE_BYTES, dataStart), bytes.length - dataStart, source);
  return { network: networkFromData(header, bytes.subarray(dataStart)), metadata: header.metadata, dtype: header.dtype };
}
