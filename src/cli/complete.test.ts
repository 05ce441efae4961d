import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFailsFast, runCli } from '../../test/helpers/run-cli.js';
import { psnr } from '../decompose/metrics.js';
import { readPng, writePng } from '../io/image.js';
import { readNpy, writeNpy } from '../io/npy-file.js';
import { readRawVideo, writeRawVideo } from '../io/video.js';
import { Tensor } from '../tensor/tensor.js';
import { runComplete } from './complete.js';

const dir = mkdtempSync(join(tmpdir(), 'tnkit-complete-'));
// A smooth 12×16 RGB image and a smooth 3-frame 8×8 grey video (8-bit values).
const rgb = new Tensor(Float64Array.from({ length: 12 * 16 * 3 }, (_, p) => Math.round(100 + 50 * Math.sin(Math.floor(p / 48) / 4) + 40 * Math.cos((Math.floor(p / 3) % 16) / 5) + 20 * (p % 3))), [12, 16, 3]);
const rgbFile = join(dir, 'rgb.png');
writePng(rgbFile, rgb);
const clip = new Tensor(Float64Array.from({ length: 3 * 8 * 8 }, (_, p) => Math.round(120 + 10 * Math.floor(p / 64) + 8 * (Math.floor(p / 8) % 8) + 5 * (p % 8))), [3, 8, 8]);
const clipFile = join(dir, 'clip.u8');
writeRawVideo(clipFile, clip);

describe('tnkit complete outputs', () => {
  it('--frames-dir writes the image itself (original | observed | completed) and --out writes the PNG back in its layout', async () => {
    const frames = join(dir, 'frames-img');
    const out = join(dir, 'done.png');
    const r = await runCli('complete', rgbFile, '--shape', '12,16,3', '--missing', '0.3', '--method', 'greedy', '--rse', '0.05', '--frames-dir', frames, '--out', out, '--save', join(dir, 'img.tn'), '--json');
    expect(r.stderr).toBe('');
    expect(readdirSync(frames)).toEqual(['image.png']);
    expect(readPng(join(frames, 'image.png')).shape).toEqual([12, 3 * 16 + 2 * 2, 3]);
    const done = readPng(out);
    expect(done.shape).toEqual([12, 16, 3]);
    expect(psnr(done, rgb, { peak: 255 })).toBeCloseTo(JSON.parse(r.stdout).psnr, 0);
    // The saved network reconstructs the same PNG.
    const again = await runCli('reconstruct', join(dir, 'img.tn'), '--out', join(dir, 'again.png'));
    expect(again.code).toBe(0);
    expect(Array.from(readPng(join(dir, 'again.png')).toTypedArray())).toEqual(Array.from(done.toTypedArray()));
  });

  it('--frames-dir writes one PNG per video frame; --out .u8 writes the video with its sidecar', async () => {
    const frames = join(dir, 'frames-video');
    const out = join(dir, 'done.u8.gz');
    const r = await runCli('complete', clipFile, '--missing', '0.3', '--method', 'greedy', '--rse', '0.05', '--frames-dir', frames, '--out', out);
    expect(r.stderr).toBe('');
    expect(readdirSync(frames).sort()).toEqual(['frame-0000.png', 'frame-0001.png', 'frame-0002.png']);
    expect(readPng(join(frames, 'frame-0001.png')).shape).toEqual([8, 3 * 8 + 4]);
    expect(readRawVideo(out).shape).toEqual([3, 8, 8]);
  });

  it('the record holds original / observed / reconstructed images of a few frames', () => {
    const { record } = runComplete(clipFile, { missing: '0.5', seed: '0', rse: '0.05', method: 'greedy' });
    expect(record.images!.length).toBe(3);
    expect(record.images![0]!.items.map((i) => i.caption)).toEqual(['original', 'observed (missing black)', 'reconstructed']);
    const png = Buffer.from(record.images![0]!.items[1]!.png, 'base64');
    writeFileSync(join(dir, 'observed.png'), png);
    const observed = readPng(join(dir, 'observed.png'));
    expect(observed.shape).toEqual([8, 8]);
    // About half the entries are black (missing); the original has none.
    const black = Array.from(observed.toTypedArray()).filter((v) => v === 0).length;
    expect(black).toBeGreaterThan(16);
    expect(black).toBeLessThan(48);
  });

  it('checks every output flag before any work', async () => {
    const npy4 = join(dir, 'four.npy');
    writeNpy(npy4, new Tensor(new Float64Array(2 * 3 * 4 * 5), [2, 3, 4, 5]));
    const cases: [string[], RegExp][] = [
      [['complete', clipFile, '--missing', '0.3', '--out', join(dir, 'v.png')], /--out .*v\.png: a 3-D tensor \[3,8,8\] cannot be written as a PNG/],
      [['complete', npy4, '--missing', '0.3', '--frames-dir', join(dir, 'f4')], /--frames-dir: a tensor of shape \[2, 3, 4, 5\] is neither an image/],
      [['complete', clipFile, '--missing', '0.3', '--save', join(dir, 's.npy')], /--save .*s\.npy: a network is saved as a \.tn file/],
      [['complete', clipFile, '--missing', '0.3', '--frames-dir', join(dir, 'x', 'y')], /--frames-dir .*y: neither it nor its parent folder/],
      [['complete', clipFile, '--missing', '0.3', '--report', clipFile], /--report .*clip\.u8: is a file, not a folder/],
    ];
    await expectFailsFast(cases);
    expect(existsSync(join(dir, 'f4'))).toBe(false);
  });

  it('--out .npy keeps the input layout after --fold', async () => {
    const out = join(dir, 'fold.npy');
    const r = await runCli('complete', clipFile, '--missing', '0.3', '--fold', '2x4,2x4', '--iters', '5', '--out', out);
    expect(r.stderr).toBe('');
    expect(readNpy(out).shape).toEqual([3, 8, 8]);
  });
});
