import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../ml/model-file.js';
import type { EpochRecord } from '../ml/training/history.js';
import type { TrainerCheckpoint } from '../ml/training/trainer.js';
import { Random } from '../tensor/random.js';
import type { TrainSummary } from './train.js';

/*
 * Real crashes and resumes: `tnkit train --checkpoint-every 1` (bond 30, a 2.2 MB
 * checkpoint each epoch) is SIGKILLed at a random moment after it wrote a checkpoint,
 * resumed from what is on disk and killed again, twice; a last `--resume` finishes the
 * run. Each resumed run must continue from the checkpoint's epoch (its history up to there
 * is the killed run's, per-epoch timings included) and the end must be where an
 * uninterrupted run ends. Spawns the compiled CLI
 * (bin/tnkit.js runs dist/): `npm run build:ts` first.
 */

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'tnkit.js');
const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EPOCHS = 60;
const TRAIN = ['train', '--dataset', 'breast-cancer', '--bond-dim', '30', '--lr', '1e-2', '--epochs', String(EPOCHS), '--patience', '0', '--seed', '0', '--json'];
const CHECKPOINTED = [...TRAIN, '--checkpoint-every', '1'];

/** Runs the CLI to the end; returns its exit code and output. */
function runToEnd(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The inode of `file` (each atomic write renames a new one into place), or -1 when absent. */
function inode(file: string): number {
  try {
    return statSync(file).ino;
  } catch {
    return -1;
  }
}

/**
 * Starts the CLI, polls until it has written `file` (a new inode appears), waits `delayMs`
 * more and SIGKILLs it; returns its pid and whether it had exited on its own.
 */
async function killAfterWrite(args: readonly string[], file: string, delayMs: number): Promise<{ pid: number; exitedFirst: boolean }> {
  const before = inode(file);
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
  let exited = false;
  const done = new Promise<void>((resolve) => child.on('exit', () => {
    exited = true;
    resolve();
  }));
  while (inode(file) === before && !exited) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, delayMs));
  const exitedFirst = exited;
  child.kill('SIGKILL');
  await done;
  return { pid: child.pid!, exitedFirst };
}

/** The figures that must agree between a resumed and an uninterrupted run (all but the wall-clock ones). */
function figures(h: EpochRecord[]): Omit<EpochRecord, 'seconds'>[] {
  return h.map(({ seconds: _, ...rest }) => rest);
}

describe('tnkit train killed mid-run', () => {
  it('resumes from the last complete checkpoint and ends where an uninterrupted run ends', { timeout: 120_000 }, async () => {
    expect(existsSync(join(root, 'dist', 'cli', 'train.js')), 'bin/tnkit.js runs dist/: npm run build:ts first').toBe(true);
    const ck = join(dir, 'ck.tnk');
    const rng = new Random(7);
    const kills: string[] = [];
    let midWrites = 0;
    let cp: TrainerCheckpoint | undefined;
    // Three crashes: the first run, then two resumed runs, each killed a random moment after it wrote a checkpoint.
    for (let round = 0; round < 3; round++) {
      const delay = rng.int(400);
      const killed = await killAfterWrite([...CHECKPOINTED, '--checkpoint', ck, ...(cp ? ['--resume', ck] : [])], ck, delay);
      expect(killed.exitedFirst, `the run finished its ${EPOCHS} epochs before the kill; the test needs a longer run`).toBe(false);
      const midWrite = readdirSync(dir).some((n) => n.startsWith(`.ck.tnk.${killed.pid}.`) && n.endsWith('.tmp'));
      if (midWrite) midWrites++;
      // What the kill left is a whole checkpoint (loadModel checks every field and size) …
      const next = loadModel(ck).checkpoint!;
      expect(next).toBeDefined();
      expect(next.epoch).toBeLessThan(EPOCHS);
      expect(next.history.map((r) => r.epoch)).toEqual(Array.from({ length: next.epoch }, (_, i) => i + 1));
      // … and a resumed run went on from the last one: its history (timings included) starts with the earlier checkpoint's.
      if (cp) {
        expect(next.epoch).toBeGreaterThan(cp.epoch);
        expect(next.history.slice(0, cp.epoch)).toEqual(cp.history);
      }
      cp = next;
      kills.push(`${delay} ms → epoch ${cp.epoch}${midWrite ? ' (mid-write)' : ''}`);
    }
    const k = cp!.epoch;

    const history = join(dir, 'resumed.json');
    const resumed = await runToEnd([...CHECKPOINTED, '--checkpoint', ck, '--resume', ck, '--history', history]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout) as TrainSummary;
    expect(summary.epochs).toBe(EPOCHS);
    const h = JSON.parse(readFileSync(history, 'utf8')) as EpochRecord[];
    expect(h.map((r) => r.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    // Continued, not restarted: epochs 1…k are the killed run's records, their timings included.
    expect(h.slice(0, k)).toEqual(cp!.history);

    const baselineHistory = join(dir, 'baseline.json');
    const baseline = await runToEnd([...TRAIN, '--history', baselineHistory]);
    expect(baseline.code, baseline.stderr).toBe(0);
    const b = JSON.parse(baseline.stdout) as TrainSummary;
    expect(figures(h)).toEqual(figures(JSON.parse(readFileSync(baselineHistory, 'utf8')) as EpochRecord[]));
    for (const key of ['test_accuracy', 'train_accuracy', 'val_accuracy', 'epochs', 'best_epoch', 'stop_reason', 'params'] as const) expect(summary[key], key).toEqual(b[key]);
    console.log(`train kill/resume: ${kills.length} kills after a checkpoint (${kills.join(', ')}; ${midWrites} mid-write); `
      + `final resume at epoch ${k + 1} of ${EPOCHS}; test accuracy ${summary.test_accuracy.toFixed(4)} (uninterrupted ${b.test_accuracy.toFixed(4)})`);
  });
});
