/**
 * The long commands end cleanly: on SIGINT/SIGTERM and at their budget they print and save
 * their best result so far, say so, and exit with the documented status; checkpoints
 * are refused for another run. These spawn the CLI (bin/tnkit.js runs dist/): `npm run
 * build:ts` first; CI builds it on `npm ci`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../io/npy-file.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'tnkit.js');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the CLI; sends `signal` after `after` ms when given. */
function tnkit(args: string[], signal?: { name: NodeJS.Signals; after: number }): Promise<Exit> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = signal ? setTimeout(() => child.kill(signal.name), signal.after) : undefined;
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** Gaussian noise: no network smaller than it meets a tight target, so a search on it runs until stopped. */
function noise(dims: number[], seed: number): Tensor {
  const rng = new Random(seed);
  return new Tensor(Float64Array.from({ length: dims.reduce((p, d) => p * d, 1) }, () => rng.normal()), dims);
}

describe.skipIf(!existsSync(join(root, 'dist', 'cli', 'run-in-thread.js')))('search and complete stop cleanly (spawned CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tnkit-stop-'));
  const x = join(dir, 'noise.npy');
  writeNpy(x, noise([4, 4, 4, 4, 4, 4], 1));

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s: prints and saves the best so far with stopped: interrupted, exit %i', async (name, status) => {
    const net = join(dir, `${name}.tn`);
    const r = await tnkit(['search', x, '--method', 'greedy', '--rse', '1e-6', '--budget-seconds', '0', '--save', net, '--json'], { name, after: 3000 });
    expect(r.code, r.stderr).toBe(status);
    const out = JSON.parse(r.stdout);
    expect(out.stopped).toBe('interrupted');
    expect(out.met).toBe(false);
    expect(out.params).toBeLessThanOrEqual(4 ** 6);
    expect(r.stderr).toMatch(new RegExp(`${name}: stopping at the next safe point`));
    expect(existsSync(net)).toBe(true);
    expect(r.seconds).toBeLessThan(60);
  }, 90_000);

  it('ends at its budget with stopped: budget, met: false and exit 3', async () => {
    const r = await tnkit(['search', x, '--method', 'tnls', '--rse', '1e-6', '--budget-seconds', '2', '--json']);
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ stopped: 'budget', met: false, target: 1e-6 });
    expect(r.seconds).toBeLessThan(40);
    const text = await tnkit(['search', x, '--method', 'ttsvd', '--rse', '1e-6']);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/met +no: RSE .* > target 0.000001; the best result found is kept/);
  }, 90_000);

  it('complete: SIGINT keeps the best so far', async () => {
    const r = await tnkit(['complete', x, '--missing', '0.5', '--method', 'greedy', '--rse', '1e-6', '--budget-seconds', '0', '--json'], { name: 'SIGINT', after: 3000 });
    expect(r.code, r.stderr).toBe(130);
    expect(JSON.parse(r.stdout)).toMatchObject({ stopped: 'interrupted', met: false });
  }, 90_000);

  it('a checkpoint resumes only its own run, and the evaluations add up', async () => {
    const ck = join(dir, 'ck');
    const first = await tnkit(['search', x, '--method', 'rgtn', '--rse', '1e-6', '--budget-seconds', '3', '--checkpoint', ck, '--json']);
    expect(first.code, first.stderr).toBe(3);
    expect(existsSync(join(ck, 'checkpoint.json'))).toBe(true);
    const a = JSON.parse(first.stdout).evaluations as number;
    const other = join(dir, 'other.npy');
    writeNpy(other, noise([4, 4, 4, 4, 4, 4], 2));
    const wrongInput = await tnkit(['search', other, '--method', 'rgtn', '--rse', '1e-6', '--checkpoint', ck]);
    expect(wrongInput.code).toBe(1);
    expect(wrongInput.stderr).toMatch(/--checkpoint .* was written for a different run \(input: sha256 [0-9a-f]{12}… in the checkpoint, sha256 [0-9a-f]{12}… now\)/);
    const wrongTarget = await tnkit(['search', x, '--method', 'rgtn', '--rse', '1e-3', '--seed', '2', '--checkpoint', ck]);
    expect(wrongTarget.stderr).toMatch(/rse: 0.000001 in the checkpoint, 0.001 now; seed: 0 in the checkpoint, 2 now/);
    const resumed = await tnkit(['search', x, '--method', 'rgtn', '--rse', '1e-6', '--budget-seconds', '3', '--checkpoint', ck, '--json']);
    expect(resumed.code, resumed.stderr).toBe(3);
    expect(JSON.parse(resumed.stdout).evaluations).toBeGreaterThan(a);
  }, 120_000);
});
