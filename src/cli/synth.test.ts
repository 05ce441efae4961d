import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { readNpy } from '../io/npy-file.js';
import { neighbours, paramCount, randomGraphRankMatrix } from '../network/index.js';
import { Random } from '../tensor/random.js';
import { registerSynth, SYNTH_MAX_ENTRIES, type SynthSummary } from './synth.js';
import { captureOutput } from '../../test/helpers/capture-output.js';

/** Runs `tnkit synth ARGS` in-process; returns stdout and the error, if any. */
async function synth(...args: string[]): Promise<{ stdout: string; error?: Error }> {
  const program = new Command('tnkit').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSynth(program);
  const r = await captureOutput(() => program.parseAsync(['node', 'tnkit', 'synth', ...args]));
  return { stdout: r.stdout, ...(r.error !== undefined ? { error: r.error as Error } : {}) };
}

describe('tnkit synth --graph random', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tnkit-synth-'));

  it('writes the contraction of the seeded cores on the generated graph, and that graph', async () => {
    const rng = new Random(5);
    for (let t = 0; t < 12; t++) {
      const order = 3 + rng.int(3);
      const p = rng.uniform();
      const lo = 2 + rng.int(2);
      const hi = lo + rng.int(2);
      const graphSeed = rng.int(1000);
      const seed = rng.int(1000);
      const x = join(dir, `g${t}.npy`);
      const rOut = join(dir, `g${t}.json`);
      const r = await synth('--graph', 'random', '--order', String(order), '--edge-prob', String(p), '--rank-range', `${lo},${hi}`,
        '--graph-seed', String(graphSeed), '--dims', '3', '--seed', String(seed), '--out', x, '--ranks-out', rOut, '--json');
      expect(r.error).toBeUndefined();
      const s = JSON.parse(r.stdout) as SynthSummary;
      const dims = new Array<number>(order).fill(3);
      const R = randomGraphRankMatrix(order, { edgeProb: p, rankRange: [lo, hi], seed: graphSeed });
      expect(s.ranks).toEqual(R);
      expect(JSON.parse(readFileSync(rOut, 'utf8'))).toEqual(R);
      expect(s.shape).toEqual(dims);
      expect(s.params).toBe(paramCount(R, dims));
      expect(s.cr).toBeCloseTo(s.params / 3 ** order, 12);
      for (let i = 0; i < order; i++) expect(neighbours(i, R).length).toBeGreaterThan(0);
      const expected = contractCores(randomCores(dims, R, { seed }), R);
      const got = readNpy(x);
      expect(got.shape).toEqual(expected.shape);
      expect(Array.from(got.toTypedArray())).toEqual(Array.from(expected.toTypedArray()));
    }
  });

  it('takes per-core dims, defaults the order to their count, and prints the matrix in text mode', async () => {
    const r = await synth('--graph', 'random', '--dims', '2,3,4,2', '--out', join(dir, 'd.npy'));
    expect(r.error).toBeUndefined();
    const R = randomGraphRankMatrix(4, { edgeProb: 0.3, rankRange: [2, 4], seed: 0 });
    expect(r.stdout).toContain('shape 2×3×4×2');
    expect(r.stdout).toContain(`rank matrix ${JSON.stringify(R)}`);
    expect(readNpy(join(dir, 'd.npy')).shape).toEqual([2, 3, 4, 2]);
  });

  it('still reads --ranks and reports its matrix', async () => {
    const file = join(dir, 'ring.json');
    const ring = [[1, 2, 2], [2, 1, 3], [2, 3, 1]];
    writeFileSync(file, JSON.stringify(ring));
    const r = await synth('--ranks', file, '--dims', '2,2,2', '--out', join(dir, 'ring.npy'), '--json');
    expect(r.error).toBeUndefined();
    expect((JSON.parse(r.stdout) as SynthSummary).ranks).toEqual(ring);
  });

  it('names the problem for bad arguments', async () => {
    const out = ['--out', join(dir, 'bad.npy')];
    const msg = async (...a: string[]): Promise<string | undefined> => (await synth(...a, ...out)).error?.message;
    expect(await msg('--dims', '3,3,3')).toMatch(/either --ranks <file.json> or --graph random/);
    expect(await msg('--graph', 'random', '--ranks', 'x.json', '--dims', '3,3,3')).toMatch(/exactly one/);
    expect(await msg('--graph', 'grid', '--dims', '3,3,3')).toMatch(/--graph: 'grid'/);
    expect(await msg('--ranks', 'x.json', '--order', '4', '--dims', '3,3,3')).toMatch(/--order only applies with --graph random/);
    expect(await msg('--graph', 'random', '--dims', '3')).toMatch(/at least 2 cores/);
    expect(await msg('--graph', 'random', '--order', '1', '--dims', '3')).toMatch(/--order: '1' is not an integer ≥ 2/);
    expect(await msg('--graph', 'random', '--order', '4', '--dims', '3,3,3')).toMatch(/--dims has 3 entries but --order is 4/);
    expect(await msg('--graph', 'random', '--order', '4', '--dims', '3', '--edge-prob', '1.2')).toMatch(/--edge-prob: '1.2' is not a probability/);
    expect(await msg('--graph', 'random', '--order', '4', '--dims', '3', '--rank-range', '1,3')).toMatch(/--rank-range: '1,3'/);
    expect(await msg('--graph', 'random', '--order', '4', '--dims', '3', '--rank-range', '4,2')).toMatch(/hi 2 < lo 4/);
    expect(await msg('--graph', 'random', '--order', '4', '--dims', '3', '--rank-range', '2,x')).toMatch(/--rank-range/);
    expect(await msg('--graph', 'random', '--order', '4', '--dims', '3', '--graph-seed', '1.5')).toMatch(/--graph-seed/);
  });
});

