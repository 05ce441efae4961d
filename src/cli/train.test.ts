import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.js';
import { loadModel } from '../ml/model-file.js';
import { registerTrain, runTrain, type TrainCliOptions, type TrainSummary } from './train.js';

/** Runs `tnkit train ARGS` in-process on a program with only `train` registered. */
async function cli(args: string[]): Promise<{ out: string; error: Error | null }> {
  const program = new Command('tnkit').exitOverride();
  registerTrain(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'tnkit', 'train', ...args]);
    return { out, error: null };
  } catch (e) {
    return { out, error: e as Error };
  } finally {
    spy.mockRestore();
  }
}

describe('tnkit train', () => {
  it('prints the documented JSON fields on a tiny run, and saves model and history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-cli-'));
    const { out, error } = await cli([
      '--dataset', 'iris', '--bond-dim', '3', '--epochs', '2', '--batch-size', '16', '--lr', '0.01', '--seed', '1',
      '--save', join(dir, 'm.tnk'), '--history', join(dir, 'h.csv'), '--json',
    ]);
    expect(error).toBeNull();
    const s = JSON.parse(out) as TrainSummary;
    for (const key of ['test_accuracy', 'train_accuracy', 'seconds_per_epoch', 'epochs', 'params'] as const) expect(typeof s[key]).toBe('number');
    expect(s.test_accuracy).toBeGreaterThanOrEqual(0);
    expect(s.test_accuracy).toBeLessThanOrEqual(1);
    expect(s.epochs).toBe(2);
    expect(s.samples).toEqual({ train: 96, validation: 24, test: 30 });
    const saved = loadModel(join(dir, 'm.tnk'));
    expect(saved.model.kind).toBe('mps');
    expect(saved.history?.length).toBe(2);
    expect(readFileSync(join(dir, 'h.csv'), 'utf8').split('\n')[0]).toMatch(/^epoch,loss,val_loss,val_accuracy,seconds/);
  });

  it('trains the MPS by two-site sweeps with --trainer sweep and prints the same JSON fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-sweep-'));
    const { out, error } = await cli([
      '--dataset', 'iris', '--trainer', 'sweep', '--bond-dim', '3', '--epochs', '2', '--batch-size', '16', '--lr', '0.01', '--seed', '2',
      '--save', join(dir, 'm.tnk'), '--history', join(dir, 'h.csv'), '--json',
    ]);
    expect(error).toBeNull();
    const s = JSON.parse(out) as TrainSummary;
    expect(Object.keys(s).sort()).toEqual(['best_epoch', 'epochs', 'params', 'samples', 'seconds_per_epoch', 'stop_reason', 'test_accuracy', 'train_accuracy', 'val_accuracy']);
    for (const key of ['test_accuracy', 'train_accuracy', 'val_accuracy'] as const) {
      expect(s[key]).toBeGreaterThanOrEqual(0);
      expect(s[key]).toBeLessThanOrEqual(1);
    }
    expect(s.epochs).toBe(2);
    expect(s.best_epoch).toBeGreaterThanOrEqual(1);
    expect(s.best_epoch).toBeLessThanOrEqual(2);
    expect(s.seconds_per_epoch).toBeGreaterThan(0);
    expect(s.samples).toEqual({ train: 96, validation: 24, test: 30 });
    // The sweep's truncation keeps every bond at or below --bond-dim.
    const saved = loadModel(join(dir, 'm.tnk'));
    expect(saved.model.kind).toBe('mps');
    for (const core of saved.model.params) expect(core.shape[core.ndim - 1]!).toBeLessThanOrEqual(3);
    expect(saved.history?.length).toBe(2);
    expect(readFileSync(join(dir, 'h.csv'), 'utf8').split('\n')[0]).toMatch(/^epoch,loss,val_loss,val_accuracy/);
  });

  it('rejects sweep options it cannot honour, naming the flag', async () => {
    expect((await cli(['--dataset', 'iris', '--trainer', 'dmrg'])).error?.message).toMatch(/^--trainer: 'dmrg' is not one of gradient, sweep/);
    expect((await cli(['--dataset', 'iris', '--trainer', 'sweep', '--model', 'tree'])).error?.message).toMatch(/^--trainer: sweep: only model 'mps'/);
    expect((await cli(['--dataset', 'iris', '--trainer', 'sweep', '--optimizer', 'sgd'])).error?.message).toMatch(/^--trainer: sweep: .*optimizer 'sgd'/);
    expect((await cli(['--dataset', 'iris', '--trainer', 'sweep', '--l2', '0.1'])).error?.message).toMatch(/^--trainer: sweep: l2 is not supported/);
  });

  it('rejects bad options with an error naming the flag', async () => {
    expect((await cli(['--dataset', 'iris', '--lr', 'fast'])).error?.message).toMatch(/^--lr: 'fast' is not a positive number/);
    expect((await cli(['--dataset', 'nope'])).error?.message).toMatch(/^--dataset: 'nope' is not one of/);
    expect((await cli(['--dataset', 'iris', '--model', 'cnn'])).error?.message).toMatch(/^--model: 'cnn'/);
    expect((await cli(['--dataset', 'iris', '--embedding', 'wavelet'])).error?.message).toMatch(/^--embedding: 'wavelet'/);
    expect((await cli(['--dataset', 'iris', '--batch-size', '0'])).error?.message).toMatch(/^--batch-size: '0'/);
  });

  it('runTrain returns the summary and a train run record holding the per-epoch history', () => {
    const opts: TrainCliOptions = {
      dataset: 'iris', model: 'mps', bondDim: '3', embedding: 'polynomial:2', init: 'identity:0.01', optimizer: 'adam', lr: '0.01',
      batchSize: '16', epochs: '3', patience: '0', seed: '0', dtype: 'f64', monitor: 'val_loss',
    };
    const { summary, record } = runTrain(opts);
    expect(record.kind).toBe('train');
    expect(record.version).toBe(1);
    expect(record.summary).toEqual(summary);
    expect(record.history?.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(record.history?.every((r) => Number.isFinite(r['val_loss']))).toBe(true);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('--report DIR writes index.html and run.json (the train record) and says where; a bad DIR fails before training', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-report-'));
    const report = join(dir, 'rep');
    const r = await runCli('train', '--dataset', 'iris', '--bond-dim', '3', '--epochs', '2', '--batch-size', '16', '--lr', '0.01', '--report', report, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`report: ${join(report, 'index.html')}`);
    expect(readFileSync(join(report, 'index.html'), 'utf8')).toMatch(/<html/i);
    const run = JSON.parse(readFileSync(join(report, 'run.json'), 'utf8')) as { kind: string; history: unknown[]; command: string; summary: unknown };
    expect(run.kind).toBe('train');
    expect(run.history.length).toBe(2);
    expect(run.command).toMatch(/^tnkit/);
    expect(run.summary).toEqual(JSON.parse(r.stdout));
    writeFileSync(join(dir, 'file'), 'x');
    const bad = await runCli('train', '--dataset', 'iris', '--epochs', '50', '--report', join(dir, 'file'), '--history', join(dir, 'h.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--report .*file: is a file, not a folder/);
    expect(existsSync(join(dir, 'h.csv'))).toBe(false);
  });
});
