import { describe, expect, it } from 'vitest';
import { NpyError, parseNpy, serializeNpy, type NpyTypeCode, type NpyVersion, type NpyWriteDType } from './npy.js';
import { Random } from './random.js';
import { Tensor } from './tensor.js';

/** A .npy file built by hand, for headers serializeNpy would never write. */
function buildNpy(dict: string, data: ArrayLike<number>, version = 1): Uint8Array {
  const preamble = version === 1 ? 10 : 12;
  const header = new TextEncoder().encode(dict + '\n');
  const out = new Uint8Array(preamble + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, preamble);
  out.set(data, preamble + header.length);
  return out;
}

/** The header text and data offset of serialized bytes. */
function headerOf(bytes: Uint8Array): { text: string; dataStart: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const preamble = bytes[6] === 1 ? 10 : 12;
  const length = bytes[6] === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  return { text: new TextDecoder().decode(bytes.subarray(preamble, preamble + length)), dataStart: preamble + length };
}

function randomShape(rng: Random): number[] {
  const ndim = rng.int(5);
  // Mostly non-empty, sometimes with a zero dimension.
  return Array.from({ length: ndim }, () => (rng.int(12) === 0 ? 0 : 1 + rng.int(4)));
}

/** Random values every element type `code` holds exactly (f4/f2: exact binary fractions). */
function randomValue(code: NpyTypeCode, rng: Random): number {
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  switch (code) {
    case 'f8': return rng.normal() * 1e3;
    case 'f4': return Math.fround(rng.normal());
    case 'f2': return pick(-2048, 2048) / 8;
    case 'b1': return rng.int(2);
    case 'i1': return pick(-128, 127);
    case 'u1': return pick(0, 255);
    case 'i2': return pick(-32768, 32767);
    case 'u2': return pick(0, 65535);
    case 'i4': return pick(-2147483648, 2147483647);
    case 'u4': return pick(0, 4294967295);
    case 'i8': return [2 ** 53, -(2 ** 53), -1, pick(-(2 ** 40), 2 ** 40)][rng.int(4)]!;
    case 'u8': return [2 ** 53, 0, 2 ** 32, pick(0, 2 ** 40)][rng.int(4)]!;
  }
}

const CODES: NpyTypeCode[] = ['f8', 'f4', 'f2', 'i8', 'i4', 'i2', 'i1', 'u8', 'u4', 'u2', 'u1', 'b1'];
const VERSIONS: NpyVersion[] = ['1.0', '2.0', '3.0'];

