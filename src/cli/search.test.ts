import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../io/npy-file.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { registerComplete } from './complete.js';
import { registerSearch } from './search.js';
import { registerSynth } from './synth.js';
import { captureOutput } from '../../test/helpers/capture-output.js';

/** Runs the three commands in-process on their own program; returns stdout and the error, if any. */
async function run(...args: string[]): Promise<{ stdout: string; error?: Error; exitCode?: number }> {
  const program = new Command('tnkit').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSearch(program);
  registerSynth(program);
  registerComplete(program);
  const r = await captureOutput(() => program.parseAsync(['node', 'tnkit', ...args]));
  return { stdout: r.stdout, exitCode: r.exitCode, ...(r.error !== undefined ? { error: r.error as Error } : {}) };
}

describe('tnkit synth / search / complete', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tnkit-search-'));
  const ranks = join(dir, 'ring.json');
  writeFileSync(ranks, JSON.stringify([[1, 2, 1, 2], [2, 1, 2, 1], [1, 2, 1, 2], [2, 1, 2, 1]]));
  const x = join(dir, 'x.npy');

  it('synth writes the contracted tensor and search --json prints every field', async () => {
    const s = await run('synth', '--ranks', ranks, '--dims', '4,4,4,4', '--seed', '1', '--out', x, '--json');
    expect(s.error).toBeUndefined();
    expect(JSON.parse(s.stdout).params).toBe(64);
    expect(readNpy(x).shape).toEqual([4, 4, 4, 4]);
    for (const method of ['ttsvd', 'greedy']) {
      const r = await run('search', x, '--method', method, '--rse', '1e-2', '--json');
      expect(r.error).toBeUndefined();
      const out = JSON.parse(r.stdout);
      expect(Object.keys(out)).toEqual(expect.arrayContaining(['method', 'ranks', 'params', 'cr', 'rse', 'target', 'met', 'seconds', 'evaluations']));
      expect(out.method).toBe(method);
      expect(out.rse).toBeLessThanOrEqual(1e-2);
      expect(out.met).toBe(true);
      expect(out.stopped).toBeUndefined();
      expect(r.exitCode ?? 0).toBe(0);
      expect(out.ranks).toHaveLength(4);
    }
  });

  it('complete --json reports mpsnr, psnr, rse_missing, cr, seconds and writes frames', async () => {
    const video = join(dir, 'v.npy');
    const data = new Float64Array(4 * 4 * 4);
    for (let f = 0; f < 4; f++) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) data[f * 16 + i * 4 + j] = 100 + 20 * f + 10 * i + 5 * j;
    writeNpy(video, new Tensor(data, [4, 4, 4]));
    const frames = join(dir, 'frames');
    const r = await run('complete', video, '--missing', '0.3', '--seed', '0', '--method', 'greedy', '--rse', '1e-3', '--frames-dir', frames, '--json');
    expect(r.error).toBeUndefined();
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['mpsnr', 'psnr', 'rse_missing', 'cr', 'seconds']));
    expect(out.rse_missing).toBeLessThan(0.1);
    expect(existsSync(frames) && readdirSync(frames)).toHaveLength(4);
  });

  it('complete (default: validated growth) recovers a random low-rank tensor from half its entries', async () => {
    const rng = new Random(21);
    for (let trial = 0; trial < 2; trial++) {
      // Rank-1 plus rank-1: a TT of ranks ≤ 2 over random dims 4–6.
      const dims = [4 + rng.int(3), 4 + rng.int(3), 4 + rng.int(3)];
      const [a, b] = [0, 1].map(() => dims.map((d) => Array.from({ length: d }, () => 1 + rng.uniform())));
      const data = new Float64Array(dims[0]! * dims[1]! * dims[2]!);
      for (let i = 0, p = 0; i < dims[0]!; i++) for (let j = 0; j < dims[1]!; j++) for (let k = 0; k < dims[2]!; k++, p++) {
        data[p] = a![0]![i]! * a![1]![j]! * a![2]![k]! + b![0]![i]! * b![1]![j]! * b![2]![k]!;
      }
      const file = join(dir, `low-rank-${trial}.npy`);
      writeNpy(file, new Tensor(data, dims));
      const r = await run('complete', file, '--missing', '0.5', '--seed', String(trial), '--validation', '0.2', '--iters', '30', '--json');
      expect(r.error).toBeUndefined();
      const out = JSON.parse(r.stdout);
      expect(out.method).toBe('validated');
      expect(out.rse_validation).toBeLessThan(0.05);
      expect(out.rse_missing).toBeLessThan(0.05);
      expect(out.evaluations).toBeGreaterThan(1);
    }
    expect((await run('complete', x, '--missing', '0.5', '--validation', '1.5')).error?.message).toMatch(/--validation/);
    expect((await run('complete', x, '--missing', '0.5', '--method', 'ttsvd')).error?.message).toMatch(/cannot complete/);
  });

  it('complete --fold completes on the interleaved reshape and reports on the original layout', async () => {
    // A smooth 4-frame 4×4 clip: --fold 2x2,2x2 makes it [4, 2, 2, 2, 2] internally.
    const video = join(dir, 'fold.npy');
    const data = new Float64Array(4 * 4 * 4);
    for (let f = 0; f < 4; f++) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) data[f * 16 + i * 4 + j] = 100 + 20 * f + 10 * i + 5 * j;
    writeNpy(video, new Tensor(data, [4, 4, 4]));
    const out = join(dir, 'fold-out.npy');
    const r = await run('complete', video, '--missing', '0.3', '--seed', '0', '--fold', '2x2,2x2', '--iters', '20', '--out', out, '--json');
    expect(r.error).toBeUndefined();
    expect(JSON.parse(r.stdout).rse_missing).toBeLessThan(0.1);
    expect(readNpy(out).shape).toEqual([4, 4, 4]);
    expect((await run('complete', video, '--missing', '0.3', '--fold', '2x2,2x2', '--shape', '4,16')).error?.message).toMatch(/--fold|--shape/);
  });

  it('complete --smoothness fits with the smoothness penalty and checks its weights', async () => {
    const video = join(dir, 'fold.npy');
    const r = await run('complete', video, '--missing', '0.3', '--seed', '0', '--iters', '20', '--smoothness', '0.01', '--json');
    expect(r.error).toBeUndefined();
    expect(JSON.parse(r.stdout).rse_missing).toBeLessThan(0.1);
    const auto = await run('complete', video, '--missing', '0.3', '--seed', '0', '--iters', '20', '--smoothness', 'auto', '--json');
    expect(auto.error).toBeUndefined();
    expect(JSON.parse(auto.stdout).smoothness).toHaveLength(3);
    expect((await run('complete', video, '--missing', '0.3', '--smoothness', '0.1,0.1')).error?.message).toMatch(/--smoothness '0.1,0.1' has 2 weights but the tensor being completed has 3 modes/);
    expect((await run('complete', video, '--missing', '0.3', '--smoothness', '-1')).error?.message).toMatch(/--smoothness '-1': expected non-negative numbers/);
    const greedy = await run('complete', video, '--missing', '0.3', '--seed', '0', '--method', 'greedy', '--rse', '5e-2', '--smoothness', '0.01', '--json');
    expect(greedy.error).toBeUndefined();
    expect(JSON.parse(greedy.stdout).smoothness).toEqual([0.01, 0.01, 0.01]);
    expect((await run('complete', video, '--missing', '0.3', '--method', 'greedy', '--smoothness', 'auto')).error?.message).toMatch(/--smoothness auto works with --method validated/);
  });

  it('names the problem for bad input', async () => {
    expect((await run('search', x, '--method', 'bogus')).error?.message).toMatch(/--method: 'bogus'/);
    expect((await run('search', x, '--rse', '-1')).error?.message).toMatch(/--rse/);
    expect((await run('search', x, '--shape', '5,5')).error?.message).toMatch(/--shape 5,5 has 25 entries/);
    expect((await run('search', join(dir, 'nope.txt'))).error?.message).toMatch(/unsupported input type/);
    expect((await run('search', x, '--missing', '0.5', '--mask', x)).error?.message).toMatch(/either --mask or --missing/);
    expect((await run('complete', x)).error?.message).toMatch(/--missing/);
    expect((await run('synth', '--ranks', x, '--dims', '3,3', '--out', join(dir, 'y.npy'))).error?.message).toMatch(/rank matrix JSON/);
    expect((await run('synth', '--ranks', ranks, '--dims', '3,3', '--out', join(dir, 'y.npy'))).error?.message).toMatch(/--ranks/);
    const missingArg = await run('search');
    expect(missingArg.error).toBeInstanceOf(CommanderError);
  });
});
