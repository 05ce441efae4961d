import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerAnomaly } from './anomaly.js';

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
      '--normal-class', '0', '--spacing', '8', '--bond-dim', '2', '--epochs', '1', '--trainer', 'sweep',
      '--train-limit', '8', '--test-limit', '200', '--batch-size', '8', '--json',
    );
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary['trainer']).toBe('sweep');
    expect(typeof summary['auc']).toBe('number');
  });

  it('rejects bad input with errors naming the flag', async () => {
    await expect(runAnomalyCli('--dataset', 'cifar')).rejects.toThrow(/--dataset must be 'mnist' or 'digits'/);
    await expect(runAnomalyCli('--normal-class', '12')).rejects.toThrow(/--normal-class must be a digit/);
    await expect(runAnomalyCli('--spacing', '0')).rejects.toThrow(/--spacing must be a positive integer/);
    await expect(runAnomalyCli('--model', 'mps')).rejects.toThrow(/--model must be 'smpo'/);
    await expect(runAnomalyCli('--dtype', 'f16')).rejects.toThrow(/--dtype must be f32 or f64/);
    await expect(runAnomalyCli('--lr', 'abc')).rejects.toThrow(/--lr must be a non-negative number/);
  });
});
