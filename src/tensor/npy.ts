import type { DType, FloatArray } from './dtype.js';
import { Tensor } from './tensor.js';

/*
 * NumPy's .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 *
 *   "\x93NUMPY" | major | minor | header length (u16 LE in 1.0, u32 LE in 2.0/3.0)
 *   | header: a Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
 *     padded with spaces and ending in '\n' (latin-1 in 1.0/2.0, UTF-8 in 3.0)
 *   | raw element data, C or Fortran order.
 *
 * Pure byte-level code with no Node imports, so it also runs in browsers; file I/O
 * lives in src/io/npy-file.ts.
 */

/** An error in .npy data: bad magic, header, dtype, size, or a value that cannot be written. */
export class NpyError extends Error {
  override name = 'NpyError';
}

/** The element type codes tnkit reads and writes (kind letter + bytes per element). */
export type NpyTypeCode = 'f8' | 'f4' | 'f2' | 'i8' | 'i4' | 'i2' | 'i1' | 'u8' | 'u4' | 'u2' | 'u1' | 'b1';

/**
 * An element type to write: a type code with an optional byte order ('<' little,
 * '>' big, '|' not applicable, '=' this machine), or the aliases 'bool' (= 'b1'),
 * 'f64' (= 'f8') and 'f32' (= 'f4'). Without a byte order, little-endian is written.
 */
export type NpyWriteDType = NpyTypeCode | `${'<' | '>' | '|' | '='}${NpyTypeCode}` | 'bool' | 'f64' | 'f32';

/** .npy format versions: 1.0 (16-bit header length), 2.0 (32-bit), 3.0 (32-bit, UTF-8 header). */
export type NpyVersion = '1.0' | '2.0' | '3.0';

/** Options of {@link parseNpy}. */
export interface NpyReadOptions {
  /**
   * dtype of the tensor. Default: 'f32' for f4 and f2 data, otherwise 'f64' (integers
   * and bools become f64, which holds every integer up to 2^53 exactly).
   */
  dtype?: DType;
}

