import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClearError, FUZZ_SEED, outcome } from '../../test/helpers/fuzz.js';
import { NpyError, parseNpy, serializeNpy, type NpyWriteDType } from '../tensor/npy.js';
import { Tensor } from '../tensor/tensor.js';
import { readNpy, writeNpy } from './npy-file.js';

/*
 * Fuzz: malformed .npy bytes give one NpyError naming the problem (and, read from disk,
 * the file), never a RangeError/TypeError from deep inside, never a hang.
 */

/** Cases per property (the counts are reported in issue 11's closing note). */
const NPY_RUNS = { mutated: 300, header: 400, nesting: 40, random: 200, file: 60 };

const WRITE_DTYPES: NpyWriteDType[] = ['f8', 'f4', 'f2', 'i8', 'i4', 'i2', 'i1', 'u8', 'u4', 'u2', 'u1', 'b1', '>f8', '>i4'];

/** A small valid .npy file (integer-valued data, so every dtype can hold it). */
const validNpy = fc
  .record({
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }),
    dtype: fc.constantFrom(...WRITE_DTYPES),
    fortranOrder: fc.boolean(),
    version: fc.constantFrom('1.0' as const, '2.0' as const, '3.0' as const),
  })
  .map(({ shape, dtype, fortranOrder, version }) => {
    const size = shape.reduce((p, d) => p * d, 1);
    const data = Float64Array.from({ length: size }, (_, i) => (dtype === 'b1' ? i % 2 : i % 100));
    return serializeNpy(new Tensor(data, shape), { dtype, fortranOrder, version });
  });

/** A mutation of valid bytes: truncation, byte flips, bad magic/version, a lying header length. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('magic' as const), at: fc.integer({ min: 0, max: 5 }), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('version' as const), major: fc.integer({ min: 0, max: 255 }), minor: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('headerLength' as const), value: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 1, 0xffff, 0xffffffff)) }),
  fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
);

function mutate(bytes: Uint8Array, m: typeof mutation extends fc.Arbitrary<infer M> ? M : never): Uint8Array {
  const out = Uint8Array.from(bytes);
  switch (m.kind) {
    case 'truncate':
      return out.subarray(0, m.at % bytes.length);
    case 'flip':
      for (const [at, v] of m.at) out[at % out.length] = v;
      return out;
    case 'magic':
      out[m.at] = out[m.at] === m.value ? (m.value + 1) % 256 : m.value;
      return out;
    case 'version':
      out[6] = m.major;
      out[7] = m.minor;
      return out;
    case 'headerLength': {
      const view = new DataView(out.buffer);
      if (out[6] === 1) view.setUint16(8, m.value & 0xffff, true);
      else view.setUint32(8, m.value >>> 0, true);
      return out;
    }
    case 'append': {
      const grown = new Uint8Array(out.length + m.extra.length);
      grown.set(out);
      grown.set(m.extra, out.length);
      return grown;
    }
  }
}

/** Parses and checks the outcome: a tensor whose byte count agrees with the file, or one clear NpyError. */
function checkParse(bytes: Uint8Array, what: string): Tensor | undefined {
  const r = outcome(() => parseNpy(bytes));
  expect(r.ms, `${what}: parse time`).toBeLessThan(2000);
  if (r.error === undefined) {
    expect(r.value).toBeInstanceOf(Tensor);
    return r.value;
  }
  expect(r.error, `${what}: ${String(r.error)}`).toBeInstanceOf(NpyError);
  expectClearError(r.error, /npy|dtype|header|shape|bytes|element|version/, what);
  return undefined;
}

// Header dicts: each field present, missing, or of a wrong type; shapes with negative,
// huge, fractional, non-tuple entries; unknown descrs; extra keys.
const descrValue = fc.oneof(
  fc.constantFrom("'<f8'", "'<f4'", "'|u1'", "'>i2'", "'float64'", "'d'", "'<c16'", "'|O'", "'<U4'", "'<f16'", "'<i3'", "'x'", "''", "'<V8'"),
  fc.constantFrom('8', 'None', 'True', "[('a', '<f8')]", '(1,)', "{'a': 1}"),
  fc.string({ maxLength: 6 }).map((s) => `'${s.replace(/['\\]/g, '')}'`),
);
const fortranValue = fc.constantFrom('True', 'False', '0', '1', 'None', "'False'", '()');
const dim = fc.oneof(
  fc.integer({ min: 0, max: 5 }).map(String),
  fc.constantFrom('-1', '-0', '9007199254740993', '99999999999999999999999', '1.5', '3L', "'2'", 'None', '()', '1e3', '+2'),
);
const shapeValue = fc.oneof(
  fc.array(dim, { maxLength: 4 }).map((ds) => (ds.length === 1 ? `(${ds[0]},)` : `(${ds.join(', ')})`)),
  fc.array(dim, { maxLength: 3 }).map((ds) => `[${ds.join(', ')}]`),
  fc.constantFrom('(6)', '6', 'None', "'(2, 3)'", '((2,), 3)', '(2, 3,,)', '(,)'),
);
const headerDict = fc
  .record({
    descr: fc.option(descrValue, { nil: undefined }),
    fortran: fc.option(fortranValue, { nil: undefined }),
    shape: fc.option(shapeValue, { nil: undefined }),
    extra: fc.option(fc.constantFrom("'extra': 1", "'descr': '<f8'", "'__proto__': {}", "'__proto__': {'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", "'constructor': 1", '1: 2'), { nil: undefined }),
    order: fc.boolean(),
    dataBytes: fc.integer({ min: 0, max: 64 }),
    version: fc.constantFrom(1, 2, 3),
    tail: fc.constantFrom('}', ', }', '', '}}', '} x'),
  })
  .map((h) => {
    const parts = [
      h.descr === undefined ? undefined : `'descr': ${h.descr}`,
      h.fortran === undefined ? undefined : `'fortran_order': ${h.fortran}`,
      h.shape === undefined ? undefined : `'shape': ${h.shape}`,
      h.extra,
    ].filter((p): p is string => p !== undefined);
    if (h.order) parts.reverse();
    return { text: `{${parts.join(', ')}${h.tail}`, dataBytes: h.dataBytes, version: h.version, extra: h.extra };
  });

