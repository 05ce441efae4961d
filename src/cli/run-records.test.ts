import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.js';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { decodePngTensor, writePng } from '../io/image.js';
import { writeNpy } from '../io/npy-file.js';
import { Tensor } from '../tensor/tensor.js';
import { RUN_RECORD_VERSION } from '../report/run-record.js';
import { runComplete } from './complete.js';
import { imageRows, RECORD_IMAGE_SIDE } from './run-records.js';
import { runSearch } from './search.js';

describe('run records of search and complete', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tnkit-records-'));
  // A tensor ring of ranks 2 over 3×4×3×4: every search finds a network of it.
  const R = [[1, 2, 1, 2], [2, 1, 2, 1], [1, 2, 1, 2], [2, 1, 2, 1]];
  const x = contractCores(randomCores([3, 4, 3, 4], R, { seed: 3 }), R);
  const file = join(dir, 'ring.npy');
  writeNpy(file, x);

  it('runSearch returns the summary and a record with the network, its trace and bond spectra', () => {
    for (const method of ['rgtn', 'ttsvd']) {
      const { summary, record } = runSearch(file, { method, rse: '1e-2', seed: '0' });
      expect(record.version).toBe(RUN_RECORD_VERSION);
      expect(record.kind).toBe('search');
      expect(record.summary).toEqual(summary);
      const net = record.networks![0]!;
      expect(net.dims).toEqual([3, 4, 3, 4]);
      net.ranks.forEach((row, i) => row.forEach((r, j) => expect(r).toBe(i === j ? 0 : summary.ranks[i]![j])));
      const edges = summary.ranks.flatMap((row, i) => row.map((r, j) => (j > i && r > 1 ? 1 : 0))).reduce((a: number, b: number) => a + b, 0);
      expect(record.spectra![0]!.bonds).toHaveLength(edges);
      for (const b of record.spectra![0]!.bonds) {
        expect(b.values).toHaveLength(summary.ranks[b.edge[0]]![b.edge[1]]!);
        expect(b.values).toEqual([...b.values].sort((p, q) => q - p));
      }
      const points = record.methods![0]!.points;
      expect(points[0]).toEqual({ seconds: 0, cr: 1, rse: 0, params: x.size });
      expect(points.at(-1)).toEqual({ seconds: summary.seconds, cr: summary.cr, rse: summary.rse, params: summary.params });
      for (let k = 1; k < points.length; k++) expect(points[k]!.seconds).toBeGreaterThanOrEqual(points[k - 1]!.seconds);
      if (method === 'rgtn') expect(points.length).toBeGreaterThan(2);
    }
  });

  it('runComplete returns the summary and a record', () => {
    const { summary, record } = runComplete(file, { missing: '0.3', seed: '0', rse: '5e-2', method: 'greedy' });
    expect(record.kind).toBe('complete');
    expect(record.summary).toEqual(summary);
    expect(record.networks![0]!.dims).toEqual([3, 4, 3, 4]);
    expect(record.methods![0]!.points.at(-1)!.cr).toBe(summary.cr);
  });

  it('an 8-bit image input gets an image row: original and reconstructed (and observed with a mask)', () => {
    const img = new Tensor(Float64Array.from({ length: 256 }, (_, p) => Math.round(128 + 60 * Math.sin((p >> 4) / 3) + 40 * Math.cos((p & 15) / 4))), [16, 16]);
    const png = join(dir, 'img.png');
    writePng(png, img);
    const { record } = runSearch(png, { method: 'ttsvd', rse: '0.05', seed: '0', shape: '4,4,4,4' });
    expect(record.images).toHaveLength(1);
    expect(record.images![0]!.items.map((i) => i.caption)).toEqual(['original', 'reconstructed']);
    const original = decodePngTensor(Buffer.from(record.images![0]!.items[0]!.png, 'base64'), 'original');
    expect(Array.from(original.toTypedArray())).toEqual(Array.from(img.toTypedArray()));
    const masked = runSearch(png, { method: 'greedy', rse: '0.1', seed: '0', shape: '4,4,4,4', missing: '0.5' }).record;
    expect(masked.images![0]!.items.map((i) => i.caption)).toEqual(['original', 'observed (missing black)', 'reconstructed']);
  });

  it('imageRows downscales large images and shows a few frames of a video', () => {
    const wide = new Tensor(new Float64Array(600 * 20 * 3).fill(200), [20, 600, 3]);
    const [row] = imageRows('wide', { original: wide, reconstructed: wide });
    const shown = decodePngTensor(Buffer.from(row!.items[0]!.png, 'base64'), 'wide');
    expect(Math.max(...shown.shape.slice(0, 2))).toBeLessThanOrEqual(RECORD_IMAGE_SIDE);
    expect(shown.shape).toEqual([6, 200, 3]);
    expect(shown.get(3, 100, 1)).toBe(200);
    const video = new Tensor(Float64Array.from({ length: 10 * 4 * 4 }, (_, p) => Math.floor(p / 16) * 20), [10, 4, 4]);
    const rows = imageRows('clip', { original: video, reconstructed: video });
    expect(rows.map((r) => r.label)).toEqual(['clip, frame 0', 'clip, frame 5', 'clip, frame 9']);
    expect(decodePngTensor(Buffer.from(rows[1]!.items[0]!.png, 'base64'), 'f').get(0, 0)).toBe(100);
    expect(imageRows('4-D', { original: new Tensor(new Float64Array(16), [2, 2, 2, 2]), reconstructed: new Tensor(new Float64Array(16), [2, 2, 2, 2]) })).toEqual([]);
  });

  it('--report DIR writes the report of search, complete and decompose and says where', async () => {
    for (const [command, extra] of [['search', ['--method', 'ttsvd']], ['complete', ['--missing', '0.3', '--method', 'greedy', '--rse', '0.05']], ['decompose', ['--rse', '0.01']]] as const) {
      const report = join(dir, `report-${command}`);
      const r = await runCli(command, file, ...extra, '--report', report, '--json');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`report: ${join(report, 'index.html')}`);
      expect(existsSync(join(report, 'index.html'))).toBe(true);
      const saved = JSON.parse(readFileSync(join(report, 'run.json'), 'utf8'));
      expect(saved.kind).toBe(command);
      expect(saved.command).toContain(`tnkit ${command}`);
      expect(saved.summary).toEqual(JSON.parse(r.stdout));
    }
  }, 60_000);
});