/** Options of {@link serializeNpy}. */
export interface NpyWriteOptions {
  /** Element type in the file. Default: '<f8' for f64 tensors, '<f4' for f32. */
  dtype?: NpyWriteDType;
  /** Store the data in Fortran (column-major) order. Default false. */
  fortranOrder?: boolean;
  /** Format version. Default: 1.0, or 2.0 when the header does not fit 1.0's 16-bit length. */
  version?: NpyVersion;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** numpy aligns the start of the data to 64 bytes (so memory maps are aligned). */
const ALIGN = 64;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_32 = 4294967296;
/** hi word bound for 64-bit integers that fit in ±2^53 (2^53 = 2^21 · 2^32). */
const TWO_21 = 2097152;

/** A decoded element type. */
interface ElementType {
  kind: 'f' | 'i' | 'u' | 'b';
  size: number;
  littleEndian: boolean;
  /** Canonical descr as numpy writes it, e.g. '<f8', '|u1'. */
  descr: string;
}

// ---------------------------------------------------------------------------
// Reading

/**
 * Parses the bytes of a .npy file into a C-order tensor.
 *
 * Reads format versions 1.0, 2.0 and 3.0; little-, big- and not-applicable byte
 * orders; dtypes f8, f4, f2, i8, i4, i2, i1, u8, u4, u2, u1 and b1 (bool), also
 * when named as numpy.dtype() accepts them ('float64', 'int32', 'd', '<i', '?');
 * C and Fortran order (Fortran data are transposed into C order); 0-d and empty
 * arrays. Headers are checked as numpy checks them: exactly the keys 'descr',
 * 'fortran_order' and 'shape', and a shape that is a tuple (`(6,)`, not `(6)`).
 * Integers and bools become f64 (or `options.dtype`); 64-bit integers that no
 * double holds exactly (beyond ±2^53 with more than 53 significant bits, such as
 * 2^63 − 1) are refused, while exact ones such as −2^63 are read. Throws {@link NpyError} naming the
 * problem for anything else: bad magic, malformed header, unsupported dtype (complex,
 * strings, objects, structured), or data that do not match the header's shape.
 */
export function parseNpy(bytes: Uint8Array, options: NpyReadOptions = {}): Tensor {
  const header = readHeader(bytes);
  const { type, fortranOrder, shape, dataStart } = header;
  const count = shape.reduce((p, d) => p * d, 1);
  const expected = count * type.size;
  const actual = bytes.length - dataStart;
  if (expected !== actual) {
    throw new NpyError(
      `header says shape [${shape.join(', ')}] of ${type.descr} = ${expected} bytes but the file has ${actual} bytes of data` +
      (actual < expected ? ' (truncated?)' : ' (extra data after the array)'),
    );
  }
  const dtype = options.dtype ?? (type.kind === 'f' && type.size <= 4 ? 'f32' : 'f64');
  if (dtype !== 'f64' && dtype !== 'f32') throw new NpyError(`unknown tensor dtype '${String(dtype)}': expected 'f64' or 'f32'`);
  const data = decodeElements(bytes.subarray(dataStart), type, count, dtype);
  if (!fortranOrder || shape.length < 2) return new Tensor(data, shape);
  // Fortran data are the C-order data of the reversed shape; reversing the axes back
  // gives a strided view of the right tensor, which copy() lays out in C order.
  return new Tensor(data, [...shape].reverse()).permute().copy();
}

/** What the header of a .npy file says, and where its data start. */
interface NpyHeader {
  type: ElementType;
  fortranOrder: boolean;
  shape: number[];
  dataStart: number;
}

function readHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const head = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new NpyError(
      bytes.length < 10
        ? `not a .npy file: only ${bytes.length} bytes (a .npy file starts with a 10-byte preamble)`
        : `not a .npy file: it starts with bytes ${head}, expected 93 4e 55 4d 50 59 ("\\x93NUMPY")`,
    );
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    throw new NpyError(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) throw new NpyError(`.npy file ends inside its preamble (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) {
    throw new NpyError(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  }
  const raw = bytes.subarray(headerStart, dataStart);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new NpyError('header of a version 3.0 .npy file is not valid UTF-8');
    }
  } else {
    text = latin1(raw);
  }
  const dict = parsePythonLiteral(text);
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict) || dict instanceof PyTuple) {
    throw new NpyError(`malformed .npy header: expected a dict literal, got ${JSON.stringify(text.trim())}`);
  }
  const fields = dict as Record<string, PyValue>;
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!(key in fields)) throw new NpyError(`malformed .npy header: missing '${key}' field in ${text.trim()}`);
  }
  // numpy refuses any other key ("Header does not contain the correct keys").
  for (const key of Object.keys(fields)) {
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') {
      throw new NpyError(`malformed .npy header: unexpected key '${key}' (a .npy header has exactly 'descr', 'fortran_order' and 'shape')`);
    }
  }
  const descr = fields['descr'];
  if (Array.isArray(descr)) {
    throw new NpyError(`structured dtypes are not supported (the header's descr is a list of fields: ${formatPy(descr)})`);
  }
  if (typeof descr !== 'string') throw new NpyError(`malformed .npy header: 'descr' must be a string, got ${formatPy(descr)}`);
  const fortranOrder = fields['fortran_order'];
  if (typeof fortranOrder !== 'boolean') {
    throw new NpyError(`malformed .npy header: 'fortran_order' must be True or False, got ${formatPy(fortranOrder)}`);
  }
  const shapeValue = fields['shape'];
  if (!(shapeValue instanceof PyTuple) || !shapeValue.items.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new NpyError(`malformed .npy header: 'shape' must be a tuple of non-negative integers, got ${formatPy(shapeValue)}`);
  }
  return { type: parseDescr(descr), fortranOrder, shape: shapeValue.items as number[], dataStart };
}

/** Bytes → string, one character per byte (TextDecoder's 'latin1' is really windows-1252). */
function latin1(raw: Uint8Array): string {
  let text = '';
  for (let i = 0; i < raw.length; i += 8192) text += String.fromCharCode(...raw.subarray(i, i + 8192));
  return text;
}

/**
 * The dtype names and one-letter codes numpy.dtype() accepts for the supported types
 * whose size is the same on every platform, as type codes (native byte order).
 */
const DTYPE_NAMES: Record<string, NpyTypeCode> = {
  float64: 'f8', double: 'f8', float: 'f8', d: 'f8',
  float32: 'f4', single: 'f4', f: 'f4',
  float16: 'f2', half: 'f2', e: 'f2',
  int64: 'i8', longlong: 'i8', q: 'i8',
  uint64: 'u8', ulonglong: 'u8', Q: 'u8',
  int32: 'i4', intc: 'i4', i: 'i4',
  uint32: 'u4', uintc: 'u4', I: 'u4',
  int16: 'i2', short: 'i2', h: 'i2',
  uint16: 'u2', ushort: 'u2', H: 'u2',
  int8: 'i1', byte: 'i1', b: 'i1',
  uint8: 'u1', ubyte: 'u1', B: 'u1',
  bool: 'b1', bool_: 'b1', '?': 'b1',
};
/** Names whose size is the C long or pointer size of the writing machine (4 or 8 bytes). */
const PLATFORM_NAMES = new Set(['l', 'L', 'p', 'P', 'int', 'int_', 'uint', 'long', 'ulong', 'intp', 'uintp']);
/** One-letter codes take a byte order ('<d'); names do not ('<float64' is refused by numpy). */
const ONE_LETTER = /^([<>|=])([dfeqQiIhHbB?])$/;

/** Decodes a numpy type string such as '<f8', '>i4', '|b1', 'float64' or 'd', naming what is unsupported. */
function parseDescr(descr: string): ElementType {
  const reject = (why: string): never => {
    throw new NpyError(`unsupported dtype '${descr}': ${why}`);
  };
  const named = DTYPE_NAMES[descr] ?? (ONE_LETTER.test(descr) ? DTYPE_NAMES[descr.slice(1)] : undefined);
  if (named !== undefined) {
    const order = descr.length === 2 ? descr[0] : '';
    return makeType(named[0] as ElementType['kind'], Number(named.slice(1)), order === '>' ? false : order === '<' ? true : HOST_LITTLE_ENDIAN);
  }
  if (PLATFORM_NAMES.has(descr.replace(/^[<>|=]/, ''))) {
    reject('its size depends on the platform that wrote the file (C long or pointer): use a sized type such as <i8 or int64');
  }
  if (/^(complex|clongdouble|cdouble|csingle)/.test(descr)) reject('complex numbers cannot be held in a real tensor');
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  if (!m) return reject('not a numpy type string such as <f8, >i4 or |b1');
  const [, order, letter, digits] = m as unknown as [string, string, string, string];
  if (letter === 'O') throw new NpyError(`object arrays ('${descr}') are not supported: they hold pickled Python objects, not numbers`);
  if (letter === 'c') reject('complex numbers cannot be held in a real tensor');
  // '?' is numpy's bool character; 'b1' (with its size) is how numpy writes bool.
  const kind = letter === '?' ? 'b' : letter;
  const size = letter === '?' && digits === '' ? 1 : Number(digits);
  const sizes: Record<string, readonly number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };
  const allowed = sizes[kind];
  if (allowed === undefined || digits === '' && letter !== '?') {
    reject('only bool (b1), integer (i1…i8, u1…u8) and float (f2, f4, f8) dtypes are supported');
  }
  if (!allowed!.includes(size)) reject(`${size}-byte ${kind === 'f' ? 'floats' : kind === 'b' ? 'bools' : 'integers'} are not supported`);
  const littleEndian = order === '<' ? true : order === '>' ? false : HOST_LITTLE_ENDIAN;
  return makeType(kind as ElementType['kind'], size, littleEndian);
}