/** Builds a .npy file around a header text (padded as numpy pads) and `dataBytes` bytes of data. */
function npyWithHeader(text: string, dataBytes: number, version: number): Uint8Array {
  const preamble = version === 1 ? 10 : 12;
  const header = new TextEncoder().encode(text.padEnd(Math.ceil((preamble + text.length + 1) / 64) * 64 - preamble - 1, ' ') + '\n');
  const out = new Uint8Array(preamble + header.length + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, preamble);
  for (let i = 0; i < dataBytes; i++) out[preamble + header.length + i] = (i * 37) & 0xff;
  return out;
}

describe('fuzz: malformed .npy bytes give one clear NpyError', () => {
  it('valid files with one mutation (truncation, byte flips, magic, version, header length, extra bytes)', () => {
    fc.assert(
      fc.property(validNpy, mutation, (bytes, m) => {
        checkParse(mutate(bytes, m), `${m.kind} ${JSON.stringify(m)}`);
      }),
      { seed: FUZZ_SEED, numRuns: NPY_RUNS.mutated },
    );
  });

  it('header dicts with missing, mistyped, extra or impossible fields', () => {
    fc.assert(
      fc.property(headerDict, ({ text, dataBytes, version, extra }) => {
        const t = checkParse(npyWithHeader(text, dataBytes, version), `header ${text} with ${dataBytes} data bytes`);
        if (!t) return;
        // What is read is what the header says: a shape of non-negative integers, and
        // only the three keys numpy allows (a repeated 'descr' is still one key).
        expect(t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
        expect(extra === undefined || extra === "'descr': '<f8'", `accepted a header with ${extra}`).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: NPY_RUNS.header },
    );
  });

  it('deeply nested header values (up to the 64 KiB of a 1.0 header, and beyond in 2.0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('(', '[', '{'), fc.constantFrom('descr', 'shape'), (depth, open, field) => {
        const nested = open.repeat(depth);
        const text = field === 'shape'
          ? `{'descr': '<f8', 'fortran_order': False, 'shape': ${nested}`
          : `{'descr': ${nested}`;
        checkParse(npyWithHeader(text, 8, text.length > 60_000 ? 2 : 1), `depth ${depth} of '${open}' in ${field}`);
      }),
      { seed: FUZZ_SEED, numRuns: NPY_RUNS.nesting },
    );
  });

  it('random bytes, with and without the magic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.constantFrom(1, 2, 3), (raw, magic, major) => {
        const bytes = Uint8Array.from(raw);
        if (magic && bytes.length >= 8) bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
        checkParse(bytes, `random ${bytes.length} bytes`);
      }),
      { seed: FUZZ_SEED, numRuns: NPY_RUNS.random },
    );
  });
});

describe('fuzz: readNpy names the file; writeNpy leaves an existing file alone when it fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tnkit-npy-fuzz-'));

  it('reading a malformed file names it', () => {
    fc.assert(
      fc.property(validNpy, mutation, (bytes, m) => {
        const path = join(dir, 'bad.npy');
        writeFileSync(path, mutate(bytes, m));
        const r = outcome(() => readNpy(path));
        if (r.error !== undefined) expectClearError(r.error, path, m.kind);
      }),
      { seed: FUZZ_SEED, numRuns: NPY_RUNS.file },
    );
  });

  it('a write that fails (value not representable in the dtype) keeps the old bytes', () => {
    const path = join(dir, 'keep.npy');
    // Values none of these dtypes holds: fractions, NaN, ±Infinity, beyond 32 bits.
    const unrepresentable = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map((k) => k + 0.5),
      fc.constantFrom(NaN, Infinity, -Infinity, 1e20, -1e20),
    );
    fc.assert(
      fc.property(fc.constantFrom<NpyWriteDType>('u1', 'i1', 'b1', 'i2', 'u4'), unrepresentable, (dtype, value) => {
        const old = serializeNpy(new Tensor(Float64Array.of(1, 2, 3), [3]));
        writeFileSync(path, old);
        const r = outcome(() => writeNpy(path, new Tensor(Float64Array.of(0, value), [2]), { dtype }));
        expect(r.error).toBeInstanceOf(NpyError);
        expectClearError(r.error, path);
        expect(readFileSync(path)).toEqual(Buffer.from(old));
      }),
      { seed: FUZZ_SEED, numRuns: NPY_RUNS.file },
    );
  });
});
