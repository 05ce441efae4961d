import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFailsFast, runCli } from '../../test/helpers/run-cli.js';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { rse } from '../decompose/metrics.js';
import { readPng, writePng } from '../io/image.js';
import { loadNetwork } from '../io/network-file.js';
import { readNpy, writeNpy } from '../io/npy-file.js';
import { Tensor } from '../tensor/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'tnkit-reconstruct-'));
const R = [[1, 2, 1, 2], [2, 1, 2, 1], [1, 2, 1, 2], [2, 1, 2, 1]];
const x = contractCores(randomCores([3, 4, 3, 4], R, { seed: 5 }), R);
const xFile = join(dir, 'x.npy');
writeNpy(xFile, x);
// A smooth 16×16 grey image (8-bit values).
const img = new Tensor(Float64Array.from({ length: 256 }, (_, p) => Math.round(128 + 60 * Math.sin((p >> 4) / 3) + 40 * Math.cos((p & 15) / 4))), [16, 16]);
const imgFile = join(dir, 'img.png');
writePng(imgFile, img);

describe('search --out / --reconstruct and tnkit reconstruct', () => {
  it('the saved network reconstructs the same array, within the target RSE', async () => {
    const net = join(dir, 'net.tn');
    const rec = join(dir, 'rec.npy');
    const s = await runCli('search', xFile, '--method', 'rgtn', '--rse', '1e-2', '--out', net, '--reconstruct', rec, '--json');
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const summary = JSON.parse(s.stdout);
    const meta = (loadNetwork(net).metadata as { tnkit_compressor: Record<string, unknown> }).tnkit_compressor;
    expect(meta).toMatchObject({ method: 'rgtn', inputShape: [3, 4, 3, 4], shape: null, fold: null, options: { rse: 0.01, seed: 0 }, params: summary.params, cr: summary.cr, rse: summary.rse });
    expect(meta.source).toMatchObject({ file: 'x.npy', eightBit: false, shape: [3, 4, 3, 4] });
    const r = await runCli('reconstruct', net, '--out', join(dir, 'rec2.npy'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ shape: [3, 4, 3, 4], params: summary.params, method: 'rgtn' });
    const a = readNpy(rec);
    expect(Array.from(readNpy(join(dir, 'rec2.npy')).toTypedArray())).toEqual(Array.from(a.toTypedArray()));
    expect(rse(a, x)).toBeLessThanOrEqual(1e-2);
  });

  it('a reshaped PNG is written back as the image, and reconstruct gives the same PNG', async () => {
    const net = join(dir, 'img.tn');
    const rec = join(dir, 'rec.png');
    const s = await runCli('search', imgFile, '--shape', '4,4,4,4', '--method', 'ttsvd', '--rse', '0.05', '--out', net, '--reconstruct', rec, '--json');
    expect(s.stderr).toBe('');
    const back = readPng(rec);
    expect(back.shape).toEqual([16, 16]);
    expect(rse(back, img)).toBeLessThanOrEqual(0.05);
    const r = await runCli('reconstruct', net, '--out', join(dir, 'rec2.png'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'rec2.png'))).toEqual(readFileSync(rec));
    const meta = (loadNetwork(net).metadata as { tnkit_compressor: Record<string, unknown> }).tnkit_compressor;
    expect(meta).toMatchObject({ shape: [4, 4, 4, 4], inputShape: [16, 16], source: { file: 'img.png', eightBit: true } });
  });

  it('--out goes by its extension in search, complete and decompose: .tn saves the network, .npy the reconstruction', async () => {
    for (const command of [['search', '--method', 'ttsvd', '--rse', '1e-2'], ['decompose', '--format', 'tt', '--rse', '1e-2']]) {
      const [name, ...flags] = command as [string, ...string[]];
      const net = join(dir, `${name}-out.tn`);
      const rec = join(dir, `${name}-out.npy`);
      const viaOut = await runCli(name, xFile, ...flags, '--out', net);
      expect(viaOut.code).toBe(0);
      const viaSave = await runCli(name, xFile, ...flags, '--save', join(dir, `${name}-save.tn`), '--out', rec);
      expect(viaSave.code).toBe(0);
      const fromNet = await runCli('reconstruct', net, '--out', join(dir, `${name}-back.npy`));
      expect(fromNet.code).toBe(0);
      expect(Array.from(readNpy(join(dir, `${name}-back.npy`)).toTypedArray())).toEqual(Array.from(readNpy(rec).toTypedArray()));
      expect(rse(readNpy(rec), x)).toBeLessThanOrEqual(1e-2);
    }
  });

  it('refuses a bad output at once, naming the flag, the path and why', async () => {
    const cases: [string[], RegExp][] = [
      [['search', xFile, '--save', join(dir, 'n.npy')], /--save .*n\.npy: a network is saved as a \.tn file .*--reconstruct/],
      [['search', xFile, '--out', join(dir, 'n.npy'), '--reconstruct', join(dir, 'o.npy')], /--reconstruct .*o\.npy: --out .*n\.npy already writes the reconstruction/],
      [['search', xFile, '--out', join(dir, 'n.tn'), '--save', join(dir, 'o.tn')], /--save .*o\.tn: --out .*n\.tn already writes the network/],
      [['decompose', xFile, '--format', 'cp', '--rank', '2', '--out', join(dir, 'n.tn')], /--out: --format cp is not a rank-matrix network/],
      [['search', xFile, '--reconstruct', join(dir, 'r.png')], /--reconstruct .*r\.png: a 4-D tensor \[3,4,3,4\] cannot be written as a PNG/],
      [['search', xFile, '--reconstruct', join(dir, 'no', 'r.npy')], /--reconstruct .*r\.npy: the folder .*no does not exist/],
      [['search', xFile, '--report', join(dir, 'a', 'b')], /--report .*b: neither it nor its parent folder/],
      [['reconstruct', join(dir, 'missing.tn'), '--out', join(dir, 'm.npy')], /missing\.tn/],
      [['reconstruct', join(dir, 'net.tn'), '--out', join(dir, 'm.txt')], /--out .*m\.txt: unknown output type/],
    ];
    await expectFailsFast(cases);
    expect(existsSync(join(dir, 'n.npy'))).toBe(false);
  });
});