function makeType(kind: ElementType['kind'], size: number, littleEndian: boolean): ElementType {
  const order = size === 1 ? '|' : littleEndian ? '<' : '>';
  return { kind, size, littleEndian, descr: `${order}${kind}${size}` };
}

/** Converts `count` raw elements to a tensor data array of `dtype`. */
function decodeElements(raw: Uint8Array, type: ElementType, count: number, dtype: DType): FloatArray {
  const { kind, size, littleEndian } = type;
  const out: FloatArray = dtype === 'f64' ? new Float64Array(count) : new Float32Array(count);
  // Fast path: floats in this machine's byte order are copied into an aligned buffer
  // and viewed directly. (Copied by hand: on a Node Buffer, slice() makes no copy.)
  if (kind === 'f' && size >= 4 && littleEndian === HOST_LITTLE_ENDIAN) {
    const copy = new Uint8Array(count * size);
    copy.set(raw.subarray(0, count * size));
    const floats = size === 8 ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer);
    if ((size === 8) === (dtype === 'f64')) return floats;
    out.set(floats);
    return out;
  }
  const view = new DataView(raw.buffer, raw.byteOffset, count * size);
  const le = littleEndian;
  switch (`${kind}${size}`) {
    case 'f8': for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, le); break;
    case 'f4': for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, le); break;
    case 'f2': for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(i * 2, le)); break;
    case 'i4': for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, le); break;
    case 'u4': for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, le); break;
    case 'i2': for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, le); break;
    case 'u2': for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, le); break;
    case 'i1': for (let i = 0; i < count; i++) out[i] = view.getInt8(i); break;
    case 'u1': for (let i = 0; i < count; i++) out[i] = view.getUint8(i); break;
    case 'b1': for (let i = 0; i < count; i++) out[i] = view.getUint8(i) === 0 ? 0 : 1; break;
    case 'i8':
    case 'u8': {
      const signed = kind === 'i';
      for (let i = 0; i < count; i++) {
        const hiAt = le ? i * 8 + 4 : i * 8;
        const loAt = le ? i * 8 : i * 8 + 4;
        const hi = signed ? view.getInt32(hiAt, le) : view.getUint32(hiAt, le);
        const lo = view.getUint32(loAt, le);
        // |hi·2^32 + lo| ≤ 2^53 exactly when hi is within ±2^21 (and lo = 0 at +2^21):
        // then the double sum is exact. Beyond, a value is exact only when it has at
        // most 53 significant bits (−2^63, 2^63, 2^64 − 2048): check that it round-trips.
        if (hi > TWO_21 || hi < -TWO_21 || (hi === TWO_21 && lo !== 0)) {
          const big = (BigInt(hi) << 32n) + BigInt(lo);
          const near = Number(big);
          if (BigInt(near) !== big) {
            throw new NpyError(
              `element ${i} of the ${type.descr} data is ${big}, beyond ±2^53 and not exactly representable as a float ` +
              `(the nearest is ${BigInt(near)}): it cannot be held exactly in a float tensor`,
            );
          }
          out[i] = near;
          continue;
        }
        out[i] = hi * TWO_32 + lo;
      }
      break;
    }
  }
  return out;
}

