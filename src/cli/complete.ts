import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { encode } from 'fast-png';
import { contractCores } from '../decompose/contract-cores.js';
import { fitCores } from '../decompose/fit-cores.js';
import { mpsnr, psnr, rse } from '../decompose/metrics.js';
import { writeNpy } from '../io/npy-file.js';
import { Evaluator, type Evaluation } from '../search/evaluator.js';
import { resultOf, type SearchResult } from '../search/rgtn.js';
import { search, SEARCH_METHODS } from '../search/strategies.js';
import { allPairs, withBond } from '../search/structure.js';
import { evaluateBatch, poolFor } from '../search/worker-pool.js';
import { Random } from '../tensor/random.js';
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
  validation?: string;
  iters?: string;
  workers?: string;
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
  /** Validated growth: RSE on the held-out observed entries of the chosen structure. */
  rse_validation?: number;
  /** Structures fitted. */
  evaluations: number;
}

/** Options of {@link validatedGrowth}. */
export interface ValidatedGrowthOptions {
  /** Observed entries (1 = observed), C order. */
  mask: Uint8Array;
  /** Fraction of the observed entries held out for validation (default 0.1). */
  validation?: number;
  seed?: number;
  /** ALS sweeps per candidate (default 20); the final refit runs 3× as many. */
  iters?: number;
  /** Steps without a better validation error before stopping (default 2). */
  patience?: number;
  budgetSeconds?: number;
  /** Worker threads for the candidates of a step (default 0: this thread). */
  workers?: number;
  /** The full tensor, to report the RSE on the missing entries. */
  truth?: Tensor;
}

/**
 * Structure search for completion, chosen by held-out error. Fitting the observed
 * entries to a target RSE overfits when most entries are missing (the error on the
 * observed entries keeps falling as ranks grow while the error on the missing ones
 * rises), so a part of the observed entries is held out: greedy growth from rank 1
 * (each step tries every bond, and every new edge, one size larger — +1, or +25% for
 * large bonds — warm-started from the current cores and fitted on the training entries)
 * moves to the candidate with the lowest validation RSE, stops when that has not improved
 * for `patience` steps, and the best structure by validation is refitted on all
 * observed entries. The candidates of a step are independent: `workers` fits them in parallel.
 */
export function validatedGrowth(x: Tensor, options: ValidatedGrowthOptions): SearchResult & { rseValidation: number } {
  const { validation = 0.1, seed = 0, iters = 20, patience = 2, mask } = options;
  if (!(validation > 0 && validation < 1)) throw new RangeError(`validatedGrowth: validation must be a fraction in (0, 1), got ${validation}`);
  if (mask.length !== x.size) throw new RangeError(`validatedGrowth: the mask has ${mask.length} entries but the tensor has ${x.size}`);
  // Split the observed entries: train (fit) and held out (select).
  const rng = new Random(seed * 7919 + 17);
  const train = new Uint8Array(mask.length);
  const held: number[] = [];
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] === 0) continue;
    if (rng.uniform() < validation) held.push(p);
    else train[p] = 1;
  }
  if (held.length === 0) throw new RangeError('validatedGrowth: no observed entry was held out (too few observed entries)');
  const xs = x.toTypedArray();
  let heldNorm = 0;
  for (const p of held) heldNorm += xs[p]! * xs[p]!;
  const validationRse = (e: Evaluation): number => {
    const m = contractCores(e.cores, e.R).toTypedArray();
    let err = 0;
    for (const p of held) err += (m[p]! - xs[p]!) ** 2;
    return Math.sqrt(err / Math.max(heldNorm, 1e-300));
  };
  // Target 0: no candidate is "feasible", so every fit runs its sweeps (or stalls by tol).
  const ev = new Evaluator(x, { target: 0, mask: train, seed, iters, restarts: 0, tol: 1e-5, ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}) });
  const pool = poolFor(ev, options.workers);
  const n = x.ndim;
  const ones = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  let cur = evaluateBatch(ev, [{ R: ones }], pool)[0]!;
  let best = { e: cur, v: validationRse(cur) };
  try {
    let stale = 0;
    while (stale < patience && !ev.timeUp()) {
      const batch = allPairs(n).map(([i, j]) => {
        const r = cur.R[i]![j]!;
        return { R: withBond(cur.R, i, j, r === 1 ? 2 : r + Math.max(1, Math.round(r / 4))), init: { R: cur.R, cores: cur.cores } };
      });
      let step: { e: Evaluation; v: number } | undefined;
      for (const e of evaluateBatch(ev, batch, pool)) {
        const v = validationRse(e);
        if (!step || v < step.v) step = { e, v };
      }
      if (!step) break;
      cur = step.e;
      if (step.v < best.v * (1 - 1e-3)) {
        best = step;
        stale = 0;
      } else stale++;
    }
  } finally {
    pool?.close();
  }
  // Refit the chosen structure on every observed entry, from its training fit.
  const fit = fitCores(x, best.e.R, { init: best.e.cores, mask, iters: 3 * iters, tol: 1e-6, ...(options.truth ? { truth: options.truth } : {}) });
  const final: Evaluation = { ...best.e, rse: fit.rse, cores: fit.cores };
  if (fit.rseMissing !== undefined) final.rseMissing = fit.rseMissing;
  return { ...resultOf('validated', ev, final, ev.seconds()), rseValidation: best.v };
}

