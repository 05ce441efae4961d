import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNpy } from './npy.js';

/*
 * Cross-checks parseNpy against numpy itself (skipped when python3 or numpy is
 * missing): 64-bit integer edge values in files numpy writes, and hand-made
 * headers that numpy must accept or refuse exactly when parseNpy does.
 */

const PYTHON = '/usr/bin/python3';
const check = existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }) : undefined;
const numpyMissing = check === undefined ? `${PYTHON} not found` : check.status !== 0 ? `numpy not importable by ${PYTHON}` : '';
if (numpyMissing) console.log(`skipping .npy numpy cross-checks: ${numpyMissing}`);

function python(script: string, ...args: string[]): string {
  const result = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

const scratch = numpyMissing ? '' : mkdtempSync(join(tmpdir(), 'tnkit-npy-interop-'));
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A version 1.0 .npy file with this header dict text and data, padded as numpy pads. */
function npyBytes(dict: string, data: Uint8Array): Uint8Array {
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

describe.skipIf(numpyMissing !== '')('.npy reading agrees with numpy', () => {
  it('reads the int64/uint64 edge values numpy writes when a double holds them exactly, and refuses the others', () => {
    // Each case: a dtype, the values numpy writes (as decimal text), and whether every value is an exact double.
    const cases: [string, string[], boolean][] = [
      ['<i8', ['-9223372036854775808', '9223372036854774784', '9007199254740994', '-5', '0'], true],
      ['>i8', ['-9223372036854775808', '-4611686018427388928'], true],
      ['<u8', ['18446744073709549568', '9223372036854775808', '0', '9007199254740992'], true],
      ['>u8', ['18446744073709549568'], true],
      ['<i8', ['0', '9223372036854775807'], false], // int64 max: 63 significant bits
      ['<i8', ['9007199254740993'], false], // 2^53 + 1
      ['<u8', ['18446744073709551615'], false], // uint64 max
    ];
    const files = cases.map((_, k) => join(scratch, `edge-${k}.npy`));
    python(
      'import sys, json, numpy as np\n' +
        'for f, (dt, vals, _) in zip(sys.argv[2:], json.loads(sys.argv[1])):\n' +
        '    np.save(f, np.array([int(v) for v in vals], dtype=np.dtype(dt)))\n',
      JSON.stringify(cases),
      ...files,
    );
    cases.forEach(([dtype, values, exact], k) => {
      const bytes = readFileSync(files[k]!);
      if (exact) {
        const t = parseNpy(bytes);
        expect(t.shape).toEqual([values.length]);
        // Compare exactly, as integers: every double here is an integer.
        expect(Array.from(t.data, (x) => BigInt(x).toString()), `${dtype} ${values.join(' ')}`).toEqual(values);
      } else {
        const bad = values.findIndex((v) => BigInt(Number(BigInt(v))) !== BigInt(v));
        expect(() => parseNpy(bytes)).toThrow(`element ${bad} of the ${dtype} data is ${values[bad]}, beyond ±2^53 and not exactly representable`);
      }
    });
  });

  it('accepts and refuses the same hand-made headers as numpy.load, with the same values', () => {
    const f64One = new Uint8Array(new Float64Array([1.5, -2, 3, 4, 5, 6]).buffer);
    // (A negative dimension is left out: numpy versions differ on '(-6,)' in a file, some
    // reading it with count −6, i.e. everything; parseNpy refuses it.)
    const headers: [string, Uint8Array][] = [
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", f64One],
      ["{'descr': 'float64', 'fortran_order': False, 'shape': (6,), }", f64One],
      ["{'descr': 'd', 'fortran_order': False, 'shape': (2, 3), }", f64One],
      ["{'descr': '<d', 'fortran_order': True, 'shape': (2, 3), }", f64One],
      ["{'descr': 'double', 'fortran_order': False, 'shape': ((6),), }", f64One],
      ["{'descr': 'int32', 'fortran_order': False, 'shape': (3, 4), }", f64One],
      ["{'descr': 'i', 'fortran_order': False, 'shape': (12,), }", f64One],
      ["{'descr': 'uint16', 'fortran_order': False, 'shape': (24,), }", f64One],
      ["{'descr': 'b', 'fortran_order': False, 'shape': (48,), }", f64One],
      ["{'descr': 'float16', 'fortran_order': False, 'shape': (4, 6), }", f64One],
      ["{'descr': 'float32', 'fortran_order': False, 'shape': (12,), }", f64One],
      ["{'descr': 'e', 'fortran_order': False, 'shape': (24,), }", f64One],
      ["{'descr': 'bool', 'fortran_order': False, 'shape': (48,), }", f64One],
      ["{'descr': '?', 'fortran_order': False, 'shape': (48,), }", f64One],
      // Refused by numpy: a parenthesized integer is not a tuple; extra keys; a byte order on a name.
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (6), }", f64One],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (6,), 'extra': 1, }", f64One],
      ["{'descr': '>float64', 'fortran_order': False, 'shape': (6,), }", f64One],
      ["{'descr': '<f8', 'fortran_order': 0, 'shape': (6,), }", f64One],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': [6], }", f64One],
    ];
    const files = headers.map(([dict, data], k) => {
      const file = join(scratch, `header-${k}.npy`);
      writeFileSync(file, npyBytes(dict, data));
      return file;
    });
    const out = python(
      'import sys, json, numpy as np\n' +
        'res = []\n' +
        'for f in sys.argv[1:]:\n' +
        '    try:\n' +
        '        a = np.load(f, allow_pickle=False)\n' +
        '        res.append({"ok": True, "shape": list(a.shape), "values": [float(x) for x in a.astype(np.float64).ravel()]})\n' +
        '    except Exception as e:\n' +
        '        res.append({"ok": False, "why": str(e)})\n' +
        'print(json.dumps(res))\n',
      ...files,
    );
    const numpy = JSON.parse(out) as { ok: boolean; shape?: number[]; values?: number[]; why?: string }[];
    headers.forEach(([dict], k) => {
      const theirs = numpy[k]!;
      let ours: { ok: boolean; shape?: number[]; values?: number[]; why?: string };
      try {
        const t = parseNpy(readFileSync(files[k]!), { dtype: 'f64' });
        ours = { ok: true, shape: [...t.shape], values: Array.from(t.toTypedArray()) };
      } catch (e) {
        ours = { ok: false, why: (e as Error).message };
      }
      expect(ours.ok, `${dict}: numpy ${theirs.ok ? 'accepts' : `refuses (${theirs.why})`}, parseNpy ${ours.ok ? 'accepts' : `refuses (${ours.why})`}`).toBe(theirs.ok);
      if (theirs.ok) {
        expect(ours.shape, dict).toEqual(theirs.shape);
        // NaN (f16/f32 bit patterns of these bytes) compares equal to NaN in toEqual.
        expect(ours.values, dict).toEqual(theirs.values);
      }
    });
  });
});
