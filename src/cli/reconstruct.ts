import type { Command } from 'commander';
import { Compressor } from '../estimators/compressor.js';
import { checkTensorOutput, writeTensorOutput } from '../io/output-file.js';

/** Options of `tnkit reconstruct`. */
export interface ReconstructCliOptions {
  out: string;
  json?: boolean;
}

/** What `tnkit reconstruct --json` prints. */
export interface ReconstructSummary {
  network: string;
  out: string;
  /** Shape written: the input's original layout (the saved --shape / --fold undone). */
  shape: number[];
  method: string;
  ranks: number[][];
  params: number;
  cr: number;
  /** RSE the saving run measured on the data it fitted. */
  rse: number;
  /** What the saving run recorded about its input (file name, 8-bit or not, …). */
  source?: Record<string, unknown>;
  seconds: number;
}

/**
 * Reads a network saved by `tnkit search --out` / `complete --save` (or Compressor.save)
 * and writes its reconstruction in the original input's layout, format by extension.
 * The output path is checked before the network is contracted.
 */
export function runReconstruct(network: string, opts: ReconstructCliOptions): ReconstructSummary {
  checkTensorOutput('--out', opts.out);
  const started = performance.now();
  const c = Compressor.load(network);
  checkTensorOutput('--out', opts.out, c.inputShape);
  const t = c.reconstruct();
  writeTensorOutput('--out', opts.out, t);
  return {
    network, out: opts.out, shape: [...t.shape], method: c.method, ranks: c.ranks, params: c.params, cr: c.cr, rse: c.rse,
    ...(c.source ? { source: c.source } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}

/** `tnkit reconstruct NET.tn --out FILE`: the saved network's reconstruction, written by extension. */
export function registerReconstruct(program: Command): void {
  program
    .command('reconstruct')
    .description('contract a saved network (tnkit search --out, complete --save) back into the tensor, in the original input\'s layout')
    .argument('<network>', 'a .tn network file with its compressor metadata')
    .requiredOption('--out <file>', '.npy (any tensor), .png (a grey or RGB image, 8-bit) or .u8/.u8.gz (8-bit raw video + sidecar .json)')
    .option('--json', 'print a summary as JSON on stdout')
    .action((network: string, opts: ReconstructCliOptions) => {
      const s = runReconstruct(network, opts);
      if (opts.json) {
        process.stdout.write(JSON.stringify(s) + '\n');
        return;
      }
      console.log(`wrote   ${s.out} [${s.shape.join('×')}]`);
      console.log(`network ${s.method}, params ${s.params} (CR ${s.cr.toPrecision(4)}), rse ${s.rse.toExponential(4)} when saved`);
    });
}
