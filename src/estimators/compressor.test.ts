import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { rse } from '../decompose/metrics.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { memoryCheckpoint } from '../search/checkpoint.js';
import { Compressor, COMPRESSOR_METHODS } from './compressor.js';
import { EstimatorOptionError } from './option-error.js';
import { coresFromNetwork, networkFromCores } from './rank-matrix-network.js';

const dir = mkdtempSync(join(tmpdir(), 'tnkit-compressor-'));
// A ring of ranks 2 over 3×4×3×4 (144 entries, 56 parameters).
const RING = [[1, 2, 1, 2], [2, 1, 2, 1], [1, 2, 1, 2], [2, 1, 2, 1]];
const x = contractCores(randomCores([3, 4, 3, 4], RING, { seed: 3 }), RING);

/** Each entry missing with probability `missing` (seeded); 1 = observed. */
function randomMask(size: number, missing: number, seed: number): Uint8Array {
  const rng = new Random(seed);
  return Uint8Array.from({ length: size }, () => (rng.uniform() < missing ? 0 : 1));
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const p = a.toTypedArray();
  const q = b.toTypedArray();
  let m = 0;
  for (let k = 0; k < p.length; k++) m = Math.max(m, Math.abs(p[k]! - q[k]!));
  return m;
}

describe('Compressor', () => {
  it('lists the search methods, validated and the fixed formats', () => {
    expect(COMPRESSOR_METHODS).toEqual(expect.arrayContaining(['rgtn', 'greedy', 'ttsvd', 'validated', 'tt', 'tr', 'ranks']));
  });

  it('networkFromCores and coresFromNetwork are inverse, and the network contracts to the data', () => {
    const cores = randomCores([3, 4, 3, 4], RING, { seed: 1 });
    const net = networkFromCores(RING, cores);
    const back = coresFromNetwork(net);
    expect(back.R.map((row, i) => row.map((r, j) => (i === j ? 1 : r)))).toEqual(RING);
    back.cores.forEach((c, i) => expect(maxAbsDiff(c, cores[i]!)).toBe(0));
    const dense = net.toDense(net.outerIndices().sort((a, b) => Number([...a.tags].find((t) => /^I\d/.test(t))!.slice(1)) - Number([...b.tags].find((t) => /^I\d/.test(t))!.slice(1))));
    expect(maxAbsDiff(dense, contractCores(cores, RING))).toBeLessThan(1e-12);
  });

  it('networkFromCores / coresFromNetwork round-trip any rank matrix (property)', () => {
    const structure = fc.integer({ min: 2, max: 4 }).chain((n) => fc.record({
      dims: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }),
      upper: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
      seed: fc.integer({ min: 0, max: 1000 }),
    }));
    fc.assert(fc.property(structure, ({ dims, upper, seed }) => {
      const n = dims.length;
      const R = dims.map(() => new Array<number>(n).fill(1));
      let k = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) R[i]![j] = R[j]![i] = upper[k++]!;
      const cores = randomCores(dims, R, { seed });
      const back = coresFromNetwork(networkFromCores(R, cores));
      expect(back.R.map((row, i) => row[i])).toEqual(dims);
      expect(back.R.map((row, i) => row.map((r, j) => (i === j ? 1 : r)))).toEqual(R);
      back.cores.forEach((c, i) => {
        expect(c.shape).toEqual(cores[i]!.shape);
        expect(maxAbsDiff(c, cores[i]!)).toBe(0);
      });
    }), { numRuns: 50 });
  });

  it('fits with a search method, reconstructs within the target and saves / loads the same network', () => {
    const c = new Compressor({ method: 'rgtn', rse: 1e-2, seed: 0 }).fit(x);
    expect(c.rse).toBeLessThanOrEqual(1e-2);
    expect(rse(c.reconstruct(), x)).toBeLessThanOrEqual(1e-2);
    expect(c.params).toBeLessThan(x.size);
    expect(c.cr).toBeCloseTo(c.params / x.size, 15);
    expect(c.history.at(-1)).toMatchObject({ params: c.params, rse: c.rse });
    const file = join(dir, 'rgtn.tn');
    c.save(file);
    const back = Compressor.load(file);
    expect(back.method).toBe('rgtn');
    expect(back.ranks).toEqual(c.ranks);
    expect(back.params).toBe(c.params);
    expect(back.rse).toBe(c.rse);
    expect(maxAbsDiff(back.reconstruct(), c.reconstruct())).toBe(0);
  });

  it('undoes shape and fold in reconstruct() and remembers them in the file', () => {
    const flat = x.reshape(12, 12);
    const c = new Compressor({ method: 'tt', rse: 1e-10, shape: [3, 4, 3, 4] }).fit(flat);
    expect(c.dims).toEqual([3, 4, 3, 4]);
    expect(c.reconstruct().shape).toEqual([12, 12]);
    expect(maxAbsDiff(c.reconstruct(), flat)).toBeLessThan(1e-9);
    const file = join(dir, 'tt.tn');
    c.save(file);
    expect(Compressor.load(file).reconstruct().shape).toEqual([12, 12]);
    // [3, 4, 4] folded with 2x2,2x2 → [3, 2, 2, 2, 2].
    const video = x.reshape(3, 4, 12).slice([0, 3], [0, 4], [0, 4]).copy();
    const f = new Compressor({ method: 'tt', rse: 0, fold: [[2, 2], [2, 2]] }).fit(video);
    expect(f.dims).toEqual([3, 2, 2, 2, 2]);
    expect(maxAbsDiff(f.reconstruct(), video)).toBeLessThan(1e-9);
    f.save(join(dir, 'fold.tn'));
    expect(maxAbsDiff(Compressor.load(join(dir, 'fold.tn')).reconstruct(), video)).toBeLessThan(1e-9);
  });

  it('tr (SVD and ALS) and a given rank matrix', () => {
    expect(new Compressor({ method: 'tr', rse: 1e-8 }).fit(x).rse).toBeLessThanOrEqual(1e-8);
    const sweeps: number[] = [];
    const als = new Compressor({ method: 'tr', ranks: 2, iters: 5, onProgress: (p) => sweeps.push(p.iter!) }).fit(x);
    expect(sweeps).toEqual([1, 2, 3, 4, 5].slice(0, sweeps.length));
    expect(sweeps.length).toBeGreaterThan(0);
    expect(als.params).toBe(56);
    const fixed = new Compressor({ method: 'ranks', ranks: RING, iters: 60 }).fit(x);
    expect(fixed.ranks).toEqual(RING);
    expect(fixed.rse).toBeLessThan(0.5);
  });

  it('completes masked data: observed entries kept, missing ones filled, within the clip range', () => {
    const mask = randomMask(x.size, 0.3, 1);
    const c = new Compressor({ method: 'validated', seed: 0, iters: 20, clip: [-1, 1] }).fit(x, { mask, truth: x });
    expect(c.rseMissing).toBeLessThan(0.2);
    const done = c.complete();
    const d = done.toTypedArray();
    const src = x.toTypedArray();
    const rec = c.reconstruct().toTypedArray();
    for (let p = 0; p < d.length; p++) {
      expect(d[p]).toBe(mask[p] ? src[p] : rec[p]);
      expect(Math.abs(rec[p]!)).toBeLessThanOrEqual(1);
    }
    expect(() => new Compressor({ method: 'tt', rse: 0.1 }).fit(x).complete()).toThrow(/complete\(\) needs a fit with a mask/);
  });

  it('names the option at fault, before any work', () => {
    const bad = (o: ConstructorParameters<typeof Compressor>[0]) => () => new Compressor(o);
    expect(bad({ method: 'bogus' as never })).toThrow(EstimatorOptionError);
    expect(bad({ method: 'bogus' as never })).toThrow(/Compressor: method: 'bogus' is not one of/);
    expect(bad({ rse: 2 })).toThrow(/Compressor: rse:/);
    expect(bad({ method: 'tt' })).toThrow(/method tt needs rse or ranks/);
    expect(bad({ method: 'greedy', smoothness: 'auto' })).toThrow(/smoothness: 'auto' works with method validated/);
    expect(bad({ shape: [2, 2], fold: [[2]] })).toThrow(/either shape or fold/);
    expect(() => new Compressor({ shape: [5, 5] }).fit(x)).toThrow(/Compressor: shape: \[5, 5\] has 25 entries but X has shape \[3, 4, 3, 4\]/);
    expect(() => new Compressor({ method: 'tt', rse: 0.1 }).fit(x, { mask: new Uint8Array(x.size).fill(1) })).toThrow(/mask: method tt needs every entry/);
    expect(() => new Compressor({ method: 'greedy' }).fit(x, { mask: new Uint8Array(x.size) })).toThrow(/Compressor: mask: has no observed entry \(all 144 are 0\)/);
    expect(bad({ method: 'greedy', checkpoint: memoryCheckpoint() })).toThrow(/checkpoint: only method rgtn saves and resumes a search; greedy does not/);
    expect(bad({ budgetSeconds: -1 })).toThrow(/budgetSeconds: expected a non-negative number/);
    expect(() => new Compressor({ method: 'validated' }).fit(x)).toThrow(/give fit\(X, \{ mask \}\)/);
    expect(() => new Compressor().reconstruct()).toThrow(/needs a fitted compressor/);
    writeFileSync(join(dir, 'junk.tn'), 'not a network');
    expect(() => Compressor.load(join(dir, 'junk.tn'))).toThrow(/junk\.tn/);
    expect(() => Compressor.load(join(dir, 'none.tn'))).toThrow(/cannot read .*none\.tn/);
  });
});
