import { basename } from 'node:path';
import type { Command } from 'commander';
import { RUN_RECORD_VERSION, type RunRecord } from '../report/run-record.js';
import { readNpy } from '../io/npy-file.js';
import { Compressor, type CompressorMethod, type CompressorOptions } from '../estimators/compressor.js';
import { checkOutputDir, writeTensorOutput } from '../io/output-file.js';
import { OUTPUT_FLAG_HELP, runOutputs } from './output-flags.js';
import { writeReport } from '../io/report-file.js';
import { fileCheckpoint, fingerprint } from '../io/search-checkpoint-file.js';
import type { StopFlag } from '../decompose/stop-flag.js';
import { DEFAULT_BUDGET_SECONDS } from '../estimators/compressor.js';
import type { StopReason } from '../search/evaluator.js';
import { exitCodeOf } from './exit-codes.js';
import { runInThread } from './run-in-thread.js';
import { SEARCH_METHODS } from '../search/strategies.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadDecomposeInput } from './decompose.js';
import { nonNegativeInt, numberFlag, parseShape, positiveInt } from './parse.js';
import { withFlagNames } from './estimator-flags.js';
import { bondSpectra, commandLineOf, imageRows, methodTrace, networkDrawing } from './run-records.js';

/** Options of `tnkit search`, as commander parses them. */
export interface SearchCliOptions {
  method: string;
  rse: string;
  mask?: string;
  missing?: string;
  seed: string;
  shape?: string;
  budgetSeconds?: string;
  workers?: string;
  downsample?: string;
  scales?: string;
  checkpoint?: string;
  /** By extension: NET.tn saves the network, FILE.npy|.png|.u8 writes the reconstruction (see {@link runOutputs}). */
  out?: string;
  /** Save the network (.tn). */
  save?: string;
  /** Write the reconstruction (.npy, .png, .u8, .u8.gz), in the input's layout. */
  reconstruct?: string;
  /** Write an HTML report (index.html and run.json) into this folder. */
  report?: string;
  json?: boolean;
}

/** What `tnkit search --json` prints. */
export interface SearchSummary {
  method: string;
  ranks: number[][];
  params: number;
  cr: number;
  rse: number;
  rse_missing?: number;
  /** The target RSE and whether the result meets it (exit status 3 when not). */
  target: number;
  met: boolean;
  /** Set when the search ended early with its best result so far: its budget ran out, or SIGINT/SIGTERM. */
  stopped?: StopReason;
  seconds: number;
  /** Structures evaluated, over every run of a resumed search. */
  evaluations: number;
}

/** What {@link runSearch} returns: the `--json` summary and the run record for reports. */
export interface SearchRun {
  summary: SearchSummary;
  record: RunRecord;
}

/** Loads an input (.npy, .png, .u8(.gz)) and applies --shape (to `loaded` when the input is already read). */
export function loadInput(input: string, shapeFlag: string | undefined, loaded?: Tensor): Tensor {
  const original = loaded ?? loadDecomposeInput(input).tensor;
  if (shapeFlag === undefined) return original.astype('f64');
  const shape = parseShape(shapeFlag, '--shape');
  const size = shape.reduce((p, d) => p * d, 1);
  if (size !== original.size) throw new Error(`--shape ${shape.join(',')} has ${size} entries but ${input} has shape [${original.shape.join(', ')}] (${original.size} entries)`);
  return original.astype('f64').reshape(...shape);
}

/** A random mask: each entry missing with probability `missing` (seeded); 1 = observed. */
export function randomMask(size: number, missing: number, seed: number): Uint8Array {
  const rng = new Random(seed);
  const mask = new Uint8Array(size);
  for (let p = 0; p < size; p++) mask[p] = rng.uniform() < missing ? 0 : 1;
  return mask;
}

/** The mask from --mask FILE.npy or --missing P (none when neither is given). */
export function maskFromFlags(x: Tensor, maskFile: string | undefined, missing: string | undefined, seed: number): Uint8Array | undefined {
  if (maskFile !== undefined && missing !== undefined) throw new Error('give either --mask or --missing, not both');
  if (maskFile !== undefined) {
    const m = readNpy(maskFile);
    if (m.size !== x.size) throw new Error(`--mask ${maskFile} has ${m.size} entries (shape [${m.shape.join(', ')}]) but the tensor has ${x.size}`);
    const d = m.toTypedArray();
    const out = new Uint8Array(x.size);
    for (let p = 0; p < d.length; p++) out[p] = d[p] !== 0 ? 1 : 0;
    if (!out.includes(1)) throw new Error(`--mask ${maskFile}: no entry is observed (all ${out.length} are 0), so there is nothing to fit`);
    return out;
  }
  if (missing === undefined) return undefined;
  const p = numberFlag(missing, '--missing', (v) => v >= 0 && v < 1, 'a fraction in [0, 1)');
  const mask = randomMask(x.size, p, seed);
  if (!mask.includes(1)) throw new Error(`--missing ${missing}: the random mask (seed ${seed}) hides all ${x.size} entries, so there is nothing to fit`);
  return mask;
}

