import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { encode } from 'fast-png';
import { contractCores } from '../decompose/contract-cores.js';
import { mpsnr, psnr, rse } from '../decompose/metrics.js';
import { writeNpy } from '../io/npy-file.js';
import { search } from '../search/strategies.js';
import { Tensor } from '../tensor/tensor.js';
import { loadDecomposeInput } from './decompose.js';
import { maskFromFlags, numberFlag } from './search.js';
import { parseShape } from './parse.js';

/** Options of `tnkit complete`. */
export interface CompleteCliOptions {
  missing?: string;
  mask?: string;
  seed: string;
  rse: string;
  method: string;
  shape?: string;
  frames?: string;
  budgetSeconds?: string;
  out?: string;
  framesDir?: string;
  json?: boolean;
}

/** What `tnkit complete --json` prints. */
export interface CompleteSummary {
  method: string;
  /** Mean PSNR over the first axis (frames) of the input, in dB. */
  mpsnr: number;
  psnr: number;
  /** RSE on the hidden entries. */
  rse_missing: number;
  cr: number;
  ranks: number[][];
  seconds: number;
}

/**
 * Tensor completion: hides entries (--missing or --mask), searches a structure on the
 * observed ones (RGTN by default; any search method that accepts a mask), and scores
 * the reconstruction on the full tensor. 8-bit inputs are scored with peak 255 and
 * clipped to [0, 255].
 */
export function runComplete(input: string, opts: CompleteCliOptions): CompleteSummary {
  const loaded = loadDecomposeInput(input);
  let original = loaded.tensor.astype('f64');
  if (opts.frames !== undefined) {
    const f = numberFlag(opts.frames, '--frames', (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
    if (f > original.shape[0]!) throw new Error(`--frames ${f}: ${input} has only ${original.shape[0]} along its first axis`);
    original = original.slice([0, f]).copy();
  }
  let x = original;
  if (opts.shape !== undefined) {
    const shape = parseShape(opts.shape, '--shape');
    const size = shape.reduce((p, d) => p * d, 1);
    if (size !== original.size) throw new Error(`--shape ${shape.join(',')} has ${size} entries but the input (after --frames) has shape [${original.shape.join(', ')}] (${original.size} entries)`);
    x = original.reshape(...shape);
  }
  if (opts.missing === undefined && opts.mask === undefined) throw new Error('give --missing FRACTION or --mask FILE.npy (the entries to complete)');
  const seed = numberFlag(opts.seed, '--seed', Number.isInteger, 'an integer');
  const mask = maskFromFlags(x, opts.mask, opts.missing, seed)!;
  const target = numberFlag(opts.rse, '--rse', (v) => v > 0 && v <= 1, 'a relative error in (0, 1]');
  const budget = opts.budgetSeconds === undefined ? undefined : numberFlag(opts.budgetSeconds, '--budget-seconds', (v) => v > 0, 'a positive number of seconds');
  if (opts.method === 'ttsvd' || opts.method === 'trsvd') throw new Error(`--method ${opts.method} cannot complete (it needs every entry)`);
  const started = performance.now();
  const result = search(opts.method, x, { target, seed, mask, truth: x, ...(budget !== undefined ? { budgetSeconds: budget } : {}) });
  const approx = contractCores(result.cores, result.ranks).reshape(...original.shape).copy();
  const seconds = (performance.now() - started) / 1000;
  if (loaded.eightBit) {
    const d = approx.data;
    for (let p = 0; p < d.length; p++) d[p] = Math.min(255, Math.max(0, d[p]!));
  }
  const peak = loaded.eightBit ? { peak: 255 } : {};
  const summary: CompleteSummary = {
    method: opts.method,
    mpsnr: mpsnr(approx, original, peak),
    psnr: psnr(approx, original, peak),
    rse_missing: rse(approx.reshape(...x.shape), x, { mask, missing: true }),
    cr: result.cr,
    ranks: result.ranks,
    seconds,
  };
  if (opts.out !== undefined) writeNpy(opts.out, approx);
  if (opts.framesDir !== undefined) writeFrames(opts.framesDir, approx);
  return summary;
}

/** Writes each slice along the first axis as an 8-bit grey PNG (2-D slices) or RGB (H×W×3). */
function writeFrames(dir: string, t: Tensor): void {
  if (t.ndim !== 3 && t.ndim !== 4) throw new Error(`--frames-dir needs frames × height × width (× 3), got shape [${t.shape.join(', ')}]`);
  const channels = t.ndim === 4 ? t.shape[3]! : 1;
  if (channels !== 1 && channels !== 3) throw new Error(`--frames-dir: the last axis must be 1 or 3 channels, got ${channels}`);
  mkdirSync(dir, { recursive: true });
  const [frames, height, width] = t.shape as [number, number, number];
  const src = t.toTypedArray();
  const per = height * width * channels;
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < src.length; p++) {
    lo = Math.min(lo, src[p]!);
    hi = Math.max(hi, src[p]!);
  }
  // 8-bit data is written as is; other data is stretched to [0, 255].
  const eight = lo >= 0 && hi <= 255;
  for (let f = 0; f < frames; f++) {
    const data = new Uint8Array(per);
    for (let p = 0; p < per; p++) {
      const v = src[f * per + p]!;
      data[p] = Math.round(eight ? v : hi > lo ? ((v - lo) / (hi - lo)) * 255 : 0);
    }
    writeFileSync(join(dir, `frame-${String(f).padStart(4, '0')}.png`), encode({ width, height, data, channels, depth: 8 }));
  }
}

/** `tnkit complete INPUT`: tensor completion by structure search on the observed entries. */
export function registerComplete(program: Command): void {
  program
    .command('complete')
    .description('tensor completion: hide entries, search a structure on the observed ones, report PSNR/MPSNR on the full tensor')
    .argument('<input>', '.npy file, PNG image or raw 8-bit video .u8/.u8.gz with a sidecar JSON')
    .option('--missing <fraction>', 'hide this fraction of entries at random (seeded by --seed)')
    .option('--mask <file.npy>', 'observed entries (non-zero = observed) instead of --missing')
    .option('--seed <n>', 'seed of the mask and of the search', '0')
    .option('--rse <tol>', 'target RSE on the observed entries', '5e-2')
    .option('--method <name>', 'rgtn | greedy | tnga | tnls | tnale', 'rgtn')
    .option('--frames <n>', 'keep only the first n slices of the first axis (video frames)')
    .option('--shape <dims>', 'reshape (after --frames) before the search')
    .option('--budget-seconds <s>', 'wall-clock budget of the search')
    .option('--out <file.npy>', 'write the completed tensor')
    .option('--frames-dir <dir>', 'write the completed frames as PNG')
    .option('--json', 'print the result as JSON on stdout')
    .action((input: string, opts: CompleteCliOptions) => {
      const s = runComplete(input, opts);
      if (opts.json) {
        process.stdout.write(JSON.stringify(s) + '\n');
        return;
      }
      console.log(`mpsnr        ${s.mpsnr.toFixed(2)} dB (psnr ${s.psnr.toFixed(2)} dB)`);
      console.log(`rse_missing  ${s.rse_missing.toExponential(4)}`);
      console.log(`cr           ${s.cr.toPrecision(4)}  ranks ${JSON.stringify(s.ranks)}`);
      console.log(`seconds      ${s.seconds.toFixed(2)}`);
    });
}