describe('serializeNpy / parseNpy round trips', () => {
  it('preserves shape and values for every dtype, byte order, memory order and version', () => {
    const rng = new Random(11);
    for (const code of CODES) {
      for (const order of ['<', '>', ''] as const) {
        for (const fortranOrder of [false, true]) {
          for (const version of VERSIONS) {
            const shape = randomShape(rng);
            const size = shape.reduce((p, d) => p * d, 1);
            const values = Float64Array.from({ length: size }, () => randomValue(code, rng));
            const t = new Tensor(values, shape);
            const dtype = `${order}${code}` as NpyWriteDType;
            const bytes = serializeNpy(t, { dtype, fortranOrder, version });
            const what = `${dtype} fortran=${fortranOrder} v${version} shape [${shape}]`;
            const { text, dataStart } = headerOf(bytes);
            expect(dataStart % 64, what).toBe(0);
            expect(bytes[6], what).toBe(Number(version[0]));
            const written = code === 'b1' || code === 'i1' || code === 'u1' ? `|${code}` : `${order === '>' ? '>' : '<'}${code}`;
            expect(text, what).toContain(`'descr': '${written}'`);
            expect(text.endsWith('\n'), what).toBe(true);
            const back = parseNpy(bytes);
            expect(back.shape, what).toEqual(shape);
            expect(back.dtype, what).toBe(code === 'f4' || code === 'f2' ? 'f32' : 'f64');
            expect(Array.from(back.toTypedArray()), what).toEqual(Array.from(values));
            expect(parseNpy(bytes, { dtype: 'f64' }).dtype, what).toBe('f64');
          }
        }
      }
    }
  });

  it('writes f32 tensors as <f4 and f64 as <f8 by default, and reads them back without conversion', () => {
    const rng = new Random(12);
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(rng);
      const size = shape.reduce((p, d) => p * d, 1);
      for (const Ctor of [Float64Array, Float32Array]) {
        const data = new Ctor(size);
        for (let i = 0; i < size; i++) data[i] = rng.normal();
        const t = new Tensor(data, shape);
        const bytes = serializeNpy(t);
        expect(headerOf(bytes).text).toContain(Ctor === Float64Array ? "'<f8'" : "'<f4'");
        const back = parseNpy(bytes);
        expect(back.dtype).toBe(t.dtype);
        expect(back.shape).toEqual(shape);
        expect(Array.from(back.toTypedArray())).toEqual(Array.from(t.toTypedArray()));
      }
    }
  });

  it('writes Fortran order as column-major data and reads it back into C order', () => {
    const t = new Tensor(Float64Array.from([0, 1, 2, 3, 4, 5]), [2, 3]);
    const bytes = serializeNpy(t, { fortranOrder: true });
    const { text, dataStart } = headerOf(bytes);
    expect(text).toContain("'fortran_order': True");
    expect(Array.from(new Float64Array(bytes.slice(dataStart).buffer))).toEqual([0, 3, 1, 4, 2, 5]);
    expect(parseNpy(bytes).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('serializes strided views (permuted, sliced) by their logical C order', () => {
    const rng = new Random(13);
    for (let trial = 0; trial < 20; trial++) {
      const base = new Tensor(Float64Array.from({ length: 60 }, () => rng.normal()), [3, 4, 5]);
      const view = base.permute(2, 0, 1).slice(null, [1, 3], [null, null, 2]);
      const back = parseNpy(serializeNpy(view, { fortranOrder: rng.int(2) === 1 }));
      expect(back.shape).toEqual(view.shape);
      expect(back.toArray()).toEqual(view.toArray());
    }
  });

  it('reads bytes that are a view at any offset into a larger buffer, including a Node Buffer', () => {
    const rng = new Random(16);
    for (const code of CODES) {
      const values = Float64Array.from({ length: 7 }, () => randomValue(code, rng));
      const bytes = serializeNpy(new Tensor(values, [7]), { dtype: code });
      const offset = 1 + rng.int(13);
      const big = new Uint8Array(offset + bytes.length + 5).fill(0xee);
      big.set(bytes, offset);
      const back = parseNpy(big.subarray(offset, offset + bytes.length));
      expect(Array.from(back.data), code).toEqual(Array.from(values));
      // Node Buffers (what fs returns) override slice() to make views, not copies.
      const fromBuffer = parseNpy(Buffer.from(big.buffer, offset, bytes.length));
      expect(Array.from(fromBuffer.data), code).toEqual(Array.from(values));
    }
  });

  it('writes 0-d scalars with shape () and 1-d shapes as (n,)', () => {
    const scalar = new Tensor(Float64Array.from([2.5]), []);
    const bytes = serializeNpy(scalar);
    expect(headerOf(bytes).text).toContain("'shape': ()");
    expect(parseNpy(bytes).item()).toBe(2.5);
    expect(headerOf(serializeNpy(new Tensor(new Float64Array(3), [3]))).text).toContain("'shape': (3,)");
  });

  it('rounds f2 output to the nearest half (ties to even) and keeps every half bit pattern', () => {
    // All 65536 half values, decoded, then re-encoded.
    const all = new Uint8Array(65536 * 2);
    for (let h = 0; h < 65536; h++) {
      all[2 * h] = h & 0xff;
      all[2 * h + 1] = h >> 8;
    }
    const halves = parseNpy(buildNpy("{'descr': '<f2', 'fortran_order': False, 'shape': (65536,), }", all), { dtype: 'f64' });
    const again = serializeNpy(halves, { dtype: 'f2' });
    const bits = new Uint16Array(again.slice(headerOf(again).dataStart).buffer);
    for (let h = 0; h < 65536; h++) {
      const isNanBits = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      if (isNanBits) expect(Number.isNaN(halves.data[h])).toBe(true);
      else if (bits[h] !== h) throw new Error(`half 0x${h.toString(16)} (${halves.data[h]}) re-encoded as 0x${bits[h]!.toString(16)}`);
    }
    // Random doubles land on the nearest positive half; ties go to the even mantissa.
    const rng = new Random(14);
    const finite = (h: number): number => halves.data[h]!;
    for (let trial = 0; trial < 2000; trial++) {
      const x = trial % 4 === 0 ? finite(1 + rng.int(0x7bfe)) + (finite(1) * (rng.int(3) - 1)) / 2 : Math.exp(rng.normal() * 5);
      if (!(x > 0 && x < 65504)) continue;
      const written = serializeNpy(new Tensor(Float64Array.from([x]), [1]), { dtype: 'f2' });
      const h = new Uint16Array(written.slice(headerOf(written).dataStart).buffer)[0]!;
      const below = Math.abs(x - finite(h - 1 < 0 ? 0 : h - 1));
      const above = Math.abs(x - finite(h + 1));
      const err = Math.abs(x - finite(h));
      const ok = err < below && err < above || (err === below || err === above) && (h & 1) === 0;
      if (!ok) throw new Error(`${x} written as half 0x${h.toString(16)} = ${finite(h)}`);
    }
  });

  it('switches to version 2.0 when the header is too long for 1.0, and refuses to force 1.0', () => {
    const shape = Array<number>(22000).fill(1);
    const t = new Tensor(Float64Array.from([7]), shape);
    const bytes = serializeNpy(t);
    expect(bytes[6]).toBe(2);
    expect(headerOf(bytes).dataStart % 64).toBe(0);
    const back = parseNpy(bytes);
    expect(back.ndim).toBe(22000);
    expect(back.data[0]).toBe(7);
    expect(() => serializeNpy(t, { version: '1.0' })).toThrow(/too long for format version 1\.0/);
  });
});

describe('parseNpy errors name the problem', () => {
  const f8 = (shape: string, bytes: number, order = 'False', descr = '<f8'): Uint8Array =>
    buildNpy(`{'descr': '${descr}', 'fortran_order': ${order}, 'shape': ${shape}, }`, new Uint8Array(bytes));

  it('rejects files that are not .npy', () => {
    expect(() => parseNpy(new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/not a \.npy file: it starts with bytes 50 4b 03 04 14 00/);
    expect(() => parseNpy(new Uint8Array([0x93, 0x4e]))).toThrow(/not a \.npy file: only 2 bytes/);
    const v9 = f8('(1,)', 8);
    v9[6] = 9;
    expect(() => parseNpy(v9)).toThrow(/unsupported \.npy format version 9\.0/);
    expect(() => parseNpy(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0xff, 0]))).toThrow(/header length 255 runs past the end/);
    expect(() => parseNpy(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0xff, 0]))).toThrow(NpyError);
  });

  it('rejects truncated and extra data, naming both sizes', () => {
    expect(() => parseNpy(f8('(2, 3)', 47))).toThrow('header says shape [2, 3] of <f8 = 48 bytes but the file has 47 bytes of data');
    expect(() => parseNpy(f8('(2, 3)', 49))).toThrow('header says shape [2, 3] of <f8 = 48 bytes but the file has 49 bytes of data');
    // A header lying about the shape: a real file with its shape patched larger.
    const real = serializeNpy(new Tensor(new Float64Array(6), [2, 3]));
    const at = headerOf(real).text.indexOf("'shape': (2") + 10 + 10; // preamble + offset of the '2'
    expect(real[at]).toBe('2'.charCodeAt(0));
    real[at] = '3'.charCodeAt(0);
    expect(() => parseNpy(real)).toThrow(/header says shape \[3, 3\] of <f8 = 72 bytes but the file has 48 bytes/);
    expect(() => parseNpy(f8('(0, 3)', 8))).toThrow(/= 0 bytes but the file has 8 bytes/);
  });

  it('names unsupported dtypes', () => {
    expect(() => parseNpy(f8('(2,)', 32, 'False', '<c16'))).toThrow("unsupported dtype '<c16': complex numbers");
    expect(() => parseNpy(f8('(2,)', 32, 'False', '<U4'))).toThrow("unsupported dtype '<U4'");
    expect(() => parseNpy(f8('(2,)', 32, 'False', '<f16'))).toThrow("unsupported dtype '<f16': 16-byte floats");
    expect(() => parseNpy(f8('(2,)', 16, 'False', '|O'))).toThrow(/object arrays \('\|O'\) are not supported/);
    // numpy refuses a byte order on a dtype name, and the C 'long' codes mean different sizes on different platforms.
    expect(() => parseNpy(f8('(2,)', 16, 'False', '>float64'))).toThrow("unsupported dtype '>float64'");
    expect(() => parseNpy(f8('(2,)', 16, 'False', 'l'))).toThrow("unsupported dtype 'l': its size depends on the platform");
    expect(() => parseNpy(f8('(2,)', 16, 'False', 'int'))).toThrow("unsupported dtype 'int': its size depends on the platform");
    expect(() => parseNpy(f8('(2,)', 32, 'False', 'complex128'))).toThrow("unsupported dtype 'complex128': complex numbers");
    const structured = buildNpy("{'descr': [('x', '<f8'), ('y', '<i4')], 'fortran_order': False, 'shape': (2,), }", new Uint8Array(24));
    expect(() => parseNpy(structured)).toThrow(/structured dtypes are not supported.*\[\('x', '<f8'\), \('y', '<i4'\)\]/);
  });

  it('names missing and malformed header fields', () => {
    expect(() => parseNpy(buildNpy("{'descr': '<f8', 'shape': (1,), }", new Uint8Array(8)))).toThrow("missing 'fortran_order' field");
    expect(() => parseNpy(buildNpy("{'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)))).toThrow("missing 'descr' field");
    expect(() => parseNpy(buildNpy("{'descr': '<f8', 'fortran_order': False}", new Uint8Array(8)))).toThrow("missing 'shape' field");
    expect(() => parseNpy(f8('[1]', 8))).toThrow(/'shape' must be a tuple of non-negative integers, got \[1\]/);
    expect(() => parseNpy(f8('(-1,)', 8))).toThrow(/'shape' must be a tuple of non-negative integers, got \(-1,\)/);
    expect(() => parseNpy(f8('(1,)', 8, '0'))).toThrow(/'fortran_order' must be True or False, got 0/);
    expect(() => parseNpy(buildNpy("{'descr': 8, 'fortran_order': False, 'shape': (1,)}", new Uint8Array(8)))).toThrow(/'descr' must be a string, got 8/);
    expect(() => parseNpy(buildNpy("{'descr': '<f8', 'fortran_order': False 'shape': (1,)}", new Uint8Array(8)))).toThrow(/malformed \.npy header: expected ',' or '}' at character/);
    expect(() => parseNpy(buildNpy('[1, 2]', new Uint8Array(8)))).toThrow(/expected a dict literal/);
    expect(() => parseNpy(buildNpy("{'descr': '<f8", new Uint8Array(8)))).toThrow(/unterminated string/);
  });

  it('reads dtype names and one-letter codes as numpy.dtype() does', () => {
    const cases: [string, number[], number[]][] = [
      // descr, bytes, expected values
      ['float64', [0, 0, 0, 0, 0, 0, 0xf0, 0x3f], [1]],
      ['double', [0, 0, 0, 0, 0, 0, 0, 0x40], [2]],
      ['d', [0, 0, 0, 0, 0, 0, 0x08, 0x40], [3]],
      ['<d', [0, 0, 0, 0, 0, 0, 0x10, 0x40], [4]],
      ['>d', [0x40, 0x14, 0, 0, 0, 0, 0, 0], [5]],
      ['float', [0, 0, 0, 0, 0, 0, 0x18, 0x40], [6]],
      ['float32', [0, 0, 0x80, 0x3f], [1]],
      ['f', [0, 0, 0, 0x40], [2]],
      ['float16', [0x00, 0x3c], [1]],
      ['e', [0x00, 0x40], [2]],
      ['int64', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [-1]],
      ['q', [2, 0, 0, 0, 0, 0, 0, 0], [2]],
      ['uint64', [3, 0, 0, 0, 0, 0, 0, 0], [3]],
      ['Q', [4, 0, 0, 0, 0, 0, 0, 0], [4]],
      ['int32', [0xfe, 0xff, 0xff, 0xff], [-2]],
      ['i', [5, 0, 0, 0], [5]],
      ['uint32', [0xff, 0xff, 0xff, 0xff], [4294967295]],
      ['I', [6, 0, 0, 0], [6]],
      ['int16', [0xfd, 0xff], [-3]],
      ['h', [7, 0], [7]],
      ['uint16', [0xff, 0xff], [65535]],
      ['H', [8, 0], [8]],
      ['int8', [0xfc], [-4]],
      ['b', [0x80], [-128]],
      ['uint8', [200], [200]],
      ['B', [9], [9]],
      ['bool', [0, 1, 2], [0, 1, 1]],
      ['?', [1], [1]],
    ];
    for (const [descr, bytes, expected] of cases) {
      const shape = expected.length === 1 ? '()' : `(${expected.length},)`;
      const t = parseNpy(buildNpy(`{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`, new Uint8Array(bytes)));
      expect(Array.from(t.data), descr).toEqual(expected);
    }
    // Default tensor dtype follows the element type, as for '<f4'.
    expect(parseNpy(buildNpy("{'descr': 'float32', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4))).dtype).toBe('f32');
  });

  it("rejects the headers numpy rejects: a shape without a tuple comma, extra keys", () => {
    // In Python (6) is the integer 6, not a tuple; numpy says 'shape is not valid: 6'.
    expect(() => parseNpy(f8('(6)', 48))).toThrow("'shape' must be a tuple of non-negative integers, got 6");
    expect(() => parseNpy(f8('(2, (3))', 48))).not.toThrow();
    expect(parseNpy(f8('((6),)', 48)).shape).toEqual([6]);
    expect(parseNpy(f8('()', 8)).shape).toEqual([]);
    const extra = buildNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'note': 'hi', }", new Uint8Array(8));
    expect(() => parseNpy(extra)).toThrow("malformed .npy header: unexpected key 'note' (a .npy header has exactly 'descr', 'fortran_order' and 'shape')");
  });

  it('accepts the header variants older writers produced (Python 2 longs, double quotes, no trailing comma)', () => {
    const t = parseNpy(buildNpy('{"descr": "<i4", "fortran_order": False, "shape": (2L, 1L)}', new Uint8Array([1, 0, 0, 0, 255, 255, 255, 255])));
    expect(t.shape).toEqual([2, 1]);
    expect(t.toArray()).toEqual([[1], [-1]]);
  });

  it('reads 64-bit integers a float holds exactly, however large, and refuses the others', () => {
    const i8 = (values: bigint[], descr = '<i8'): Uint8Array => {
      const data = new Uint8Array(values.length * 8);
      const view = new DataView(data.buffer);
      values.forEach((v, i) => (descr[1] === 'i' ? view.setBigInt64(i * 8, v, descr[0] === '<') : view.setBigUint64(i * 8, v, descr[0] === '<')));
      return buildNpy(`{'descr': '${descr}', 'fortran_order': False, 'shape': (${values.length},), }`, data);
    };
    const limit = 2n ** 53n;
    for (const descr of ['<i8', '>i8']) {
      expect(Array.from(parseNpy(i8([-limit, limit, -limit + 3n, -5n], descr)).data)).toEqual([-(2 ** 53), 2 ** 53, -(2 ** 53) + 3, -5]);
      expect(() => parseNpy(i8([0n, limit + 1n], descr))).toThrow(`element 1 of the ${descr} data is 9007199254740993, beyond ±2^53`);
      expect(() => parseNpy(i8([-limit - 1n], descr))).toThrow('element 0 of the');
    }
    for (const descr of ['<u8', '>u8']) {
      expect(Array.from(parseNpy(i8([limit, 2n ** 32n + 7n], descr)).data)).toEqual([2 ** 53, 2 ** 32 + 7]);
      expect(() => parseNpy(i8([2n ** 64n - 1n], descr))).toThrow('18446744073709551615, beyond ±2^53');
      // Beyond 2^53 the values with at most 53 significant bits are exact: 2^63, and the largest double below 2^64.
      expect(Array.from(parseNpy(i8([2n ** 63n, 2n ** 64n - 2048n, 2n ** 60n + 2n ** 8n], descr)).data)).toEqual([2 ** 63, 2 ** 64 - 2048, 2 ** 60 + 2 ** 8]);
      expect(() => parseNpy(i8([2n ** 64n - 1024n], descr))).toThrow('element 0 of the');
    }
    for (const descr of ['<i8', '>i8']) {
      // int64's minimum is -2^63, a power of two; its maximum 2^63 - 1 has 63 significant bits.
      expect(Array.from(parseNpy(i8([-(2n ** 63n), 2n ** 63n - 1024n, -(2n ** 62n) - 2n ** 10n], descr)).data)).toEqual([-(2 ** 63), 2 ** 63 - 1024, -(2 ** 62) - 2 ** 10]);
      expect(() => parseNpy(i8([2n ** 63n - 1n], descr))).toThrow('element 0 of the');
      expect(() => parseNpy(i8([-(2n ** 63n) + 1n], descr))).toThrow('element 0 of the');
      expect(() => parseNpy(i8([-(2n ** 62n) - 2n ** 9n], descr))).toThrow('(the nearest is -4611686018427387904)');
    }
  });
});

describe('serializeNpy errors name the problem', () => {
  const t = (values: number[]): Tensor => new Tensor(Float64Array.from(values), [values.length]);

  it('refuses non-integers and out-of-range values for integer and bool output', () => {
    expect(() => serializeNpy(t([1, 2.5]), { dtype: 'i4' })).toThrow('cannot write element 1 (value 2.5) as <i4: it is not an integer');
    expect(() => serializeNpy(t([Number.NaN]), { dtype: 'i8' })).toThrow('(value NaN) as <i8: it is not an integer');
    expect(() => serializeNpy(t([0, 256]), { dtype: 'u1' })).toThrow('cannot write element 1 (value 256) as |u1: out of range (range 0…255)');
    expect(() => serializeNpy(t([-1]), { dtype: '>u4' })).toThrow('as >u4: out of range');
    expect(() => serializeNpy(t([2 ** 63]), { dtype: 'i8' })).toThrow('out of range');
    expect(() => serializeNpy(t([1, 0, 2]), { dtype: 'bool' })).toThrow('cannot write element 2 (value 2) as |b1: out of range (only 0 and 1 are bools)');
    expect(() => serializeNpy(t([-(2 ** 63), 2 ** 63 - 1024]), { dtype: 'i8' })).not.toThrow();
    expect(() => serializeNpy(t([2 ** 64]), { dtype: 'u8' })).toThrow('out of range');
  });

  it('names unknown dtypes and versions', () => {
    expect(() => serializeNpy(t([1]), { dtype: '<c16' as NpyWriteDType })).toThrow("cannot write dtype '<c16'");
    expect(() => serializeNpy(t([1]), { version: '4.0' as NpyVersion })).toThrow("unsupported .npy format version '4.0'");
  });

  it('writes 64-bit integers exactly across the whole int64/uint64 range', () => {
    const rng = new Random(15);
    for (let trial = 0; trial < 200; trial++) {
      const signed = rng.int(2) === 1;
      // Integers of up to 63/64 bits (exact doubles); compare against BigInt decoding.
      const v = Math.floor((signed ? rng.normal() : rng.uniform()) * 2 ** (1 + rng.int(signed ? 62 : 63)));
      const big = rng.int(2) === 1;
      const bytes = serializeNpy(t([v]), { dtype: `${big ? '>' : '<'}${signed ? 'i8' : 'u8'}` });
      const view = new DataView(bytes.buffer, headerOf(bytes).dataStart);
      const stored = signed ? view.getBigInt64(0, !big) : view.getBigUint64(0, !big);
      expect(stored).toBe(BigInt(v));
    }
  });
});
