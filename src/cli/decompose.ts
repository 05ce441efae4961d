import { basename } from 'node:path';
import type { Command } from 'commander';
import { cpAls, cpToTensor } from '../decompose/cp-als.js';
import { compressionRatio, psnr, rse } from '../decompose/metrics.js';
import { Compressor, type CompressorOptions } from '../estimators/compressor.js';
import { hosvd, tucker, tuckerToTensor } from '../decompose/tucker.js';
import { readPng } from '../io/image.js';
import { readNpy } from '../io/npy-file.js';
import { checkOutputDir, writeTensorOutput } from '../io/output-file.js';
import { readRankMatrix } from '../io/rank-matrix-file.js';
import { OUTPUT_FLAG_HELP, runOutputs } from './output-flags.js';
import { writeReport } from '../io/report-file.js';
import { readRawVideo } from '../io/video.js';
import { RUN_RECORD_VERSION, type RunRecord } from '../report/run-record.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberFlag, parseShape, positiveInt } from './parse.js';
import { createProgress } from './progress.js';
import { withFlagNames } from './estimator-flags.js';
import { bondSpectra, commandLineOf, imageRows, methodTrace, networkDrawing } from './run-records.js';

/** Options of `tnkit decompose`, as commander parses them. */
export interface DecomposeCliOptions {
  format: string;
  rse?: string;
  ranks?: string;
  rank?: string;
  shape?: string;
  /** By extension: NET.tn saves the network, FILE.npy|.png|.u8 writes the reconstruction (see {@link runOutputs}). */
  out?: string;
  /** Save the network (.tn). */
  save?: string;
  /** Write the reconstruction (.npy, .png, .u8, .u8.gz), in the input's layout. */
  reconstruct?: string;
  /** Write an HTML report into this folder. */
  report?: string;
  seed?: string;
  iters?: string;
  json?: boolean;
}

/** What `tnkit decompose --json` prints. */
export interface DecomposeSummary {
  /** tt, tr, tucker, cp or ranks:FILE.json. */
  format: string;
  /** The tensor's shape as decomposed (after --shape). */
  shape: number[];
  /** The rank list (bonds for tt/tr, multilinear ranks for tucker, [rank] for cp) or the rank matrix. */
  ranks: number[] | number[][];
  params: number;
  /** params / entries. */
  cr: number;
  /** ‖X̂ − X‖/‖X‖, measured on the reconstruction. */
  rse: number;
  /** PSNR in dB with peak 255, for 8-bit inputs (PNG, raw video). */
  psnr?: number;
  /** Wall time of the decomposition (not the file I/O). */
  seconds: number;
}

/** What {@link runDecompose} returns: the `--json` summary and the run record for reports. */
export interface DecomposeRun {
  summary: DecomposeSummary;
  record: RunRecord;
}

/** A loaded input and whether its samples are 8-bit (peak 255 for PSNR). */
interface LoadedInput {
  tensor: Tensor;
  eightBit: boolean;
}

/**
 * Reads a decomposition input: .npy (any numeric dtype → f64/f32), .png (grey or RGB;
 * 8-bit samples become f64 values in [0, 255], alpha is dropped) or a raw 8-bit video
 * .u8/.u8.gz with a sidecar JSON (files[0].shape). Errors name the file.
 */
export function loadDecomposeInput(path: string): LoadedInput {
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return { tensor: readNpy(path), eightBit: false };
  if (lower.endsWith('.png')) return { tensor: readPng(path), eightBit: true };
  if (lower.endsWith('.u8') || lower.endsWith('.u8.gz')) return { tensor: readRawVideo(path), eightBit: true };
  throw new Error(`${path}: unsupported input type; expected .npy, .png, or a raw video .u8/.u8.gz with a sidecar JSON`);
}

/**
 * Runs one decomposition as `tnkit decompose` does: load, reshape, decompose, measure,
 * optionally write the reconstruction (in the input's original shape) as .npy.
 * @throws Error naming the file or flag at fault.
 */
