import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.js';
import { decodeModel, encodeModel, loadModel } from '../ml/model-file.js';
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
      '--dataset', 'iris', '--trainer', 'sweep', '--bond-dim', '3', '--sweeps', '2', '--batch-size', '16', '--lr', '0.01', '--seed', '2',
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
    // Passes are counted by the trainer's own flag: --sweeps for sweeps, --epochs for the gradient trainer.
    expect((await cli(['--dataset', 'iris', '--trainer', 'sweep', '--epochs', '3'])).error?.message).toMatch(/^--epochs 3: the sweep trainer counts sweeps, not epochs; give --sweeps 3/);
    expect((await cli(['--dataset', 'iris', '--sweeps', '3'])).error?.message).toMatch(/^--sweeps 3: only --trainer sweep sweeps; the gradient trainer counts --epochs/);
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

  const tiny: TrainCliOptions = {
    dataset: 'iris', model: 'mps', bondDim: '3', embedding: 'polynomial:2', init: 'identity:0.01', optimizer: 'adam', lr: '0.01',
    batchSize: '16', epochs: '4', patience: '0', seed: '0', dtype: 'f64', monitor: 'val_loss',
  };

  it('every output flag with a path that cannot be written fails before the first epoch, naming the flag; nothing is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-out-'));
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'file'), 'x');
    const bad: Record<string, [string, RegExp]> = {
      missing: [join(dir, 'no', 'such', 'x.csv'), /: the folder .*such does not exist/],
      folder: [join(dir, 'folder'), /: is a folder; give a file name|must end in \.csv or \.json/],
      underFile: [join(dir, 'file', 'x.csv'), /file is not a folder/],
    };
    const flags: [keyof TrainCliOptions, string, Partial<TrainCliOptions>][] = [
      ['save', '--save', {}], ['history', '--history', {}], ['checkpoint', '--checkpoint', { checkpointEvery: '1' }],
    ];
    fc.assert(fc.property(fc.constantFrom(...flags), fc.constantFrom(...Object.keys(bad)), ([key, flag, extra], kind) => {
      const [path, why] = bad[kind]!;
      let epochs = 0;
      let error: Error | undefined;
      try {
        runTrain({ ...tiny, ...extra, [key]: path }, () => epochs++);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message.startsWith(flag)).toBe(true);
      expect(error?.message).toMatch(why);
      expect(epochs).toBe(0);
    }), { numRuns: 30 });
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder']);
  });

  it('--checkpoint without --checkpoint-every, and one file for two outputs, are refused before training', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-out2-'));
    expect(() => runTrain({ ...tiny, checkpoint: join(dir, 'c.tnk') })).toThrow(/^--checkpoint .*c\.tnk: checkpoints are written only with --checkpoint-every N/);
    expect(() => runTrain({ ...tiny, save: join(dir, 'm.tnk'), checkpoint: join(dir, '.', 'm.tnk'), checkpointEvery: '1' })).toThrow(/^--save .*m\.tnk and --checkpoint .*m\.tnk: the same file/);
    writeFileSync(join(dir, 'd.csv'), 'a,y\n1,0\n2,1\n');
    for (const [key, extra] of [['save', {}], ['history', {}], ['checkpoint', { checkpointEvery: '1' }]] as const) {
      const path = join(dir, 'd.csv');
      const { dataset: _dataset, ...noDataset } = tiny;
      expect(() => runTrain({ ...noDataset, data: path, target: 'y', ...extra, [key]: path })).toThrow(new RegExp(`^--${key} .*d\\.csv: is the --data file`));
    }
    expect(readFileSync(join(dir, 'd.csv'), 'utf8')).toBe('a,y\n1,0\n2,1\n');
    expect(readdirSync(dir)).toEqual(['d.csv']);
  });

  it('--resume refuses, before any epoch, a checkpoint at or past --epochs or made with other flags, naming both values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-resume-'));
    const ck = join(dir, 'ck.tnk');
    runTrain({ ...tiny, checkpoint: ck, checkpointEvery: '4' });
    const past = await runCli('train', '--dataset', 'iris', '--bond-dim', '3', '--lr', '0.01', '--batch-size', '16', '--patience', '0', '--epochs', '3', '--resume', ck);
    expect(past.code).toBe(1);
    expect(past.stderr).toBe(`tnkit: --epochs 3: the checkpoint ${ck} is already at epoch 4; give --epochs greater than 4 to train further\n`);
    let epochs = 0;
    expect(() => runTrain({ ...tiny, epochs: '8', bondDim: '4', resume: ck }, () => epochs++))
      .toThrow(new RegExp(`^--resume ${ck.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the checkpoint was made from other inputs: --bond-dim 3 in the checkpoint, 4 in this run\\. Give the flags it was made with, or train afresh without --resume$`));
    expect(() => runTrain({ ...tiny, epochs: '8', dataset: 'wine', resume: ck }, () => epochs++)).toThrow(/features \(data columns\) 4 in the checkpoint, 13 in this run; training data \(sha256\) [0-9a-f]{12}… in the checkpoint, [0-9a-f]{12}… in this run/);
    expect(() => runTrain({ ...tiny, epochs: '8', model: 'tree', resume: ck }, () => epochs++)).toThrow(/--model mps in the checkpoint, tree in this run/);
    expect(epochs).toBe(0);
    // The same flags resume, to the result of an uninterrupted run.
    const resumed = runTrain({ ...tiny, epochs: '6', resume: ck }).summary;
    const whole = runTrain({ ...tiny, epochs: '6' }).summary;
    expect(resumed.test_accuracy).toBe(whole.test_accuracy);
    expect(resumed.epochs).toBe(6);
  });

  it('--resume with an older checkpoint (no recorded inputs) warns on stderr and resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-old-'));
    const ck = join(dir, 'ck.tnk');
    runTrain({ ...tiny, checkpoint: ck, checkpointEvery: '4' });
    const file = decodeModel(new Uint8Array(readFileSync(ck)));
    delete file.checkpoint!.inputs;
    writeFileSync(ck, encodeModel(file));
    const r = await runCli('train', '--dataset', 'iris', '--bond-dim', '3', '--lr', '0.01', '--batch-size', '16', '--patience', '0', '--epochs', '5', '--resume', ck, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^tnkit: warning: --resume .*ck\.tnk: the checkpoint does not record its data and settings/m);
    expect((JSON.parse(r.stdout) as TrainSummary).epochs).toBe(5);
  });
});