/** IEEE 754 binary16 bits → number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

// ---------------------------------------------------------------------------
// Writing

/**
 * Serializes a tensor as a .npy file.
 *
 * By default the element type follows the tensor ('<f8' for f64, '<f4' for f32); any
 * {@link NpyWriteDType} can be asked for, including big-endian ('>f8') and integer or
 * bool output, for which every value must be an integer in the type's range (bool:
 * 0 or 1), else an {@link NpyError} names the first offending element. The header is
 * padded so the data start at a multiple of 64 bytes.
 */
export function serializeNpy(t: Tensor, options: NpyWriteOptions = {}): Uint8Array {
  const type = writeType(options.dtype ?? (t.dtype === 'f64' ? 'f8' : 'f4'));
  const fortranOrder = options.fortranOrder ?? false;
  const shapeText = t.ndim === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  const dict = `{'descr': '${type.descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const paddedLength = (preamble: number): number => Math.ceil((preamble + dict.length + 1) / ALIGN) * ALIGN - preamble;
  const version = options.version ?? (paddedLength(10) <= 0xffff ? '1.0' : '2.0');
  if (version !== '1.0' && version !== '2.0' && version !== '3.0') {
    throw new NpyError(`unsupported .npy format version '${String(version)}' (supported: '1.0', '2.0', '3.0')`);
  }
  const preamble = version === '1.0' ? 10 : 12;
  const headerLength = paddedLength(preamble);
  if (version === '1.0' && headerLength > 0xffff) {
    throw new NpyError(`the header (${headerLength} bytes) is too long for format version 1.0: use version '2.0'`);
  }
  const header = dict.padEnd(headerLength - 1, ' ') + '\n'; // ASCII, so latin-1 and UTF-8 agree
  // Fortran order is the C order of the axes reversed.
  const source = fortranOrder && t.ndim >= 2 ? t.permute() : t;
  const values = source.toTypedArray();
  const dataStart = preamble + headerLength;
  const out = new Uint8Array(dataStart + values.length * type.size);
  out.set(MAGIC);
  out[6] = Number(version[0]);
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === '1.0') view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  encodeElements(values, type, view, dataStart);
  return out;
}

/** Decodes a write dtype option, naming it when unknown. */
function writeType(dtype: string): ElementType {
  const aliases: Record<string, string> = { bool: 'b1', f64: 'f8', f32: 'f4' };
  const spec = aliases[dtype] ?? dtype;
  const m = /^([<>|=]?)(f8|f4|f2|i8|i4|i2|i1|u8|u4|u2|u1|b1)$/.exec(spec);
  if (!m) {
    throw new NpyError(`cannot write dtype '${dtype}': expected one of f8, f4, f2, i8, i4, i2, i1, u8, u4, u2, u1, b1 (bool), optionally prefixed by '<' or '>'`);
  }
  const order = m[1]!;
  const code = m[2]!;
  const littleEndian = order === '>' ? false : order === '=' || order === '|' ? HOST_LITTLE_ENDIAN : true;
  return makeType(code[0] as ElementType['kind'], Number(code.slice(1)), littleEndian);
}

/** Inclusive value ranges of the integer types (64-bit bounds are exact powers of two). */
const INTEGER_RANGE: Record<string, readonly [number, number]> = {
  i1: [-128, 127], i2: [-32768, 32767], i4: [-2147483648, 2147483647], i8: [-(2 ** 63), 2 ** 63],
  u1: [0, 255], u2: [0, 65535], u4: [0, 4294967295], u8: [0, 2 ** 64], b1: [0, 1],
};

function encodeElements(values: FloatArray, type: ElementType, view: DataView, at: number): void {
  const { kind, size, littleEndian: le } = type;
  const code = `${kind}${size}`;
  const count = values.length;
  if (kind !== 'f') {
    const [lo, hi] = INTEGER_RANGE[code]!;
    const exclusiveTop = size === 8; // 2^63 and 2^64 themselves do not fit
    for (let i = 0; i < count; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v)) {
        throw new NpyError(`cannot write element ${i} (value ${v}) as ${type.descr}: it is not an integer`);
      }
      if (v < lo || v > hi || (exclusiveTop && v === hi)) {
        const range = kind === 'b' ? 'only 0 and 1 are bools' : `range ${lo}…${exclusiveTop ? `${hi} (exclusive)` : hi}`;
        throw new NpyError(`cannot write element ${i} (value ${v}) as ${type.descr}: out of range (${range})`);
      }
    }
  }
  switch (code) {
    case 'f8': for (let i = 0; i < count; i++) view.setFloat64(at + i * 8, values[i]!, le); break;
    case 'f4': for (let i = 0; i < count; i++) view.setFloat32(at + i * 4, values[i]!, le); break;
    case 'f2': for (let i = 0; i < count; i++) view.setUint16(at + i * 2, numberToHalf(values[i]!), le); break;
    case 'i4': for (let i = 0; i < count; i++) view.setInt32(at + i * 4, values[i]!, le); break;
    case 'u4': for (let i = 0; i < count; i++) view.setUint32(at + i * 4, values[i]!, le); break;
    case 'i2': for (let i = 0; i < count; i++) view.setInt16(at + i * 2, values[i]!, le); break;
    case 'u2': for (let i = 0; i < count; i++) view.setUint16(at + i * 2, values[i]!, le); break;
    case 'i1': for (let i = 0; i < count; i++) view.setInt8(at + i, values[i]!); break;
    case 'u1': case 'b1': for (let i = 0; i < count; i++) view.setUint8(at + i, values[i]!); break;
    case 'i8':
    case 'u8':
      for (let i = 0; i < count; i++) {
        const v = values[i]!;
        const hi = Math.floor(v / TWO_32); // exact: v is an integer below 2^64 in magnitude
        const lo = v - hi * TWO_32;
        const p = at + i * 8;
        if (kind === 'i') view.setInt32(le ? p + 4 : p, hi, le);
        else view.setUint32(le ? p + 4 : p, hi, le);
        view.setUint32(le ? p : p + 4, lo, le);
      }
      break;
  }
}

/** number → IEEE 754 binary16 bits, rounding to nearest even (overflow → ±Infinity). */
function numberToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // halfway between 65504 (max) and 2^16 rounds up
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24); // subnormal (1024 carries into the exponent)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // log2 may round up just below a power of two
  else if (2 ** (e + 1) <= a) e++;
  let mantissa = roundHalfEven((a / 2 ** e - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    e++;
  }
  return sign | ((e + 15) << 10) | mantissa;
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

// ---------------------------------------------------------------------------
// The Python literal subset of .npy headers: dicts, tuples, lists, strings, ints,
// True/False/None.

/** A Python tuple (distinct from a list, which marks structured dtypes). */
class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
type PyValue = string | number | boolean | null | PyValue[] | PyTuple | { [key: string]: PyValue };

function formatPy(v: PyValue): string {
  if (v instanceof PyTuple) return `(${v.items.map(formatPy).join(', ')}${v.items.length === 1 ? ',' : ''})`;
  if (Array.isArray(v)) return `[${v.map(formatPy).join(', ')}]`;
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `'${k}': ${formatPy(x)}`).join(', ')}}`;
  return String(v);
}