export function runDecompose(input: string, opts: DecomposeCliOptions, onSweep?: (iter: number, total: number, rse: number) => void): DecomposeRun {
  const startedAt = new Date().toISOString();
  let started = performance.now();
  const format = opts.format;
  let outputs = runOutputs(opts);
  if (opts.report !== undefined) checkOutputDir('--report', opts.report);
  if (outputs.network && (format === 'tucker' || format === 'cp')) {
    throw new Error(`${outputs.network.flag}: --format ${format} is not a rank-matrix network; a .tn network is saved with tt, tr and ranks:FILE.json`);
  }
  const loaded = loadDecomposeInput(input);
  const original = loaded.tensor;
  outputs = runOutputs(opts, original.shape);
  let x = original;
  let shape: number[] | undefined;
  if (opts.shape !== undefined) {
    shape = parseShape(opts.shape, '--shape');
    const size = shape.reduce((p, d) => p * d, 1);
    if (size !== original.size) {
      throw new Error(`--shape ${shape.join(',')} has ${size} entries but ${input} has shape [${original.shape.join(', ')}] (${original.size} entries)`);
    }
    x = original.reshape(...shape);
  }
  const n = x.ndim;
  const rseBound = opts.rse === undefined ? undefined : numberFlag(opts.rse, '--rse', (v) => v >= 0 && v <= 1, 'a relative error in [0, 1]');
  const rankList = opts.ranks === undefined ? undefined : parseShape(opts.ranks, '--ranks');
  const oneRank = opts.rank === undefined ? undefined : positiveInt(opts.rank, '--rank');
  if (rankList !== undefined && oneRank !== undefined) throw new Error('give either --ranks or --rank, not both');
  // No bond (or CP rank) above the number of entries can lower the error, and ALS allocates
  // cores of rank² entries up front: --rank 100000 on a small tensor failed deep inside
  // ("Invalid typed array length") or ran for minutes. Refused here, before any work.
  for (const [flag, values] of [['--rank', oneRank === undefined ? [] : [oneRank]], ['--ranks', rankList ?? []]] as const) {
    const big = values.find((r) => r > x.size);
    if (big !== undefined) {
      throw new Error(`${flag} ${big}: more than the ${x.size} entries of the tensor (shape [${x.shape.join(', ')}]); a rank above that cannot help`);
    }
  }
  const seed = opts.seed === undefined ? 0 : numberFlag(opts.seed, '--seed', Number.isInteger, 'an integer');
  const iters = opts.iters === undefined ? undefined : positiveInt(opts.iters, '--iters');
  // Sweep points for the record's trace (params are filled in once the format's size is known).
  const sweepLog: { seconds: number; rse: number }[] = [];
  const sweeps = (total: number) => ({ iter, rse: e }: { iter: number; rse: number }) => {
    sweepLog.push({ seconds: (performance.now() - started) / 1000, rse: e });
    onSweep?.(iter, total, e);
  };
  /** The rank list for a format with `count` ranks, from --ranks or --rank. */
  const ranksFor = (count: number, what: string): number[] | undefined => {
    if (oneRank !== undefined) return new Array<number>(count).fill(oneRank);
    if (rankList !== undefined && rankList.length !== count) {
      throw new Error(`--ranks: ${what} over ${n} modes needs ${count} ranks, got ${rankList.length} (${rankList.join(',')})`);
    }
    return rankList;
  };
  const needSome = (ranks: number[] | undefined): void => {
    if (rseBound === undefined && ranks === undefined) throw new Error(`--format ${format}: give --rse, --ranks or --rank`);
  };

  let ranks: number[] | number[][];
  let params!: number;
  let approx!: Tensor;
  /** tt, tr and ranks: go through the Compressor (which undoes --shape in its reconstruction). */
  let compressor: Compressor | undefined;
  const fit = (options: CompressorOptions): Compressor => {
    const c = withFlagNames(() => new Compressor({
      seed, ...(shape ? { shape } : {}), ...options,
      source: { file: basename(input), shape: [...original.shape], eightBit: loaded.eightBit },
      onProgress: (p) => {
        if (p.stage === 'sweep') onSweep?.(p.iter!, p.total!, p.rse);
      },
    }));
    withFlagNames(() => c.fit(original));
    return c;
  };
  started = performance.now();
  if (format === 'tt') {
    if (n < 2) throw new Error(`--format tt needs at least 2 modes; ${input} has shape [${x.shape.join(', ')}] (use --shape)`);
    const caps = ranksFor(n - 1, 'a tensor train');
    needSome(caps);
    compressor = fit({ method: 'tt', ...(rseBound !== undefined ? { rse: rseBound } : {}), ...(caps ? { ranks: caps } : {}) });
    const R = compressor.ranks;
    ranks = R.slice(0, -1).map((row, k) => row[k + 1]!);
  } else if (format === 'tr') {
    if (n < 3) throw new Error(`--format tr needs at least 3 modes; ${input} has shape [${x.shape.join(', ')}] (use --shape)`);
    const given = ranksFor(n, 'a tensor ring');
    needSome(given);
    compressor = fit({ method: 'tr', ...(rseBound !== undefined ? { rse: rseBound } : { iters: iters ?? 50 }), ...(given ? { ranks: given } : {}) });
    const R = compressor.ranks;
    ranks = R.map((row, k) => row[(k + 1) % n]!);
  } else if (format === 'tucker') {
    const given = ranksFor(n, 'a Tucker decomposition');
    needSome(given);
    const t = given !== undefined
      ? tucker(x, { ranks: given, hooiIters: iters ?? 10, ...(rseBound !== undefined ? { rse: rseBound } : {}) })
      : hosvd(x, { rse: rseBound! });
    ranks = t.ranks;
    params = t.params;
    approx = tuckerToTensor(t.core, t.factors);
  } else if (format === 'cp') {
    if (rseBound !== undefined) throw new Error('--format cp takes --rank N (the CP rank), not --rse');
    const rank = oneRank ?? (rankList?.length === 1 ? rankList[0] : undefined);
    if (rank === undefined) throw new Error('--format cp needs --rank N (or --ranks with one value)');
    const total = iters ?? 200;
    const cp = cpAls(x, rank, { iters: total, seed, onIter: sweeps(total) });
    ranks = [rank];
    params = cp.params;
    approx = cpToTensor(cp.factors);
  } else if (format.startsWith('ranks:')) {
    const file = format.slice('ranks:'.length);
    if (file === '') throw new Error('--format ranks:FILE.json needs a file name after "ranks:"');
    if (rseBound !== undefined || rankList !== undefined || oneRank !== undefined) {
      throw new Error('--format ranks:FILE.json takes its ranks from the file; drop --rse, --ranks and --rank');
    }
    const R = readRankMatrix(file, n);
    compressor = fit({ method: 'ranks', ranks: R, iters: iters ?? 50 });
    ranks = R;
  } else {
    throw new Error(`--format: '${format}' is not one of tt, tr, tucker, cp, ranks:FILE.json`);
  }
  if (compressor) {
    params = compressor.params;
    approx = compressor.reconstruct().reshape(...x.shape);
  }
  const seconds = compressor ? compressor.seconds : (performance.now() - started) / 1000;
  const summary: DecomposeSummary = {
    format,
    shape: [...x.shape],
    ranks,
    params,
    cr: compressionRatio(params, x.size),
    rse: compressor ? compressor.rse : rse(approx, x),
    seconds,
  };
  if (loaded.eightBit) summary.psnr = psnr(approx, x, { peak: 255 });
  const reconstruction = approx.reshape(...original.shape);
  if (outputs.tensor) writeTensorOutput(outputs.tensor.flag, outputs.tensor.path, reconstruction);
  if (outputs.network) compressor!.save(outputs.network.path);
  const label = `${format} on ${basename(input)}`;
  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    kind: 'decompose',
    title: `decompose: ${label}`,
    startedAt,
    summary: { ...summary },
    methods: [methodTrace(format, x.size, summary, compressor ? compressor.history.slice(0, -1) : sweepLog.map((p) => ({ ...p, params: summary.params, cr: summary.cr })))],
  };
  if (compressor) {
    record.networks = [networkDrawing(label, x.shape, compressor.ranks)];
    record.spectra = [bondSpectra(label, compressor.cores, compressor.ranks)];
  }
  if (loaded.eightBit) {
    const images = imageRows(basename(input), { original: original.astype('f64'), reconstructed: reconstruction.astype('f64') });
    if (images.length > 0) record.images = images;
  }
  return { summary, record };
}

