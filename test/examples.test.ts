/**
 * Runs every script in examples/ as users run them (`node examples/NAME.mjs`), but
 * in-process on the current source: vitest.config.ts maps the package name `tnkit` to
 * src/index.ts. Each test captures what the script prints and checks the figures in it,
 * so an example that stops working, or stops doing what its text says, fails here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

/**
 * Imports examples/NAME (the module path is computed, so tsc does not look for typings of a
 * .mjs; vitest still transforms it and applies the alias).
 */
function load(name: string): Promise<Record<string, unknown>> {
  return import(/* @vite-ignore */ `../examples/${name}`) as Promise<Record<string, unknown>>;
}

/** Imports an example (which runs it) and returns the lines it printed with console.log. */
async function run(name: string): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    await load(name);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/** The first number after `label` in the printed lines. */
function figure(lines: readonly string[], label: string | RegExp): number {
  const re = typeof label === 'string' ? new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*([-+0-9.eE]+)`) : label;
  for (const line of lines) {
    const m = re.exec(line);
    if (m) return Number(m[1]);
  }
  throw new Error(`no line matches ${String(re)} in:\n${lines.join('\n')}`);
}

describe('examples', () => {
  it("runs the current source: the name 'tnkit' resolves to src/index.ts here", async () => {
    const name = 'tnkit';
    const byName = (await import(/* @vite-ignore */ name)) as Record<string, unknown>;
    const source = (await import('../src/index.js')) as Record<string, unknown>;
    expect(byName['einsum']).toBe(source['einsum']);
  });

  it('tensors.mjs: einsum, its path and an SVD that reconstructs', async () => {
    const out = await run('tensors.mjs');
    expect(out.join('\n')).toContain('einsum ijk,kl->ijl: shape [64, 32, 8]');
    expect(figure(out, /(\d+)× fewer FLOPs/)).toBeGreaterThan(10);
    expect(figure(out, '|A − U·S·Vt| / |A| =')).toBeLessThan(1e-12);
    expect(figure(out, 'error')).toBeLessThanOrEqual(0.5);
  });

  it('decompose.mjs: TT, TR, Tucker and CP compress a smooth tensor at the stated error', async () => {
    const out = await run('decompose.mjs');
    for (const name of ['TT-SVD', 'TR-SVD', 'Tucker']) {
      expect(figure(out, new RegExp(`${name} .*RSE ([-+0-9.e]+)`))).toBeLessThanOrEqual(1e-4);
      expect(figure(out, new RegExp(`${name} .*CR ([0-9.]+)`))).toBeLessThan(0.1);
    }
    expect(figure(out, 'TT cores contracted: RSE')).toBeLessThanOrEqual(1e-4);
    expect(figure(out, /CP-ALS .*RSE ([-+0-9.e]+)/)).toBeLessThan(1e-2);
    const file = /wrote (\S+\.npy);/.exec(out.join('\n'))?.[1];
    expect(file !== undefined && existsSync(file)).toBe(true);
  });

  it('search.mjs: RGTN finds the hidden ring at its parameter count, TT-SVD needs more', async () => {
    const out = await run('search.mjs');
    const hidden = figure(out, 'hidden ring:');
    expect(figure(out, 'rgtn:')).toBe(hidden);
    expect(figure(out, /rgtn: .*RSE ([-+0-9.e]+)/)).toBeLessThanOrEqual(1e-2);
    expect(figure(out, 'ttsvd:')).toBeGreaterThan(hidden);
    expect(out.find((l) => l.startsWith('rgtn edges:'))?.split(' ').length).toBe(2 + 5); // a ring of 5 cores
  });

  it('complete.mjs: completion beats the mean fill by far on the missing entries', async () => {
    const out = await run('complete.mjs');
    const meanFill = figure(out, 'mean fill: RSE');
    const missing = figure(out, /, ([-+0-9.e]+) on the missing entries/);
    expect(missing).toBeLessThan(meanFill / 10);
  });

  it('train.mjs then predict.mjs: the saved classifier reloads and predicts what it scored', async () => {
    const trained = await run('train.mjs');
    const accuracy = figure(trained, 'test accuracy');
    expect(accuracy).toBeGreaterThan(0.9);
    expect(figure(trained, /trained (\d+) epochs/)).toBeGreaterThanOrEqual(figure(trained, 'best epoch'));
    const predicted = await run('predict.mjs');
    expect(predicted.filter((l) => /^sample \d: predicted (malignant|benign) \(p = [01]\.\d{3}\)/.test(l))).toHaveLength(3);
    expect(figure(predicted, 'accuracy')).toBe(accuracy);
    expect(figure(predicted, 'score() says')).toBe(accuracy);
  });

  it('anomaly.mjs: zeros against other digits, AUC well above chance, identical after reload', async () => {
    const out = await run('anomaly.mjs');
    expect(out.filter((l) => l.startsWith('epoch '))).toHaveLength(3);
    expect(figure(out, 'AUC')).toBeGreaterThan(0.8);
    const flaggedOthers = figure(out, 'flagged:');
    const flaggedZeros = figure(out, /, (\d+) of \d+ zeros/);
    expect(flaggedOthers / 915).toBeGreaterThan(flaggedZeros / 85);
    expect(out.join('\n')).toContain('reloaded scores identical: true');
  });

  it('compress.mjs: both fits meet the target; RGTN needs fewer parameters than TT-SVD; the saved network rebuilds the image', async () => {
    const out = await run('compress.mjs');
    expect(figure(out, /tt: .*RSE ([0-9.]+)/)).toBeLessThanOrEqual(0.15);
    expect(figure(out, /rgtn: .*RSE ([0-9.]+)/)).toBeLessThanOrEqual(0.15);
    expect(figure(out, 'rgtn:')).toBeLessThan(figure(out, 'tt:'));
    expect(figure(out, 'reloaded reconstruction PSNR')).toBe(figure(out, /rgtn: .*PSNR ([0-9.]+)/));
  });

  it('browser/main.mjs: the wasm kernel loads from its URL, computes and trains a classifier (the page calls the same run())', async () => {
    const wasm = new URL('../build/wasm/tnkit.wasm', import.meta.url);
    expect(existsSync(wasm), 'build/wasm/tnkit.wasm is built by npm ci (npm run build:wasm)').toBe(true);
    const page = (await load('browser/main.mjs')) as { run: (url: URL) => Promise<string[]> };
    const out = await page.run(wasm);
    expect(out[0]).toBe('backend: wasm');
    expect(figure(out, /ttSvd: .*RSE ([-+0-9.e]+)/)).toBeLessThan(1e-10);
    expect(figure(out, 'classifier: training accuracy')).toBeGreaterThan(0.9);
  });

  it('every example type-checks against the current source (examples/tsconfig.json)', () => {
    const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;
    const project = new URL('../examples/tsconfig.json', import.meta.url).pathname;
    let errors = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      errors = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(errors).toBe('');
  });
});
