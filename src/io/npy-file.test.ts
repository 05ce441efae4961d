import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NpyError, type NpyTypeCode, type NpyVersion, type NpyWriteDType } from '../tensor/npy.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { readNpy, readNpyAsync, writeNpy, writeNpyAsync } from './npy-file.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/npy/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);

const scratch = mkdtempSync(join(tmpdir(), 'tnkit-npy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const range = (n: number, f: (i: number) => number = (i) => i): number[] => Array.from({ length: n }, (_, i) => f(i));

describe('readNpy on files written by numpy (test/fixtures/npy, see make_fixtures.py)', () => {
  const cases: [file: string, dtype: 'f64' | 'f32', shape: number[], values: number[]][] = [
    ['f8.npy', 'f64', [3, 4], range(12, (i) => i * 0.5 - 1)],
    ['f4.npy', 'f32', [2, 3], range(6, (i) => i / 4)],
    ['f2.npy', 'f32', [4], [1.5, -0.25, 65504, 2 ** -24]],
    ['i8.npy', 'f64', [5], [-(2 ** 53), -1, 0, 1, 2 ** 53]],
    ['i4.npy', 'f64', [3, 2], range(6, (i) => i - 3)],
    ['i2.npy', 'f64', [3], [-32768, 7, 32767]],
    ['i1.npy', 'f64', [3], [-128, 0, 127]],
    ['u8.npy', 'f64', [2], [0, 2 ** 53]],
    ['u4.npy', 'f64', [2], [0, 4294967295]],
    ['u2.npy', 'f64', [2], [0, 65535]],
    ['u1.npy', 'f64', [5], [0, 1, 127, 128, 255]],
    ['bool.npy', 'f64', [2, 3], [1, 0, 1, 0, 0, 1]],
    ['f8_be.npy', 'f64', [2, 3], range(6, (i) => i + 0.25)],
    ['i4_be.npy', 'f64', [2, 2], [-1, 2, 300000, -70000]],
    ['f8_fortran.npy', 'f64', [2, 3, 4], range(24, (i) => 100 * Math.floor(i / 12) + 10 * (Math.floor(i / 4) % 3) + (i % 4))],
    ['scalar.npy', 'f64', [], [3.5]],
    ['empty.npy', 'f64', [0, 3], []],
    ['v2.npy', 'f64', [5], range(5)],
    ['v3.npy', 'f64', [2, 2], range(4)],
  ];
  for (const [file, dtype, shape, values] of cases) {
    it(`reads ${file}`, () => {
      const t = readNpy(fixture(file));
      expect(t.dtype).toBe(dtype);
      expect(t.shape).toEqual(shape);
      expect(Array.from(t.toTypedArray())).toEqual(values);
    });
  }

  it('converts to the dtype asked for', () => {
    expect(readNpy(fixture('f8.npy'), { dtype: 'f32' }).dtype).toBe('f32');
    expect(readNpy(fixture('f4.npy'), { dtype: 'f64' }).dtype).toBe('f64');
    expect(Array.from(readNpy(fixture('i4.npy'), { dtype: 'f32' }).data)).toEqual(range(6, (i) => i - 3));
  });

  it('refuses what a real tensor cannot hold, naming the file and the problem', () => {
    expect(() => readNpy(fixture('i8_too_big.npy'))).toThrow(`${fixture('i8_too_big.npy')}: element 1 of the <i8 data is 9007199254740993, beyond ±2^53`);
    expect(() => readNpy(fixture('c16.npy'))).toThrow(`${fixture('c16.npy')}: unsupported dtype '<c16'`);
    expect(() => readNpy(fixture('object.npy'))).toThrow(/object\.npy: object arrays \('\|O'\) are not supported/);
    expect(() => readNpy(fixture('structured.npy'))).toThrow(/structured\.npy: structured dtypes are not supported/);
    expect(() => readNpy(fixture('c16.npy'))).toThrow(NpyError);
  });
});

describe('readNpy / writeNpy on disk', () => {
  it('round-trips random tensors through files, synchronously and asynchronously', async () => {
    const rng = new Random(21);
    for (let trial = 0; trial < 10; trial++) {
      const shape = range(rng.int(4), () => rng.int(4));
      const size = shape.reduce((p, d) => p * d, 1);
      const t = new Tensor(Float64Array.from({ length: size }, () => rng.normal()), shape);
      const path = join(scratch, `roundtrip-${trial}.npy`);
      if (trial % 2 === 0) writeNpy(path, t, { fortranOrder: trial % 4 === 0 });
      else await writeNpyAsync(path, t, { dtype: '>f8' });
      const back = trial % 3 === 0 ? await readNpyAsync(path) : readNpy(path);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.toTypedArray())).toEqual(Array.from(t.toTypedArray()));
    }
  });

  it('names the file in every error', async () => {
    const missing = join(scratch, 'does-not-exist.npy');
    expect(() => readNpy(missing)).toThrow(`cannot read .npy file ${missing}`);
    await expect(readNpyAsync(missing)).rejects.toThrow(`cannot read .npy file ${missing}`);
    const notNpy = join(scratch, 'not-npy.npy');
    writeFileSync(notNpy, 'hello, world');
    expect(() => readNpy(notNpy)).toThrow(`${notNpy}: not a .npy file`);
    await expect(readNpyAsync(notNpy)).rejects.toThrow(NpyError);
    const truncated = join(scratch, 'truncated.npy');
    writeFileSync(truncated, readFileSync(fixture('f8.npy')).subarray(0, 200));
    expect(() => readNpy(truncated)).toThrow(`${truncated}: header says shape [3, 4] of <f8 = 96 bytes but the file has 72 bytes of data`);
    const extra = join(scratch, 'extra.npy');
    writeFileSync(extra, Buffer.concat([readFileSync(fixture('f8.npy')), Buffer.alloc(3)]));
    expect(() => readNpy(extra)).toThrow(`${extra}: header says shape [3, 4] of <f8 = 96 bytes but the file has 99 bytes of data`);
    const half = new Tensor(Float64Array.from([0.5]), [1]);
    const target = join(scratch, 'half.npy');
    expect(() => writeNpy(target, half, { dtype: 'i4' })).toThrow(`${target}: cannot write element 0 (value 0.5) as <i4`);
    await expect(writeNpyAsync(target, half, { dtype: 'i4' })).rejects.toThrow(`${target}: cannot write element 0`);
    const noDir = join(scratch, 'no-such-dir', 'x.npy');
    expect(() => writeNpy(noDir, half)).toThrow(`cannot write .npy file ${noDir}`);
  });
});