describe('tnkit synth size limit and output files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tnkit-synth-limit-'));

  it('names the entry count and the limit for a tensor too large to build, before any allocation', async () => {
    const t0 = performance.now();
    const r = await synth('--graph', 'random', '--dims', '1000,1000,1000', '--out', join(dir, 'big.npy'));
    expect(performance.now() - t0).toBeLessThan(5000); // before any allocation; generous for a loaded machine
    expect(r.error?.message).toBe(`--dims 1000,1000,1000: the tensor would have 1,000,000,000 entries (8.0 GB as float64); `
      + `synth builds it in memory and writes one .npy of at most 4 GiB, so at most 536,870,400 entries: use smaller --dims`);
    expect(existsSync(join(dir, 'big.npy'))).toBe(false);
  });

  it('refuses exactly the dims whose product exceeds SYNTH_MAX_ENTRIES, naming the exact count', async () => {
    const ring = join(dir, 'ring4.json');
    writeFileSync(ring, JSON.stringify([[1, 2, 1, 2], [2, 1, 2, 1], [1, 2, 1, 2], [2, 1, 2, 1]]));
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 2 ** 40 }), { minLength: 4, maxLength: 4 }), async (dims) => {
      const entries = dims.reduce((p, d) => p * BigInt(d), 1n);
      fc.pre(entries > BigInt(SYNTH_MAX_ENTRIES));
      const r = await synth('--ranks', ring, '--dims', dims.join(','), '--out', join(dir, 'p.npy'));
      expect(r.error?.message).toContain(`--dims ${dims.join(',')}: the tensor would have `);
      const named = /would have ([\d,.e]+) entries/.exec(r.error!.message)![1]!;
      const digits = entries.toString();
      expect(named).toBe(digits.length > 21 ? `${digits[0]}.${digits[1]}e${digits.length - 1}` : entries.toLocaleString('en-US'));
      expect(r.error?.message).toContain('at most 536,870,400 entries');
    }), { numRuns: 40 });
    // Just under the limit the size check passes (the tensor itself is not built here: a bad --out folder stops it first).
    const r = await synth('--ranks', ring, '--dims', `${SYNTH_MAX_ENTRIES},1,1,1`, '--out', join(dir, 'no-such-folder', 'x.npy'));
    expect(r.error?.message).toMatch(/^--out .*no-such-folder.*does not exist/);
  });

  it('checks --out and --ranks-out before the work and writes --ranks-out whole, with no temporary file left', async () => {
    const missing = join(dir, 'missing', 'r.json');
    const r1 = await synth('--graph', 'random', '--dims', '3,3,3', '--out', join(dir, 'a.npy'), '--ranks-out', missing);
    expect(r1.error?.message).toMatch(/^--ranks-out .*missing.*does not exist/);
    expect(existsSync(join(dir, 'a.npy'))).toBe(false);
    const sub = mkdtempSync(join(dir, 'ok-'));
    const r2 = await synth('--graph', 'random', '--dims', '3,3,3', '--out', join(sub, 'a.npy'), '--ranks-out', join(sub, 'r.json'), '--json');
    expect(r2.error).toBeUndefined();
    expect(JSON.parse(readFileSync(join(sub, 'r.json'), 'utf8'))).toEqual((JSON.parse(r2.stdout) as SynthSummary).ranks);
    expect(readdirSync(sub).sort()).toEqual(['a.npy', 'r.json']);
  });
});
