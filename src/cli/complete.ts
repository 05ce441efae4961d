import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { mpsnr, psnr, rse } from '../decompose/metrics.js';
import { Compressor, type CompressorMethod, type CompressorOptions } from '../estimators/compressor.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { encodePng } from '../io/image.js';
import { checkOutputDir, writeTensorOutput } from '../io/output-file.js';
import { OUTPUT_FLAG_HELP, runOutputs } from './output-flags.js';
import { writeReport } from '../io/report-file.js';
import { SEARCH_METHODS } from '../search/strategies.js';
import { interleavedFold } from '../search/validated-completion.js';
import { RUN_RECORD_VERSION, type RunRecord } from '../report/run-record.js';
import { Tensor } from '../tensor/tensor.js';
import { loadDecomposeInput } from './decompose.js';
import { bestLine, budgetFlag, maskFromFlags, metLine } from './search.js';
import type { StopFlag } from '../decompose/stop-flag.js';
import { DEFAULT_BUDGET_SECONDS } from '../estimators/compressor.js';
import type { StopReason } from '../search/evaluator.js';
import { exitCodeOf } from './exit-codes.js';
import { runInThread } from './run-in-thread.js';
import { nonNegativeInt, numberFlag, parseShape, positiveInt } from './parse.js';
import { withFlagNames } from './estimator-flags.js';
import { bondSpectra, commandLineOf, imageRows, isImageShape, isVideoShape, methodTrace, networkDrawing } from './run-records.js';

/** Options of `tnkit complete`. */
export interface CompleteCliOptions {
  missing?: string;
  mask?: string;
  seed: string;
  rse: string;
  method: string;
  shape?: string;
  fold?: string;
  frames?: string;
  budgetSeconds?: string;
  /** By extension: NET.tn saves the network, FILE.npy|.png|.u8 writes the reconstruction (see {@link runOutputs}). */
  out?: string;
  /** Save the network (.tn). */
  save?: string;
  /** Write the reconstruction (.npy, .png, .u8, .u8.gz), in the input's layout. */
  reconstruct?: string;
  /** Write an HTML report into this folder. */
  report?: string;
  framesDir?: string;
  validation?: string;
  iters?: string;
  finalIters?: string;
  workers?: string;
  smoothness?: string;
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
  /** RSE of the fit on the observed entries (what --rse targets). */
  rse_observed: number;
  cr: number;
  ranks: number[][];
  seconds: number;
  /** Validated growth: RSE on the held-out observed entries of the chosen structure. */
  rse_validation?: number;
  /** Structures fitted. */
  evaluations: number;
  /** With --smoothness: the smoothness weight per mode used (the chosen one with `auto`). */
  smoothness?: number[];
  /**
   * Search methods: the target RSE on the observed entries and whether the result meets it
   * (exit status 3 when not). Absent for validated, which has no target (it picks by held-out error).
   */
  target?: number;
  met?: boolean;
  /** Set when the run ended early with its best result so far: its budget ran out, or SIGINT/SIGTERM. */
  stopped?: StopReason;
}

/** What {@link runComplete} returns: the `--json` summary and the run record for reports. */
export interface CompleteRun {
  summary: CompleteSummary;
  record: RunRecord;
}

/**
 * Tensor completion: hides entries (--missing or --mask), searches a structure on the
 * observed ones (by default {@link validatedCompletion}, chosen by held-out error; or any
 * search method that accepts a mask, run to --rse on the observed entries), and scores
 * the reconstruction on the full tensor. 8-bit inputs are scored with peak 255 and
 * clipped to [0, 255].
 */
