import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.js';

describe('tnkit info', () => {
  it('prints the documented JSON', async () => {
    const { stdout, code } = await runCli('info', '--json');
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as { version: string; backend: string; backends: Record<string, boolean> };
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(['native', 'wasm', 'ts']).toContain(info.backend);
    expect(info.backends['ts']).toBe(true);
    expect(info.backends[info.backend]).toBe(true);
  });
});

describe('tnkit bench kernels', () => {
  it('prints rows with the documented fields (quick, one backend)', async () => {
    const { stdout, code } = await runCli('bench', 'kernels', '--quick', '--json', '--backend', 'ts', '--dtype', 'f64', '--no-numpy');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(new Set(rows.map((r) => r['op']))).toEqual(new Set(['gemm', 'gemm_batched', 'svd', 'qr', 'einsum']));
    for (const r of rows) {
      expect(r['backend']).toBe('ts');
      expect(r['dtype']).toBe('f64');
      expect(typeof r['size']).toBe('string');
      expect(r['ms']).toBeGreaterThan(0);
      expect(r['vs_numpy']).toBeNull();
      if (r['op'] !== 'svd') expect(r['gflops']).toBeGreaterThan(0);
    }
  });

  it('rejects an unknown backend with a clear error', async () => {
    const { stderr, code } = await runCli('bench', 'kernels', '--backend', 'gpu', '--json');
    expect(code).toBe(1);
    expect(stderr).toMatch(/--backend: 'gpu' is not one of native, wasm, ts/);
  });
});