/**
 * Tensor completion: hides entries (--missing or --mask), searches a structure on the
 * observed ones (by default {@link validatedGrowth}, chosen by held-out error; or any
 * search method that accepts a mask, run to --rse on the observed entries), and scores
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
  if (opts.method !== 'validated' && !(SEARCH_METHODS as readonly string[]).includes(opts.method)) {
    throw new Error(`--method: '${opts.method}' is not one of validated, ${SEARCH_METHODS.filter((m) => m !== 'ttsvd' && m !== 'trsvd').join(', ')}`);
  }
  const started = performance.now();
  let result: SearchResult;
  let rseValidation: number | undefined;
  if (opts.method === 'validated') {
    const validation = opts.validation === undefined ? 0.1 : numberFlag(opts.validation, '--validation', (v) => v > 0 && v < 1, 'a fraction in (0, 1)');
    const iters = opts.iters === undefined ? 20 : numberFlag(opts.iters, '--iters', (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
    const workers = opts.workers === undefined ? 0 : numberFlag(opts.workers, '--workers', (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
    const v = validatedGrowth(x, { mask, validation, seed, iters, workers, truth: x, ...(budget !== undefined ? { budgetSeconds: budget } : {}) });
    result = v;
    rseValidation = v.rseValidation;
  } else {
    result = search(opts.method, x, { target, seed, mask, truth: x, ...(budget !== undefined ? { budgetSeconds: budget } : {}) });
  }
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
    evaluations: result.evaluations,
    ...(rseValidation !== undefined ? { rse_validation: rseValidation } : {}),
  };
  if (opts.out !== undefined) writeNpy(opts.out, approx);
  if (opts.framesDir !== undefined) writeFrames(opts.framesDir, observedView(original, mask), approx, original);
  return summary;
}

/** The tensor with its missing entries set to 0 (black in the frames). */
function observedView(t: Tensor, mask: Uint8Array): Tensor {
  const d = Float64Array.from(t.toTypedArray());
  for (let p = 0; p < d.length; p++) if (mask[p] === 0) d[p] = 0;
  return new Tensor(d, [...t.shape]);
}

/**
 * Writes each slice along the first axis as one 8-bit PNG (grey for 2-D slices, RGB for
 * H×W×3): observed entries (missing ones black) | completed | truth, side by side.
 */
function writeFrames(dir: string, ...panels: Tensor[]): void {
  const t = panels[0]!;
  if (t.ndim !== 3 && t.ndim !== 4) throw new Error(`--frames-dir needs frames × height × width (× 3), got shape [${t.shape.join(', ')}]`);
  const channels = t.ndim === 4 ? t.shape[3]! : 1;
  if (channels !== 1 && channels !== 3) throw new Error(`--frames-dir: the last axis must be 1 or 3 channels, got ${channels}`);
  mkdirSync(dir, { recursive: true });
  const [frames, height, width] = t.shape as [number, number, number];
  const srcs = panels.map((p) => p.toTypedArray());
  let lo = Infinity;
  let hi = -Infinity;
  for (const src of srcs) {
    for (let p = 0; p < src.length; p++) {
      lo = Math.min(lo, src[p]!);
      hi = Math.max(hi, src[p]!);
    }
  }
  // 8-bit data is written as is; other data is stretched to [0, 255] (one scale for all panels).
  const eight = lo >= 0 && hi <= 255;
  const gap = 2;
  const outWidth = panels.length * width + (panels.length - 1) * gap;
  const rowLen = width * channels;
  for (let f = 0; f < frames; f++) {
    const data = new Uint8Array(height * outWidth * channels).fill(255);
    srcs.forEach((src, k) => {
      for (let i = 0; i < height; i++) {
        for (let q = 0; q < rowLen; q++) {
          const v = src[f * height * rowLen + i * rowLen + q]!;
          data[(i * outWidth + k * (width + gap)) * channels + q] = Math.round(eight ? v : hi > lo ? ((v - lo) / (hi - lo)) * 255 : 0);
        }
      }
    });
    writeFileSync(join(dir, `frame-${String(f).padStart(4, '0')}.png`), encode({ width: outWidth, height, data, channels, depth: 8 }));
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
    .option('--workers <n>', 'validated: worker threads for the candidates of a step (default 0)')
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
      console.log(`seconds      ${s.seconds.toFixed(2)}  (${s.evaluations} structures fitted)`);
    });
}