export function runComplete(input: string, opts: CompleteCliOptions, onProgress?: (line: string) => void, stop?: StopFlag): CompleteRun {
  const startedAt = new Date().toISOString();
  let outputs = runOutputs(opts);
  if (opts.report !== undefined) checkOutputDir('--report', opts.report);
  if (opts.framesDir !== undefined) checkOutputDir('--frames-dir', opts.framesDir);
  const loaded = loadDecomposeInput(input);
  let original = loaded.tensor.astype('f64');
  if (opts.frames !== undefined) {
    const f = positiveInt(opts.frames, '--frames');
    if (f > original.shape[0]!) throw new Error(`--frames ${f}: ${input} has only ${original.shape[0]} along its first axis`);
    original = original.slice([0, f]).copy();
  }
  outputs = runOutputs(opts, original.shape);
  if (opts.framesDir !== undefined) framesKind(original.shape);
  if (opts.shape !== undefined && opts.fold !== undefined) throw new Error('give either --shape or --fold, not both');
  let fold: number[][] | undefined;
  let shape: number[] | undefined;
  let modes = original.ndim;
  if (opts.fold !== undefined) {
    fold = parseFold(opts.fold);
    try {
      modes = interleavedFold(original.shape, fold).shape.length;
    } catch (error) {
      throw new Error(`--fold ${opts.fold}: ${(error as Error).message.replace(/^interleavedFold: /, '')} (the input has shape [${original.shape.join(', ')}])`, { cause: error });
    }
  }
  if (opts.shape !== undefined) {
    shape = parseShape(opts.shape, '--shape');
    const size = shape.reduce((p, d) => p * d, 1);
    if (size !== original.size) throw new Error(`--shape ${shape.join(',')} has ${size} entries but the input (after --frames) has shape [${original.shape.join(', ')}] (${original.size} entries)`);
    modes = shape.length;
  }
  if (opts.missing === undefined && opts.mask === undefined) throw new Error('give --missing FRACTION or --mask FILE.npy (the entries to complete)');
  const seed = numberFlag(opts.seed, '--seed', Number.isInteger, 'an integer');
  // The mask is drawn (or read) in the input's layout; the compressor reshapes or folds it with the data.
  const mask = maskFromFlags(original, opts.mask, opts.missing, seed)!;
  const target = numberFlag(opts.rse, '--rse', (v) => v > 0 && v <= 1, 'a relative error in (0, 1]');
  const budget = budgetFlag(opts.budgetSeconds);
  if (opts.method === 'ttsvd' || opts.method === 'trsvd') throw new Error(`--method ${opts.method} cannot complete (it needs every entry)`);
  if (opts.method !== 'validated' && !(SEARCH_METHODS as readonly string[]).includes(opts.method)) {
    throw new Error(`--method: '${opts.method}' is not one of validated, ${SEARCH_METHODS.filter((m) => m !== 'ttsvd' && m !== 'trsvd').join(', ')}`);
  }
  const options: CompressorOptions = {
    method: opts.method as CompressorMethod,
    seed,
    source: {
      file: basename(input), shape: [...loaded.tensor.shape], eightBit: loaded.eightBit,
      ...(opts.frames !== undefined ? { frames: original.shape[0] } : {}),
      ...(opts.missing !== undefined ? { missing: Number(opts.missing) } : {}), ...(opts.mask !== undefined ? { mask: basename(opts.mask) } : {}),
    },
  };
  options.budgetSeconds = budget;
  if (stop !== undefined) options.stop = stop;
  if (onProgress !== undefined) options.onProgress = (p) => { if (p.stage === 'best') onProgress(bestLine(p)); };
  if (fold) options.fold = fold;
  if (shape) options.shape = shape;
  if (loaded.eightBit) options.clip = [0, 255];
  if (opts.method === 'validated') {
    options.validation = opts.validation === undefined ? 0.1 : numberFlag(opts.validation, '--validation', (v) => v > 0 && v < 1, 'a fraction in (0, 1)');
    options.iters = opts.iters === undefined ? 20 : positiveInt(opts.iters, '--iters');
    options.finalIters = opts.finalIters === undefined ? 3 * options.iters : positiveInt(opts.finalIters, '--final-iters');
    options.workers = opts.workers === undefined ? 0 : nonNegativeInt(opts.workers, '--workers');
    const smoothness = smoothnessFlag(opts.smoothness, modes, true);
    if (smoothness !== undefined) options.smoothness = smoothness;
  } else {
    options.rse = target;
    const smoothness = smoothnessFlag(opts.smoothness, modes, false);
    if (smoothness !== undefined) options.smoothness = smoothness;
  }
  const compressor = withFlagNames(() => new Compressor(options));
  const started = performance.now();
  withFlagNames(() => compressor.fit(original, { mask, truth: original }));
  // The model everywhere (observed entries too), clipped to [0, 255] for 8-bit inputs.
  const approx = compressor.reconstruct();
  const seconds = (performance.now() - started) / 1000;
  const peak = loaded.eightBit ? { peak: 255 } : {};
  const rseValidation = compressor.rseValidation;
  const smoothnessUsed = compressor.smoothnessUsed;
  const summary: CompleteSummary = {
    method: opts.method,
    mpsnr: mpsnr(approx, original, peak),
    psnr: psnr(approx, original, peak),
    rse_missing: rse(approx, original, { mask, missing: true }),
    rse_observed: compressor.rse,
    cr: compressor.cr,
    ranks: compressor.ranks,
    seconds,
    evaluations: compressor.evaluations,
    ...(rseValidation !== undefined ? { rse_validation: rseValidation } : {}),
    ...(smoothnessUsed !== undefined ? { smoothness: smoothnessUsed } : {}),
    ...(opts.method !== 'validated' ? { target, met: compressor.met ?? compressor.rse <= target } : {}),
    ...(compressor.stopped !== undefined ? { stopped: compressor.stopped } : {}),
  };
  if (outputs.tensor) writeTensorOutput(outputs.tensor.flag, outputs.tensor.path, approx);
  if (outputs.network) compressor.save(outputs.network.path);
  if (opts.framesDir !== undefined) writeFrames(opts.framesDir, original, observedView(original, mask), approx);
  const label = `${opts.method} on ${basename(input)}`;
  const history = compressor.history;
  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    kind: 'complete',
    title: `complete: ${label}`,
    startedAt,
    summary: { ...summary },
    networks: [networkDrawing(label, compressor.dims, compressor.ranks)],
    methods: [methodTrace(opts.method, original.size, { ...history.at(-1)!, seconds }, history.slice(0, -1))],
    spectra: [bondSpectra(label, compressor.cores, compressor.ranks)],
  };
  if (loaded.eightBit) {
    const images = imageRows(basename(input), { original, mask, reconstructed: approx });
    if (images.length > 0) record.images = images;
  }
  return { summary, record };
}

