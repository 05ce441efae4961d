import type { Command } from 'commander';
import { benchKernels } from '../bench/kernels.js';
import type { BackendName } from '../kernels/kernel.js';
import type { DType } from '../tensor/dtype.js';
import { createProgress } from './progress.js';
import { parseList } from './parse.js';

/** `tnkit bench kernels`: GFLOPS and milliseconds per backend, with numpy as the reference. */
export function registerBench(program: Command): void {
  const bench = program.command('bench').description('measure speed (benchmarks, not tests)');
  bench
    .command('kernels')
    .description('gemm, batched gemm, SVD, QR and einsum on every available backend, against numpy in the same run')
    .option('--json', 'print the rows as a JSON array on stdout')
    .option('--backend <names>', 'comma-separated backends (default: all available)')
    .option('--dtype <dtypes>', 'comma-separated dtypes: f64,f32', 'f64,f32')
    .option('--quick', 'small sizes, for a smoke run')
    .option('--no-numpy', 'skip the numpy reference')
    .action((opts: { json?: boolean; backend?: string; dtype: string; quick?: boolean; numpy: boolean }) => {
      const progress = createProgress();
      const result = benchKernels({
        ...(opts.backend ? { backends: parseList(opts.backend, ['native', 'wasm', 'ts'], '--backend') as BackendName[] } : {}),
        dtypes: parseList(opts.dtype, ['f64', 'f32'], '--dtype') as DType[],
        quick: opts.quick ?? false,
        numpy: opts.numpy,
        onCase: (label, done, total) => progress.update(done, total, label),
      });
      progress.stop();
      if (opts.json) {
        process.stdout.write(JSON.stringify(result.rows, null, 2) + '\n');
        return;
      }
      console.log(`numpy reference: ${result.numpy}`);
      console.log('op            backend dtype size              GFLOPS        ms   vs numpy');
      for (const r of result.rows) {
        const g = r.gflops === null ? '-' : r.gflops.toFixed(2);
        const v = r.vs_numpy === null ? '-' : `${r.vs_numpy.toFixed(2)}×`;
        const extra = r.vs_gemm_steps === undefined ? '' : `  (einsum / its gemm steps: ${r.vs_gemm_steps.toFixed(2)})`;
        console.log(`${r.op.padEnd(13)} ${r.backend.padEnd(7)} ${r.dtype.padEnd(5)} ${r.size.padEnd(16)} ${g.padStart(7)} ${r.ms.toFixed(2).padStart(9)} ${v.padStart(9)}${extra}`);
      }
    });
}
