import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { writeNpy } from '../io/npy-file.js';
import { RUN_RECORD_VERSION } from '../report/run-record.js';
import { runComplete } from './complete.js';
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
});