/** --smoothness as the weights per mode ('auto' only where `auto` is allowed, i.e. the validated method). */
function smoothnessFlag(text: string | undefined, modes: number, auto: true): number[] | 'auto' | undefined;
function smoothnessFlag(text: string | undefined, modes: number, auto: false): number[] | undefined;
function smoothnessFlag(text: string | undefined, modes: number, auto: boolean): number[] | 'auto' | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === 'auto') {
    if (!auto) throw new Error('--smoothness auto works with --method validated; give the weights for the other methods');
    return 'auto';
  }
  return parseSmoothnessness(text, modes);
}

/** Parses --smoothness: one non-negative weight for every mode, or a comma list with one per mode. */
function parseSmoothnessness(text: string, modes: number): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map((p) => Number(p));
  if (parts.some((p) => p === '') || values.some((v) => !(v >= 0 && Number.isFinite(v)))) {
    throw new Error(`--smoothness '${text}': expected non-negative numbers, e.g. 0.01 or 0.03,0.01,0.01`);
  }
  if (values.length === 1) return new Array<number>(modes).fill(values[0]!);
  if (values.length !== modes) throw new Error(`--smoothness '${text}' has ${values.length} weights but the tensor being completed has ${modes} modes`);
  return values;
}

/** Parses --fold: one factor list per axis after the first, e.g. `9x16,11x16`. */
function parseFold(value: string): number[][] {
  return value.split(',').map((axis, k) => axis.split('x').map((f) => {
    const d = Number(f.trim());
    if (!Number.isInteger(d) || d < 1) throw new Error(`--fold ${value}: axis ${k + 1} has factor '${f}', not a positive integer`);
    return d;
  }));
}

/** The tensor with its missing entries set to 0 (black in the frames). */
function observedView(t: Tensor, mask: Uint8Array): Tensor {
  const d = Float64Array.from(t.toTypedArray());
  for (let p = 0; p < d.length; p++) if (mask[p] === 0) d[p] = 0;
  return new Tensor(d, [...t.shape]);
}

/**
 * What --frames-dir writes for a tensor of this shape: one image ([H, W] or [H, W, 3]) or
 * frames ([F, H, W] or [F, H, W, 1 | 3]).
 * @throws Error naming --frames-dir and the shape otherwise (checked before any work).
 */
function framesKind(shape: readonly number[]): 'image' | 'video' {
  if (isImageShape(shape)) return 'image';
  if (isVideoShape(shape)) return 'video';
  throw new Error(`--frames-dir: a tensor of shape [${shape.join(', ')}] is neither an image ([H,W] or [H,W,3]) nor a video ([F,H,W] or [F,H,W,3]); use --out FILE.npy`);
}

/**
 * Writes PNGs with the panels side by side (original | observed, missing black | completed):
 * for an image one file, image.png; for a video one file per frame, frame-0000.png, ….
 * 8-bit data are written as they are; other data are stretched to [0, 255] (one scale
 * for all panels).
 */
