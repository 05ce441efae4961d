import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { loadDataset } from '../io/datasets.js';
import { runCli } from '../../test/helpers/run-cli.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { anomalyImages, registerAnomaly, runAnomaly, scoreSamples, type AnomalyCliOptions } from './anomaly.js';

/** Runs `tnkit anomaly …` on a program holding only this command, capturing stdout. */
async function runAnomalyCli(...args: string[]): Promise<string> {
  const program = new Command('tnkit').exitOverride();
  registerAnomaly(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['anomaly', ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('tnkit anomaly', () => {
  it('prints auc and seconds_per_epoch as JSON on a tiny run', { timeout: 120_000 }, async () => {
    const stdout = await runAnomalyCli(
      '--dataset', 'mnist', '--normal-class', '1', '--spacing', '4', '--bond-dim', '3', '--epochs', '1',
      '--train-limit', '24', '--test-limit', '300', '--batch-size', '8', '--lr', '1e-2', '--json',
    );
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary['auc']).toBeGreaterThanOrEqual(0);
    expect(summary['auc']).toBeLessThanOrEqual(1);
    expect(summary['seconds_per_epoch']).toBeGreaterThan(0);
    expect(summary['train_samples']).toBe(24);
    expect(summary['test_samples']).toBe(300);
    expect(summary['normal_class']).toBe(1);
    expect(Number.isFinite(summary['final_loss'] as number)).toBe(true);
  });

  it('trains by sweeps with --trainer sweep', { timeout: 120_000 }, async () => {
    const stdout = await runAnomalyCli(
      '--normal-class', '0', '--spacing', '8', '--bond-dim', '2', '--sweeps', '1', '--trainer', 'sweep',
      '--train-limit', '8', '--test-limit', '200', '--batch-size', '8', '--json',
    );
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary['trainer']).toBe('sweep');
    expect(typeof summary['auc']).toBe('number');
  });

  it('--save then --load scores the test set bit-identically, with the settings from the file', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-anomaly-'));
    const common = ['--test-limit', '250', '--json'];
    for (const [k, extra] of [[0, ['--normal-class', '3', '--spacing', '5', '--bond-dim', '3', '--norm-exponent', '2']], [1, ['--normal-class', '7', '--dtype', 'f32', '--no-normalize', '--alpha', '0.2']]] as const) {
      const trained = JSON.parse(await runAnomalyCli(...extra, '--epochs', '1', '--train-limit', '16', '--batch-size', '8', '--lr', '1e-2', '--seed', String(k + 4),
        '--save', join(dir, `m${k}.tnk`), '--scores', join(dir, `a${k}.json`), ...common)) as Record<string, unknown>;
      // Flags that the file overrides are given other values on purpose.
      const loaded = JSON.parse(await runAnomalyCli('--load', join(dir, `m${k}.tnk`), '--normal-class', '0', '--norm-exponent', '4', '--alpha', '0.4',
        '--scores', join(dir, `b${k}.json`), ...common)) as Record<string, unknown>;
      const a = JSON.parse(readFileSync(join(dir, `a${k}.json`), 'utf8')) as { scores: number[]; labels: number[] };
      const b = JSON.parse(readFileSync(join(dir, `b${k}.json`), 'utf8')) as { scores: number[]; labels: number[] };
      expect(a.scores.length).toBe(250);
      expect(b.scores).toEqual(a.scores);
      expect(b.labels).toEqual(a.labels);
      expect(loaded['auc']).toBe(trained['auc']);
      expect(loaded['normal_class']).toBe(trained['normal_class']);
      expect(loaded['normalize']).toBe(k === 0);
      expect(loaded['loaded_from']).toBe(join(dir, `m${k}.tnk`));
      expect(loaded['final_loss']).toBeNull();
    }
    await expect(runAnomalyCli('--load', join(dir, 'm0.tnk'), '--save', join(dir, 'x.tnk'))).rejects.toThrow(/--load and --save cannot be combined/);
    await expect(runAnomalyCli('--load', join(dir, 'missing.tnk'))).rejects.toThrow(/missing\.tnk/);
  });

  it('renormalises to ‖P‖_F = 1 after each batch by default (--no-normalize turns it off)', { timeout: 180_000 }, async () => {
    const args = ['--normal-class', '1', '--spacing', '4', '--bond-dim', '3', '--epochs', '1', '--train-limit', '16', '--test-limit', '100', '--batch-size', '8', '--lr', '5e-2', '--alpha', '0', '--json'];
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-anomaly-'));
    const on = JSON.parse(await runAnomalyCli(...args, '--save', join(dir, 'on.tnk'))) as Record<string, unknown>;
    const off = JSON.parse(await runAnomalyCli(...args, '--no-normalize', '--save', join(dir, 'off.tnk'))) as Record<string, unknown>;
    expect(on['normalize']).toBe(true);
    expect(off['normalize']).toBe(false);
    const { loadModelWith } = await import('../ml/model-file.js');
    const { SmpoModel } = await import('../ml/models/smpo-model.js');
    const logF = (f: string): number => {
      const m = loadModelWith(join(dir, f), SmpoModel.fromSpec).model;
      return m.logFrobeniusNormSquared(m.params).value.item();
    };
    expect(logF('on.tnk')).toBeCloseTo(0, 10);
    // With α = 0 nothing else holds the norm at 1.
    expect(Math.abs(logF('off.tnk'))).toBeGreaterThan(1e-3);
  });

  it('rejects bad input with errors naming the flag', async () => {
    await expect(runAnomalyCli('--dataset', 'cifar')).rejects.toThrow(/--dataset must be 'mnist' or 'digits'/);
    await expect(runAnomalyCli('--normal-class', '12')).rejects.toThrow(/--normal-class must be a digit/);
    await expect(runAnomalyCli('--spacing', '0')).rejects.toThrow(/--spacing: '0' is not a positive integer/);
    await expect(runAnomalyCli('--model', 'mps')).rejects.toThrow(/--model must be 'smpo'/);
    await expect(runAnomalyCli('--dtype', 'f16')).rejects.toThrow(/--dtype must be f32 or f64/);
    await expect(runAnomalyCli('--lr', 'abc')).rejects.toThrow(/--lr: 'abc' is not a positive number/);
  });

  it('runAnomaly returns an anomaly run record with history, ROC curve and score samples', { timeout: 120_000 }, () => {
    const { summary, record } = runAnomaly({
      dataset: 'mnist', normalClass: '1', model: 'smpo', spacing: '4', bondDim: '3', epochs: '2', trainLimit: '24', testLimit: '300',
      seed: '0', lr: '1e-2', batchSize: '8', dtype: 'f64', alpha: '0.4', normExponent: '4', trainer: 'gradient',
    });
    expect(record.kind).toBe('anomaly');
    expect(record.summary).toEqual(summary);
    expect(record.history?.map((r) => r.epoch)).toEqual([1, 2]);
    expect(record.roc?.auc).toBe(summary.auc);
    expect(record.roc?.fpr[0]).toBe(0);
    expect(record.roc?.tpr[record.roc.tpr.length - 1]).toBe(1);
    // The first 300 MNIST test images: every '1' is normal, every other digit anomalous.
    expect(record.scores!.normal.length + record.scores!.anomalous.length).toBe(300);
    expect(record.scores!.normal.length).toBeGreaterThan(0);
  });

  it('scoreSamples splits by label and thins each side to the cap', () => {
    const scores = Array.from({ length: 5000 }, (_, i) => i);
    const labels = scores.map((i) => (i % 5 === 0 ? 0 : 1));
    const s = scoreSamples(scores, labels, 2000);
    expect(s.normal.length).toBe(1000);
    expect(s.anomalous.length).toBe(2000);
    expect(s.normal.every((v) => v % 5 === 0)).toBe(true);
    expect(s.anomalous.every((v) => v % 5 !== 0)).toBe(true);
  });

  it('--report DIR writes the anomaly report (ROC curve and score samples in run.json)', { timeout: 120_000 }, async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'tnkit-anomaly-report-')), 'r');
    const r = await runCli('anomaly', '--normal-class', '1', '--spacing', '4', '--bond-dim', '3', '--epochs', '1', '--train-limit', '16', '--test-limit', '200',
      '--batch-size', '8', '--lr', '1e-2', '--report', report, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`report: ${join(report, 'index.html')}`);
    const run = JSON.parse(readFileSync(join(report, 'run.json'), 'utf8')) as { kind: string; roc: { auc: number }; scores: { normal: number[]; anomalous: number[] } };
    expect(run.kind).toBe('anomaly');
    expect(run.roc.auc).toBe((JSON.parse(r.stdout) as { auc: number }).auc);
    expect(run.scores.normal.length + run.scores.anomalous.length).toBe(200);
    expect(readFileSync(join(report, 'index.html'), 'utf8').length).toBeGreaterThan(1000);
  });

  it('digits (shipped as one set) are split 80/20 by digit with a fixed seed: disjoint, covering, stratified, in file order, the same every call', () => {
    const all = loadDataset('digits');
    const train = anomalyImages('digits', 'train');
    const test = anomalyImages('digits', 'test');
    expect(train.X.shape).toEqual([1437, 8, 8]);
    expect(test.X.shape).toEqual([360, 8, 8]);
    // Rows are found back in the whole set by their pixels: every image in exactly one part.
    const key = (x: ArrayLike<number>, i: number): string => Array.from({ length: 64 }, (_, p) => x[i * 64 + p]).join(',');
    const whole = new Map<string, number>();
    const ax = all.X.toTypedArray();
    for (let i = 0; i < all.y.length; i++) whole.set(key(ax, i), (whole.get(key(ax, i)) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const part of [train, test]) {
      const px = part.X.toTypedArray();
      for (let i = 0; i < part.y.length; i++) seen.set(key(px, i), (seen.get(key(px, i)) ?? 0) + 1);
    }
    expect(seen).toEqual(whole);
    for (let d = 0; d < 10; d++) {
      const n = all.y.filter((v) => v === d).length;
      expect(Math.abs(test.y.filter((v) => v === d).length - 0.2 * n)).toBeLessThan(1);
    }
    fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 200 }), (digit, limit) => {
      const some = anomalyImages('digits', 'train', { classes: [digit], limit });
      const every = Array.from(train.y.keys()).filter((i) => train.y[i] === digit).slice(0, limit);
      expect(Array.from(some.y)).toEqual(every.map(() => digit));
      expect(Array.from(some.X.toTypedArray())).toEqual(every.flatMap((i) => Array.from(train.X.toTypedArray().subarray(i * 64, (i + 1) * 64))));
    }), { numRuns: 15 });
  });

  it('--dataset digits trains and scores (360 test images); --load and tnkit predict --dataset digits give the same AUC', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-anomaly-digits-'));
    const model = join(dir, 'd.tnk');
    const trained = JSON.parse(await runAnomalyCli('--dataset', 'digits', '--normal-class', '4', '--bond-dim', '4', '--epochs', '3', '--batch-size', '32', '--lr', '1e-2', '--save', model, '--json')) as Record<string, number>;
    expect(trained['test_samples']).toBe(360);
    expect(trained['train_samples']).toBe(anomalyImages('digits', 'train', { classes: [4] }).y.length);
    expect(trained['auc']).toBeGreaterThan(0.8);
    const loaded = JSON.parse(await runAnomalyCli('--load', model, '--json')) as Record<string, number>;
    expect(loaded['auc']).toBe(trained['auc']);
    const p = await runCli('predict', '--model', model, '--dataset', 'digits', '--json');
    expect(p.code).toBe(0);
    expect((JSON.parse(p.stdout) as { auc: number }).auc).toBe(trained['auc']);
  });

  it('every output flag with a path that cannot be written fails before training, naming the flag; nothing is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-anomaly-out-'));
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'file'), 'x');
    const base: AnomalyCliOptions = {
      dataset: 'digits', normalClass: '0', model: 'smpo', spacing: '8', bondDim: '3', epochs: '50', seed: '0', lr: '1e-2', batchSize: '32',
      dtype: 'f64', alpha: '0.4', normExponent: '4', trainer: 'gradient',
    };
    const bad: [string, RegExp][] = [
      [join(dir, 'no', 'such', 'x.json'), /: the folder .*such does not exist|: neither it nor its parent folder .*such exists/],
      [join(dir, 'folder'), /: is a folder; give a file name|: is a file, not a folder/],
      [join(dir, 'file', 'x.json'), /file is not a folder|: neither it nor its parent folder .*file exists/],
    ];
    const flags: [keyof AnomalyCliOptions, string][] = [['save', '--save'], ['scores', '--scores'], ['report', '--report']];
    fc.assert(fc.property(fc.constantFrom(...flags), fc.constantFrom(...bad), ([key, flag], [path, why]) => {
      let epochs = 0;
      const path2 = key === 'report' && path.endsWith('folder') ? join(dir, 'file') : path;
      expect(() => runAnomaly({ ...base, [key]: path2 }, () => epochs++)).toThrow(new RegExp(`^${flag} .*(${why.source})`));
      expect(epochs).toBe(0);
    }), { numRuns: 20 });
    expect(() => runAnomaly({ ...base, load: join(dir, 'none.tnk') })).toThrow(/^--load: cannot read .*none\.tnk/);
    expect(() => runAnomaly({ ...base, save: join(dir, 'm.tnk'), scores: join(dir, '.', 'm.tnk') })).toThrow(/^--scores .*m\.tnk and --save .*m\.tnk: the same file/);
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder']);
  });
});
