import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor/tensor.js';
import { encodePng, readPng, decodePngTensor } from './image.js';
import { readNpy } from './npy-file.js';
import { checkNetworkOutput, checkOutputDir, checkTensorOutput, tensorFormatOf, writeTensorOutput } from './output-file.js';
import { readRawVideo } from './video.js';

const dir = mkdtempSync(join(tmpdir(), 'tnkit-output-'));

/** A tensor of the given shape with values in about [−20, 275] (some clipped), seeded. */
function samples(shape: number[], seed: number): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(size);
  let s = seed * 7919 + 1;
  for (let p = 0; p < size; p++) {
    s = (s * 48271) % 2147483647;
    data[p] = (s % 2960) / 10 - 20;
  }
  return new Tensor(data, shape);
}

/** Clipped and rounded to 8 bits, as the writers do. */
function eightBit(t: Tensor): number[] {
  return Array.from(t.toTypedArray(), (v) => Math.min(255, Math.max(0, Math.floor(v + 0.5))));
}

describe('output files by extension', () => {
  it('names the format of each extension', () => {
    expect(tensorFormatOf('a.npy')).toBe('npy');
    expect(tensorFormatOf('A.PNG')).toBe('png');
    expect(tensorFormatOf('v.u8')).toBe('u8');
    expect(tensorFormatOf('v.u8.gz')).toBe('u8');
    expect(tensorFormatOf('v.txt')).toBeUndefined();
  });

  it('PNG round trip: grey and RGB images come back as their 8-bit values', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(0, 1, 3), fc.integer(), (h, w, c, seed) => {
      const t = samples(c === 0 ? [h, w] : [h, w, c], seed);
      const back = decodePngTensor(encodePng(t), 'x.png');
      // A 1-channel image reads back as [H, W].
      expect(back.shape).toEqual(c === 3 ? [h, w, 3] : [h, w]);
      expect(Array.from(back.toTypedArray())).toEqual(eightBit(t));
    }), { numRuns: 40 });
  });

  it('writes .npy, .png, .u8 and .u8.gz that read back', () => {
    const image = samples([5, 7, 3], 1);
    writeTensorOutput('--out', join(dir, 'a.png'), image);
    expect(Array.from(readPng(join(dir, 'a.png')).toTypedArray())).toEqual(eightBit(image));
    const video = samples([3, 4, 5], 2);
    for (const name of ['v.u8', 'w.u8.gz']) {
      writeTensorOutput('--out', join(dir, name), video);
      const back = readRawVideo(join(dir, name));
      expect(back.shape).toEqual([3, 4, 5]);
      expect(Array.from(back.toTypedArray())).toEqual(eightBit(video));
    }
    expect(JSON.parse(readFileSync(join(dir, 'w.json'), 'utf8')).files[0]).toMatchObject({ file: 'w.u8', dtype: 'uint8', shape: [3, 4, 5] });
    writeTensorOutput('--out', join(dir, 'a.npy'), video);
    const npy = readNpy(join(dir, 'a.npy'));
    expect(npy.shape).toEqual([3, 4, 5]);
    expect(Array.from(npy.toTypedArray())).toEqual(Array.from(video.toTypedArray()));
  });

  it('refuses before any work, naming the flag, the path and why', () => {
    const png = join(dir, 'x.png');
    expect(() => checkTensorOutput('--out', png, [20, 144, 176, 3])).toThrow(`--out ${png}: a 4-D tensor [20,144,176,3] cannot be written as a PNG (a PNG holds [H,W] grey or [H,W,3] RGB); use .npy or .u8`);
    expect(() => checkTensorOutput('--out', png, [4, 4, 7])).toThrow(/--out .*x\.png: a 3-D tensor \[4,4,7\] cannot be written as a PNG \(its last axis has 7 channels/);
    expect(() => checkTensorOutput('--reconstruct', join(dir, 'x.txt'), [2, 2])).toThrow(/--reconstruct .*x\.txt: unknown output type; use \.npy/);
    expect(() => checkTensorOutput('--out', join(dir, 'nope', 'x.npy'), [2])).toThrow(/--out .*nope.x\.npy: the folder .*nope does not exist/);
    mkdirSync(join(dir, 'd.npy'));
    expect(() => checkTensorOutput('--out', join(dir, 'd.npy'), [2])).toThrow(/d\.npy: is a folder/);
    expect(checkTensorOutput('--out', join(dir, 'ok.png'), [4, 4, 3])).toBe('png');
    expect(() => checkNetworkOutput('--save', join(dir, 'net.npy'))).toThrow(/--save .*net\.npy: a network is saved as a \.tn file/);
    expect(() => checkNetworkOutput('--save', join(dir, 'nope', 'net.tn'))).toThrow(/does not exist/);
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => checkOutputDir('--frames-dir', join(dir, 'file'))).toThrow(/--frames-dir .*file: is a file, not a folder/);
    expect(() => checkOutputDir('--report', join(dir, 'a', 'b'))).toThrow(/--report .*b: neither it nor its parent folder/);
    expect(() => checkOutputDir('--report', join(dir, 'new'))).not.toThrow();
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });
});

const PYTHON = '/usr/bin/python3';
const numpy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy']).status === 0;

describe.skipIf(!numpy)('numpy reads the .npy output', () => {
  it('loads the same values and shape', () => {
    const t = samples([2, 3, 4], 5);
    const file = join(dir, 'np.npy');
    writeTensorOutput('--out', file, t);
    const r = spawnSync(PYTHON, ['-c', 'import sys, numpy, json; a = numpy.load(sys.argv[1]); print(json.dumps({"shape": list(a.shape), "data": a.ravel().tolist()}))', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.shape).toEqual([2, 3, 4]);
    expect(out.data).toEqual(Array.from(t.toTypedArray()));
  });
});