function writeFrames(dir: string, ...panels: Tensor[]): void {
  const first = panels[0]!;
  const video = framesKind(first.shape) === 'video';
  const frameShape = video ? first.shape.slice(1) : [...first.shape];
  const [height, width] = frameShape as [number, number];
  const channels = frameShape.length === 3 ? frameShape[2]! : 1;
  const frames = video ? first.shape[0]! : 1;
  mkdirSync(dir, { recursive: true });
  const srcs = panels.map((p) => p.toTypedArray());
  let lo = Infinity;
  let hi = -Infinity;
  for (const src of srcs) {
    for (let p = 0; p < src.length; p++) {
      lo = Math.min(lo, src[p]!);
      hi = Math.max(hi, src[p]!);
    }
  }
  const eight = lo >= 0 && hi <= 255;
  const gap = 2;
  const outWidth = panels.length * width + (panels.length - 1) * gap;
  const rowLen = width * channels;
  for (let f = 0; f < frames; f++) {
    const data = new Float64Array(height * outWidth * channels).fill(255);
    srcs.forEach((src, k) => {
      for (let i = 0; i < height; i++) {
        for (let q = 0; q < rowLen; q++) {
          const v = src[f * height * rowLen + i * rowLen + q]!;
          data[(i * outWidth + k * (width + gap)) * channels + q] = eight ? v : hi > lo ? ((v - lo) / (hi - lo)) * 255 : 0;
        }
      }
    });
    const name = video ? `frame-${String(f).padStart(4, '0')}.png` : 'image.png';
    writeFileAtomic(join(dir, name), encodePng(new Tensor(data, channels === 1 ? [height, outWidth] : [height, outWidth, channels]), join(dir, name)));
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
    .option('--rse <tol>', 'target RSE on the observed entries (search methods other than validated)', '5e-2')
    .option('--method <name>', 'validated (growth chosen by held-out error) | rgtn | greedy | tnga | tnls | tnale (to --rse on the observed entries)', 'validated')
    .option('--validation <fraction>', 'validated: fraction of the observed entries held out (default 0.1)')
    .option('--iters <n>', 'validated: ALS sweeps per candidate (default 20)')
    .option('--final-iters <n>', 'validated: ALS sweeps of the final refit on all observed entries (default 3 × --iters)')
    .option('--workers <n>', 'validated: worker threads for the candidates of a step (default 0)')
    .option('--frames <n>', 'keep only the first n slices of the first axis (video frames)')
    .option('--shape <dims>', 'reshape (after --frames) before the search')
    .option('--fold <factors>', 'higher-order fold with interleaved factors: one list per axis after the first, coarse to fine, e.g. 9x16,11x16 turns 20x144x176 into [20, 9, 11, 16, 16] (mask drawn before folding)')
    .option('--smoothness <weights>', 'smoothness penalty along each mode (one weight, or one per mode of the tensor after --shape/--fold), relative to the mean eigenvalue of the Gram matrix; for ordered axes (frames, rows, columns), e.g. 0.01; auto (validated only): chosen from 0.003, 0.01, 0.03, 0.1 by held-out error')
    .option('--budget-seconds <s>', `wall-clock budget (validated: the whole call, 20% of it kept for the final refit); at its end the best result so far is kept, with "stopped": "budget" (default ${DEFAULT_BUDGET_SECONDS}; 0: none)`)
    .option('--out <file>', OUTPUT_FLAG_HELP.out)
    .option('--save <net.tn>', OUTPUT_FLAG_HELP.save)
    .option('--reconstruct <file>', `${OUTPUT_FLAG_HELP.reconstruct}; the completed tensor is the model at every entry, 8-bit inputs clipped to [0, 255]`)
    .option('--frames-dir <dir>', 'write PNGs of original | observed (missing black) | completed side by side: image.png for an image, frame-0000.png … (one per frame) for a video')
    .option('--report <dir>', 'write an HTML report (index.html, run.json) into DIR')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (input: string, opts: CompleteCliOptions, cmd: Command) => {
      const run = await runInThread('complete', input, opts, budgetFlag(opts.budgetSeconds), (onProgress, stop) => runComplete(input, opts, onProgress, stop));
      const { summary: s, record } = run.result;
      record.command = commandLineOf(cmd);
      if (opts.report !== undefined) process.stderr.write(`report: ${await writeReport(opts.report, record)}\n`);
      process.exitCode = exitCodeOf(s.met, run.signal);
      if (opts.json) {
        process.stdout.write(JSON.stringify(s) + '\n');
        return;
      }
      console.log(`mpsnr        ${s.mpsnr.toFixed(2)} dB (psnr ${s.psnr.toFixed(2)} dB)`);
      console.log(`rse_missing  ${s.rse_missing.toExponential(4)}`);
      console.log(`cr           ${s.cr.toPrecision(4)}  ranks ${JSON.stringify(s.ranks)}`);
      if (s.rse_validation !== undefined) console.log(`held-out     rse ${s.rse_validation.toExponential(4)}${s.smoothness ? `  smoothness ${s.smoothness.join(',')}` : ''}`);
      if (s.met !== undefined) console.log(`met          ${metLine(s.met, s.rse_observed, s.target!, s.stopped)}`);
      console.log(`seconds      ${s.seconds.toFixed(2)}  (${s.evaluations} structures fitted)${s.stopped ? ` (stopped: ${s.stopped})` : ''}`);
    });
}