/**
 * How deeply header values may nest. numpy's own headers nest 3 deep (structured dtypes
 * a few more); the limit turns a hostile '((((…' into an error instead of a stack overflow.
 */
const MAX_NESTING = 64;

function parsePythonLiteral(text: string): PyValue {
  let pos = 0;
  let depth = 0;
  const fail = (what: string): never => {
    throw new NpyError(`malformed .npy header: ${what} at character ${pos} of ${JSON.stringify(text.trim())}`);
  };
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const sequence = (close: string): PyValue[] => {
    const items: PyValue[] = [];
    skip();
    while (text[pos] !== close) {
      items.push(value());
      skip();
      if (text[pos] === ',') {
        pos++;
        skip();
      } else if (text[pos] !== close) {
        fail(`expected ',' or '${close}'`);
      }
    }
    pos++;
    return items;
  };
  const value = (): PyValue => {
    skip();
    const ch = text[pos];
    if (ch === undefined) return fail('unexpected end');
    if (ch === '{' || ch === '(' || ch === '[') {
      if (depth >= MAX_NESTING) fail(`values nested more than ${MAX_NESTING} deep`);
      depth++;
      try {
        return container(ch);
      } finally {
        depth--;
      }
    }
    return scalar(ch);
  };
  const container = (ch: string): PyValue => {
    if (ch === '{') {
      pos++;
      // No prototype, so a key such as '__proto__' is an ordinary (and refused) key.
      const dict: { [key: string]: PyValue } = Object.create(null) as { [key: string]: PyValue };
      skip();
      while (text[pos] !== '}') {
        const key = value();
        if (typeof key !== 'string') fail('dict keys must be strings');
        skip();
        if (text[pos] !== ':') fail("expected ':'");
        pos++;
        dict[key as string] = value();
        skip();
        if (text[pos] === ',') {
          pos++;
          skip();
        } else if (text[pos] !== '}') {
          fail("expected ',' or '}'");
        }
      }
      pos++;
      return dict;
    }
    if (ch === '(') {
      pos++;
      const start = pos;
      const items = sequence(')');
      // As in Python, '(6)' is the parenthesized value 6; only '(6,)' is a 1-tuple.
      if (items.length === 1 && !/,\s*\)$/.test(text.slice(start, pos))) return items[0]!;
      return new PyTuple(items);
    }
    pos++;
    return sequence(']');
  };
  const scalar = (ch: string): PyValue => {
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, pos + 1);
      if (end < 0) fail('unterminated string');
      const s = text.slice(pos + 1, end);
      pos = end + 1;
      return s;
    }
    const word = /^(?:[-+]?\d+L?|True|False|None)/.exec(text.slice(pos));
    if (!word) return fail(`unexpected ${JSON.stringify(ch)}`);
    pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0].replace('L', '')); // Python 2 wrote longs as 3L
  };
  const result = value();
  skip();
  if (pos < text.length) fail('unexpected text after the dict');
  return result;
}