/** --budget-seconds: seconds (0: none), or the default. */
export function budgetFlag(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BUDGET_SECONDS;
  return numberFlag(text, '--budget-seconds', (v) => v >= 0, 'a number of seconds (0: no budget)');
}

/** A progress line for a new best result so far: params, CR, RSE and the bonds (i-j:rank). */
export function bestLine(p: { params: number; cr: number; rse: number; ranks?: number[][]; evaluations?: number; validation?: number }): string {
  const bonds: string[] = [];
  p.ranks?.forEach((row, i) => row.forEach((r, j) => {
    if (j > i && r > 1) bonds.push(`${i}-${j}:${r}`);
  }));
  const rse = p.validation === undefined ? `RSE ${p.rse.toExponential(2)}` : `held-out RSE ${p.validation.toExponential(2)}`;
  return `best: ${p.params} params (CR ${p.cr.toPrecision(3)}), ${rse}${p.evaluations === undefined ? '' : `, ${p.evaluations} evaluated`}${bonds.length ? `, bonds ${bonds.join(' ')}` : ''}`;
}

/** The line that says whether a result met its target. */
export function metLine(met: boolean, rse: number, target: number, stopped: StopReason | undefined): string {
  const why = stopped === 'budget' ? ' (the budget ran out; --budget-seconds raises it)' : stopped === 'interrupted' ? ' (stopped by a signal)' : '';
  return met ? `yes: RSE ${rse.toExponential(3)} ≤ target ${target}${why}` : `no: RSE ${rse.toExponential(3)} > target ${target}${why}; the best result found is kept`;
}

/** Runs `tnkit search` without printing: the summary and the run record (network, trace, bond spectra, images). */
export function runSearch(input: string, opts: SearchCliOptions, onProgress?: (line: string) => void, stop?: StopFlag): SearchRun {
  const startedAt = new Date().toISOString();
  if (!(SEARCH_METHODS as readonly string[]).includes(opts.method)) throw new Error(`--method: '${opts.method}' is not one of ${SEARCH_METHODS.join(', ')}`);
  const target = numberFlag(opts.rse, '--rse', (v) => v > 0 && v <= 1, 'a relative error in (0, 1]');
  const seed = numberFlag(opts.seed, '--seed', Number.isInteger, 'an integer');
  let outputs = runOutputs(opts);
  if (opts.report !== undefined) checkOutputDir('--report', opts.report);
  if (opts.checkpoint !== undefined) {
    if (opts.method !== 'rgtn') throw new Error(`--checkpoint: only --method rgtn saves and resumes a search; ${opts.method} does not (drop --checkpoint)`);
    checkOutputDir('--checkpoint', opts.checkpoint);
  }
  const budget = budgetFlag(opts.budgetSeconds);
  const loaded = loadDecomposeInput(input);
  const original = loaded.tensor.astype('f64');
  const shape = opts.shape === undefined ? undefined : parseShape(opts.shape, '--shape');
  const x = loadInput(input, opts.shape, loaded.tensor);
  outputs = runOutputs(opts, original.shape);
  if (x.ndim < 2) throw new Error(`${input} has shape [${x.shape.join(', ')}]: structure search needs order ≥ 2 (use --shape)`);
  const mask = maskFromFlags(x, opts.mask, opts.missing, seed);
  const options: CompressorOptions = {
    method: opts.method as CompressorMethod,
    rse: target,
    seed,
    source: {
      file: basename(input), shape: [...original.shape], eightBit: loaded.eightBit,
      ...(opts.missing !== undefined ? { missing: Number(opts.missing) } : {}), ...(opts.mask !== undefined ? { mask: basename(opts.mask) } : {}),
    },
    budgetSeconds: budget,
    ...(stop !== undefined ? { stop } : {}),
    onProgress: (p) => {
      if (p.stage === 'scale') onProgress?.(`scale ${p.scale} [${p.dims!.join('×')}] done: params ${p.params}, CR ${p.cr.toPrecision(3)}, RSE ${p.rse.toExponential(2)}`);
      if (p.stage === 'best') onProgress?.(bestLine(p));
    },
  };
  if (shape !== undefined) options.shape = shape;
  if (opts.workers !== undefined) options.workers = nonNegativeInt(opts.workers, '--workers');
  if (opts.downsample !== undefined) {
    if (opts.downsample !== 'pool' && opts.downsample !== 'decimate') throw new Error(`--downsample: '${opts.downsample}' is not pool or decimate`);
    options.downsample = opts.downsample;
  }
  if (opts.scales !== undefined) options.scales = positiveInt(opts.scales, '--scales');
  if (opts.checkpoint !== undefined) {
    // Bound to the data as searched, the mask and every option that shapes the search.
    options.checkpoint = fileCheckpoint(opts.checkpoint, {
      input: fingerprint(x), shape: `[${x.shape.join(', ')}]`, mask: mask ? fingerprint(mask) : 'none',
      method: opts.method, rse: String(target), seed: String(seed), scales: String(options.scales ?? 1), downsample: options.downsample ?? 'pool',
    }, `--checkpoint ${opts.checkpoint}`);
  }
  const compressor = withFlagNames(() => new Compressor(options));
  withFlagNames(() => compressor.fit(original, mask ? { mask, truth: original } : {}));
  const summary: SearchSummary = {
    method: opts.method, ranks: compressor.ranks, params: compressor.params, cr: compressor.cr, rse: compressor.rse,
    target, met: compressor.met ?? compressor.rse <= target, seconds: compressor.seconds, evaluations: compressor.evaluations,
  };
  if (compressor.rseMissing !== undefined) summary.rse_missing = compressor.rseMissing;
  if (compressor.stopped !== undefined) summary.stopped = compressor.stopped;
  if (outputs.network) compressor.save(outputs.network.path);
  const reconstruction = outputs.tensor || loaded.eightBit ? compressor.reconstruct() : undefined;
  if (outputs.tensor) writeTensorOutput(outputs.tensor.flag, outputs.tensor.path, reconstruction!);
  const label = `${opts.method} on ${basename(input)}`;
  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    kind: 'search',
    title: `search: ${label}`,
    startedAt,
    summary: { ...summary },
    networks: [networkDrawing(label, compressor.dims, compressor.ranks)],
    methods: [methodTrace(opts.method, x.size, compressor.history.at(-1)!, compressor.history.slice(0, -1))],
    spectra: [bondSpectra(label, compressor.cores, compressor.ranks)],
  };
  if (loaded.eightBit) {
    const images = imageRows(basename(input), { original, reconstructed: reconstruction!, ...(mask ? { mask } : {}) });
    if (images.length > 0) record.images = images;
  }
  return { summary, record };
}

