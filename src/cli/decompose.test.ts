import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { encode } from 'fast-png';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rse } from '../decompose/metrics.js';
import { trainRankMatrix } from '../decompose/rank-matrix.js';
import { lowRankTensor } from '../../test/helpers/decompose-tensors.js';
import { runCli } from '../../test/helpers/run-cli.js';
import { readPng } from '../io/image.js';
import { readNpy, writeNpy } from '../io/npy-file.js';
import { readRawVideo } from '../io/video.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { registerDecompose, runDecompose, type DecomposeSummary } from './decompose.js';

let dir: string;
let lowRank: Tensor;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tnkit-decompose-'));
  const rng = new Random(61);
  lowRank = lowRankTensor([4, 5, 6, 3], trainRankMatrix([2, 3, 2]), rng).x;
  writeNpy(join(dir, 'tt.npy'), lowRank);
  // An 8×6 grey image and a 4×5 RGB image with known pixels.
  const grey = new Uint8Array(48).map((_, p) => (p * 37) % 256);
  writeFileSync(join(dir, 'grey.png'), encode({ width: 6, height: 8, data: grey, channels: 1, depth: 8 }));
  const rgb = new Uint8Array(60).map((_, p) => (p * 11 + 3) % 256);
  writeFileSync(join(dir, 'rgb.png'), encode({ width: 5, height: 4, data: rgb, channels: 3, depth: 8 }));
  // A 3-frame 4×5 raw video, gzipped, with its sidecar.
  const frames = new Uint8Array(60).map((_, p) => 16 + ((p * 7) % 200));
  writeFileSync(join(dir, 'clip.u8.gz'), gzipSync(frames));
  writeFileSync(join(dir, 'clip.json'), JSON.stringify({ files: [{ dtype: 'uint8', shape: [3, 4, 5] }] }));
  writeFileSync(join(dir, 'ring.json'), JSON.stringify([[1, 2, 1, 2], [2, 1, 3, 1], [1, 3, 1, 2], [2, 1, 2, 1]]));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify([[1, 2], [2, 1]]));
  writeFileSync(join(dir, 'junk.png'), 'not a png');
});

/** Runs `tnkit decompose ARGS --json` in-process and returns the parsed stdout. */
async function cli(args: string[]): Promise<DecomposeSummary> {
  const program = new Command('tnkit').exitOverride();
  registerDecompose(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'tnkit', 'decompose', ...args, '--json']);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(out) as DecomposeSummary;
}

afterEach(() => vi.restoreAllMocks());