// ---------------------------------------------------------------------------
// Interoperability with numpy itself, when it is installed.

const PYTHON = '/usr/bin/python3';
const numpyCheck = existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }) : undefined;
const numpyMissing = numpyCheck === undefined ? `${PYTHON} not found` : numpyCheck.status !== 0 ? `numpy not importable by ${PYTHON}` : '';
if (numpyMissing) console.log(`skipping numpy interoperability tests: ${numpyMissing}`);

const CODES: NpyTypeCode[] = ['f8', 'f4', 'f2', 'i8', 'i4', 'i2', 'i1', 'u8', 'u4', 'u2', 'u1', 'b1'];

function runPython(script: string, ...args: string[]): string {
  const result = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

describe.skipIf(numpyMissing !== '')('numpy interoperability', () => {
  it('numpy loads what writeNpy writes (every dtype, byte order, memory order, version)', () => {
    const rng = new Random(22);
    const manifest: { file: string; descr: string; fortran: boolean; shape: number[]; values: number[] }[] = [];
    for (const code of CODES) {
      for (const order of ['<', '>'] as const) {
        for (const fortranOrder of [false, true]) {
          const version = (['1.0', '2.0', '3.0'] as NpyVersion[])[rng.int(3)]!;
          const shape = range(rng.int(4), () => rng.int(5));
          const size = shape.reduce((p, d) => p * d, 1);
          const integer = code[0] !== 'f';
          const bits = code === 'b1' ? 1 : Number(code.slice(1)) * 8;
          const values = range(size, () => {
            if (!integer) return rng.normal() * 100; // numpy checks our rounding to f4/f2
            if (code === 'b1') return rng.int(2);
            const span = 2 ** Math.min(bits, 53);
            return code[0] === 'u' ? Math.floor(rng.uniform() * span) : Math.floor((rng.uniform() - 0.5) * span);
          });
          const dtype = `${order}${code}` as NpyWriteDType;
          const file = join(scratch, `to-numpy-${code}-${order === '<' ? 'le' : 'be'}-${fortranOrder ? 'F' : 'C'}.npy`);
          writeNpy(file, new Tensor(Float64Array.from(values), shape), { dtype, fortranOrder, version });
          const descr = bits <= 8 ? `|${code}` : dtype;
          manifest.push({ file, descr, fortran: fortranOrder, shape, values });
        }
      }
    }
    const manifestPath = join(scratch, 'to-numpy.json');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const out = runPython(`
import json, sys
import numpy as np
problems = []
for case in json.load(open(sys.argv[1])):
    a = np.load(case['file'])
    expected = np.array(case['values'], dtype=np.float64).astype(a.dtype).reshape(case['shape'])
    if a.dtype.str != case['descr']: problems.append(f"{case['file']}: dtype {a.dtype.str} != {case['descr']}")
    if list(a.shape) != case['shape']: problems.append(f"{case['file']}: shape {a.shape} != {case['shape']}")
    elif not np.array_equal(a, expected): problems.append(f"{case['file']}: values {a.ravel()[:5]} != {expected.ravel()[:5]}")
    if case['fortran'] and a.ndim >= 2 and a.size > 1 and not a.flags.f_contiguous: problems.append(f"{case['file']}: not Fortran-ordered")
print(json.dumps(problems))
`, manifestPath);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('readNpy reads what numpy writes (random arrays of every dtype, byte order, memory order, version)', () => {
    const dir = join(scratch, 'from-numpy');
    const out = runPython(`
import json, os, sys
import numpy as np
rng = np.random.default_rng(23)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
cases = []
for code in ${JSON.stringify(CODES)}:
    for order in '<>':
        for fortran in (False, True):
            shape = tuple(int(d) for d in rng.integers(0, 5, size=int(rng.integers(0, 4))))
            dtype = np.dtype(order + code) if code != 'b1' else np.dtype('?')
            if code == 'b1': a = rng.integers(0, 2, size=shape).astype(bool)
            elif code[0] == 'f': a = (rng.standard_normal(shape) * 100).astype(dtype)
            else:
                info = np.iinfo(dtype)
                lo, hi = max(int(info.min), -2**53), min(int(info.max), 2**53)
                a = rng.integers(lo, hi, size=shape, endpoint=True, dtype=np.int64 if code != 'u8' else np.uint64).astype(dtype)
            if fortran: a = np.asfortranarray(a)
            version = [(1, 0), (2, 0), (3, 0)][int(rng.integers(0, 3))]
            name = os.path.join(out_dir, f"{code}-{'le' if order == '<' else 'be'}-{'F' if fortran else 'C'}.npy")
            with open(name, 'wb') as f: np.lib.format.write_array(f, a, version=version)
            cases.append({'file': name, 'shape': list(a.shape), 'values': [float(x) for x in a.ravel(order='C')]})
print(json.dumps(cases))
`, dir);
    const cases = JSON.parse(out) as { file: string; shape: number[]; values: number[] }[];
    expect(cases.length).toBe(CODES.length * 4);
    for (const { file, shape, values } of cases) {
      const t = readNpy(file);
      expect(t.shape, file).toEqual(shape);
      expect(Array.from(t.toTypedArray()), file).toEqual(values);
    }
  });
});