/** `tnkit decompose INPUT`: TT, TR, Tucker, CP or any rank-matrix network, with its size and error. */
export function registerDecompose(program: Command): void {
  program
    .command('decompose')
    .description('decompose a tensor (.npy, .png, raw video .u8/.u8.gz) and report parameters, compression ratio and error')
    .argument('<input>', '.npy file, PNG image (grey or RGB, samples as f64 in [0, 255]) or raw 8-bit video .u8/.u8.gz with a sidecar JSON giving files[0].shape')
    .option('--format <format>', 'tt | tr | tucker | cp | ranks:FILE.json (a JSON N×N rank matrix)', 'tt')
    .option('--rse <tol>', 'target relative error (tt: TT-SVD, tr: TR-SVD, tucker: HOSVD); give --rse, --ranks or --rank')
    .option('--ranks <list>', 'comma-separated ranks: N−1 bonds (tt), N ring bonds (tr, ALS), N multilinear ranks (tucker, HOOI)')
    .option('--rank <n>', 'one rank for every bond; for cp, the CP rank')
    .option('--shape <dims>', 'reshape the input first (comma-separated; the product must match)')
    .option('--out <file>', OUTPUT_FLAG_HELP.out)
    .option('--save <net.tn>', `${OUTPUT_FLAG_HELP.save} (tt, tr, ranks:FILE.json)`)
    .option('--reconstruct <file>', OUTPUT_FLAG_HELP.reconstruct)
    .option('--report <dir>', 'write an HTML report (index.html, run.json) into DIR')
    .option('--seed <n>', 'seed of the ALS starting point', '0')
    .option('--iters <n>', 'maximum ALS/HOOI sweeps (default 50 for ALS, 200 for cp, 10 for HOOI)')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (input: string, opts: DecomposeCliOptions, cmd: Command) => {
      const progress = createProgress();
      let summary: DecomposeSummary;
      let record: RunRecord;
      try {
        const run = runDecompose(input, opts, (iter, total, e) => progress.update(iter, total, `sweep ${iter}, rse ${e.toExponential(3)}`));
        summary = run.summary;
        record = run.record;
        record.command = commandLineOf(cmd);
      } finally {
        progress.stop();
      }
      if (opts.report !== undefined) process.stderr.write(`report: ${await writeReport(opts.report, record)}\n`);
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary) + '\n');
        return;
      }
      const ranksText = Array.isArray(summary.ranks[0]) ? JSON.stringify(summary.ranks) : (summary.ranks as number[]).join(',');
      console.log(`format  ${summary.format}`);
      console.log(`shape   ${summary.shape.join('×')}`);
      console.log(`ranks   ${ranksText}`);
      console.log(`params  ${summary.params} (CR ${summary.cr.toPrecision(4)})`);
      console.log(`rse     ${summary.rse.toExponential(4)}${summary.psnr === undefined ? '' : `  (PSNR ${summary.psnr.toFixed(2)} dB)`}`);
      console.log(`seconds ${summary.seconds.toFixed(3)}`);
    });
}