/** `tnkit search INPUT`: find a tensor-network structure meeting a target RSE with few parameters. */
export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('tensor-network structure search (RGTN or a baseline): the structure with the fewest parameters found at the target RSE')
    .argument('<input>', '.npy file, PNG image or raw 8-bit video .u8/.u8.gz with a sidecar JSON')
    .option('--method <name>', SEARCH_METHODS.join(' | '), 'rgtn')
    .option('--rse <tol>', 'target relative error on the observed entries', '1e-2')
    .option('--mask <file.npy>', 'observed entries (non-zero = observed), same number of entries as the input')
    .option('--missing <fraction>', 'hide this fraction of entries at random (seeded by --seed)')
    .option('--seed <n>', 'seed of the search and of --missing', '0')
    .option('--shape <dims>', 'reshape the input first (comma-separated; the product must match)')
    .option('--budget-seconds <s>', `wall-clock budget of the search: at its end the best result so far is kept, with "stopped": "budget" (default ${DEFAULT_BUDGET_SECONDS}; 0: none)`)
    .option('--workers <n>', 'tnga/tnls/tnale: evaluate candidates on n worker threads (results do not depend on n; default 0: this thread)')
    .option('--downsample <mode>', 'RGTN pyramid: pool | decimate (default pool)')
    .option('--scales <n>', 'RGTN pyramid levels (default 1)')
    .option('--checkpoint <dir>', 'rgtn: save to DIR after each kept reduction and scale (and when stopped), resume from it; bound to the input, mask and options')
    .option('--out <file>', OUTPUT_FLAG_HELP.out)
    .option('--save <net.tn>', OUTPUT_FLAG_HELP.save)
    .option('--reconstruct <file>', OUTPUT_FLAG_HELP.reconstruct)
    .option('--report <dir>', 'write an HTML report (index.html, run.json) into DIR')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (input: string, opts: SearchCliOptions, cmd: Command) => {
      const run = await runInThread('search', input, opts, budgetFlag(opts.budgetSeconds), (onProgress, stop) => runSearch(input, opts, onProgress, stop));
      const { summary, record } = run.result;
      record.command = commandLineOf(cmd);
      if (opts.report !== undefined) process.stderr.write(`report: ${await writeReport(opts.report, record)}\n`);
      process.exitCode = exitCodeOf(summary.met, run.signal);
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary) + '\n');
        return;
      }
      console.log(`method       ${summary.method}`);
      console.log(`ranks        ${JSON.stringify(summary.ranks)}`);
      console.log(`params       ${summary.params} (CR ${summary.cr.toPrecision(4)})`);
      console.log(`rse          ${summary.rse.toExponential(4)}${summary.rse_missing === undefined ? '' : ` (missing entries ${summary.rse_missing.toExponential(4)})`}`);
      console.log(`met          ${metLine(summary.met, summary.rse, summary.target, summary.stopped)}`);
      console.log(`seconds      ${summary.seconds.toFixed(2)}${summary.stopped ? ` (stopped: ${summary.stopped})` : ''}`);
      console.log(`evaluations  ${summary.evaluations}`);
    });
}