describe('tnkit decompose', () => {
  it('decomposes a .npy as a TT and writes the reconstruction', async () => {
    const out = join(dir, 'tt-out.npy');
    const s = await cli([join(dir, 'tt.npy'), '--format', 'tt', '--rse', '1e-10', '--out', out]);
    expect(s.format).toBe('tt');
    expect(s.ranks).toEqual([2, 3, 2]);
    expect(s.params).toBe(4 * 2 + 5 * 2 * 3 + 6 * 3 * 2 + 3 * 2);
    expect(s.cr).toBeCloseTo(s.params / 360, 15);
    expect(s.rse).toBeLessThanOrEqual(1e-10);
    expect(s.seconds).toBeGreaterThanOrEqual(0);
    expect(rse(readNpy(out), lowRank)).toBeLessThanOrEqual(1e-10);
  });

  it('runs every format on the same .npy', async () => {
    const file = join(dir, 'tt.npy');
    const tr = await cli([file, '--format', 'tr', '--rse', '1e-10']);
    expect(tr.ranks).toHaveLength(4);
    expect(tr.rse).toBeLessThanOrEqual(1e-10);
    const trAls = await cli([file, '--format', 'tr', '--rank', '2', '--iters', '5']);
    expect(trAls.ranks).toEqual([2, 2, 2, 2]);
    expect(trAls.params).toBe((4 + 5 + 6 + 3) * 4);
    const tucker = await cli([file, '--format', 'tucker', '--ranks', '2,3,3,2']);
    expect(tucker.ranks).toEqual([2, 3, 3, 2]);
    expect(tucker.params).toBe(36 + 8 + 15 + 18 + 6);
    const cp = await cli([file, '--format', 'cp', '--rank', '3', '--iters', '20']);
    expect(cp.ranks).toEqual([3]);
    expect(cp.params).toBe(3 * 18);
    const net = await cli([file, '--format', `ranks:${join(dir, 'ring.json')}`, '--iters', '3']);
    expect(net.ranks).toEqual([[1, 2, 1, 2], [2, 1, 3, 1], [1, 3, 1, 2], [2, 1, 2, 1]]);
    expect(net.params).toBe(4 * 4 + 5 * 6 + 6 * 6 + 3 * 4);
    for (const s of [tr, trAls, tucker, cp, net]) expect(s.rse).toBeLessThan(1);
  });

  it('reads grey and RGB PNGs as values in [0, 255] and reports PSNR', async () => {
    const grey = await cli([join(dir, 'grey.png'), '--format', 'tt', '--rank', '8']);
    expect(grey.shape).toEqual([8, 6]);
    expect(grey.rse).toBeLessThan(1e-12);
    expect(grey.psnr).toBeGreaterThan(200);
    const rgb = await cli([join(dir, 'rgb.png'), '--format', 'tucker', '--rse', '0.3']);
    expect(rgb.shape).toEqual([4, 5, 3]);
    expect(rgb.rse).toBeLessThanOrEqual(0.3);
    expect(rgb.psnr).toBeGreaterThan(0);
    const out = join(dir, 'rgb-out.npy');
    await cli([join(dir, 'rgb.png'), '--format', 'tt', '--rse', '0', '--shape', '2,2,5,3', '--out', out]);
    const back = readNpy(out);
    expect(back.shape).toEqual([4, 5, 3]);
    expect(back.get(0, 0, 0)).toBeCloseTo(3, 9);
    expect(back.get(1, 2, 1)).toBeCloseTo((22 * 11 + 3) % 256, 9);
  });

  it('reads a raw .u8.gz video through its sidecar JSON', async () => {
    const s = await cli([join(dir, 'clip.u8.gz'), '--format', 'tt', '--rse', '0.05']);
    expect(s.shape).toEqual([3, 4, 5]);
    expect(s.rse).toBeLessThanOrEqual(0.05);
    expect(s.psnr).toBeDefined();
  });

  it('decomposes the shipped Foreman clip reshaped', () => {
    const file = join(process.cwd(), 'data/video/foreman_qcif_gray_100.u8.gz');
    const { summary: s, record } = runDecompose(file, { format: 'tt', rse: '0.1', shape: '100,144,176' });
    expect(s.rse).toBeLessThanOrEqual(0.1);
    expect(s.cr).toBeLessThan(1);
    expect(s.psnr).toBeGreaterThan(20);
    // The record carries the chain found, its bond spectra (one per bond, largest first) and a trace ending at the result.
    expect(record.kind).toBe('decompose');
    expect(record.summary).toEqual(s);
    expect(record.networks![0]!.dims).toEqual([100, 144, 176]);
    expect(record.spectra![0]!.bonds).toHaveLength(2);
    for (const b of record.spectra![0]!.bonds) expect(b.values).toEqual([...b.values].sort((p, q) => q - p));
    expect(record.spectra![0]!.bonds[0]!.values).toHaveLength(s.ranks[0] as number);
    expect(record.methods![0]!.points.at(-1)).toMatchObject({ rse: s.rse, cr: s.cr, params: s.params });
  });

  it('--out writes by extension in the input\'s layout; --save keeps the network for tnkit reconstruct', async () => {
    const png = join(dir, 'rgb-out.png');
    const net = join(dir, 'rgb.tn');
    const s = await cli([join(dir, 'rgb.png'), '--format', 'tt', '--rse', '0', '--shape', '2,2,5,3', '--out', png, '--save', net]);
    expect(s.rse).toBeLessThan(1e-10);
    // A PNG again (not .npy bytes), with the pixels it was read from.
    const back = readPng(png);
    expect(back.shape).toEqual([4, 5, 3]);
    expect(back.get(1, 2, 1)).toBe((22 * 11 + 3) % 256);
    const r = await runCli('reconstruct', net, '--out', join(dir, 'rgb-again.npy'), '--json');
    expect(r.code).toBe(0);
    const again = readNpy(join(dir, 'rgb-again.npy'));
    expect(again.shape).toEqual([4, 5, 3]);
    expect(again.get(1, 2, 1)).toBeCloseTo((22 * 11 + 3) % 256, 8);
    const u8 = join(dir, 'clip-out.u8');
    await cli([join(dir, 'clip.u8.gz'), '--format', 'tr', '--rse', '0', '--shape', '3,4,5', '--out', u8]);
    expect(Array.from(readRawVideo(u8).toTypedArray())).toEqual(Array.from({ length: 60 }, (_, p) => 16 + ((p * 7) % 200)));
    const bad = await runCli('decompose', join(dir, 'clip.u8.gz'), '--rse', '0.1', '--out', join(dir, 'clip.png'));
    expect(bad.stderr).toMatch(/--out .*clip\.png: a 3-D tensor \[3,4,5\] cannot be written as a PNG/);
    const cp = await runCli('decompose', join(dir, 'tt.npy'), '--format', 'cp', '--rank', '2', '--save', join(dir, 'cp.tn'));
    expect(cp.stderr).toMatch(/--save: --format cp is not a rank-matrix network/);
  });

  it('fails with errors that name the file or flag', () => {
    const npy = join(dir, 'tt.npy');
    const run = (input: string, opts: Record<string, string>) => () => runDecompose(input, { format: 'tt', ...opts });
    expect(run(join(dir, 'missing.npy'), { rse: '0.1' })).toThrow(/missing\.npy/);
    expect(run(join(dir, 'data.txt'), { rse: '0.1' })).toThrow(/data\.txt: unsupported input type/);
    expect(run(join(dir, 'junk.png'), { rse: '0.1' })).toThrow(/junk\.png: not a valid PNG/);
    expect(run(npy, { rse: '0.1', shape: '7,7' })).toThrow(/--shape 7,7 has 49 entries but .*tt\.npy has shape \[4, 5, 6, 3\] \(360 entries\)/);
    expect(run(npy, { rse: 'abc' })).toThrow(/--rse: 'abc' is not a relative error/);
    expect(run(npy, {})).toThrow(/give --rse, --ranks or --rank/);
    expect(run(npy, { ranks: '2,2' })).toThrow(/needs 3 ranks, got 2/);
    expect(run(npy, { format: 'xyz', rse: '0.1' })).toThrow(/'xyz' is not one of/);
    expect(run(npy, { format: 'cp', rse: '0.1' })).toThrow(/--format cp takes --rank/);
    expect(run(npy, { format: `ranks:${join(dir, 'bad.json')}` })).toThrow(/bad\.json: rank matrix: R must have 4 rows/);
    expect(run(npy, { format: `ranks:${join(dir, 'nope.json')}` })).toThrow(/nope\.json: cannot read/);
    writeFileSync(join(dir, 'short.u8'), new Uint8Array(10));
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ files: [{ shape: [3, 4] }] }));
    expect(run(join(dir, 'short.u8'), { rse: '0.1' })).toThrow(/short\.u8: has 10 bytes but the shape \[3, 4\]/);
    expect(run(join(dir, 'orphan.u8'), { rse: '0.1' })).toThrow(/orphan\.json .* does not exist/);
  });

});
