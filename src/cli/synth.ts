import type { Command } from 'commander';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { writeNpy } from '../io/npy-file.js';
import { checkOutputFile } from '../io/output-file.js';
import { readRankMatrix } from '../io/rank-matrix-file.js';
import { paramCount, randomGraphRankMatrix } from '../network/index.js';
import { numberFlag, parseShape } from './parse.js';

/** Options of `tnkit synth`. */
export interface SynthCliOptions {
  /** The rank matrix file; or --graph random. */
  ranks?: string;
  /** 'random': draw the rank matrix (see --order, --edge-prob, --rank-range, --graph-seed). */
  graph?: string;
  order?: string;
  edgeProb?: string;
  rankRange?: string;
  graphSeed?: string;
  /** Where to write the rank matrix as JSON (useful with --graph random). */
  ranksOut?: string;
  dims: string;
  seed: string;
  out: string;
  json?: boolean;
}

/** What `tnkit synth` wrote: the tensor's shape, the true structure and its parameter count. */
export interface SynthSummary {
  shape: number[];
  ranks: number[][];
  params: number;
  cr: number;
  out: string;
}

/** Parses --rank-range 'lo,hi' (or a single 'r' for lo = hi = r): integers with 2 ≤ lo ≤ hi. */
function parseRankRange(value: string): [number, number] {
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if ((parts.length !== 1 && parts.length !== 2) || parts.some((s) => s === '') || nums.some((r) => !Number.isInteger(r) || r < 2)) {
    throw new Error(`--rank-range: '${value}' is not 'lo,hi' with integers 2 ≤ lo ≤ hi (a bond of dimension 1 is no bond)`);
  }
  const lo = nums[0]!;
  const hi = nums[nums.length - 1]!;
  if (hi < lo) throw new Error(`--rank-range: '${value}' has hi ${hi} < lo ${lo}`);
  return [lo, hi];
}

/** The dims and the rank matrix of a --graph random tensor. */
function randomGraphStructure(opts: SynthCliOptions): { dims: number[]; R: number[][] } {
  let dims = parseShape(opts.dims, '--dims');
  const order = opts.order === undefined ? dims.length : numberFlag(opts.order, '--order', (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2');
  // Checked before any array of `order` entries is built.
  if (order > MAX_CORES) throw new Error(`--order ${order}: synth writes at most ${MAX_CORES} cores (${MAX_CORES + 1} modes of dimension ≥ 2 already exceed the ${grouped(SYNTH_MAX_ENTRIES)} entries it can write): use a smaller --order`);
  if (dims.length === 1 && order > 1) dims = new Array<number>(order).fill(dims[0]!);
  if (dims.length !== order) throw new Error(`--dims has ${dims.length} entries but --order is ${order}: give one dimension per core, or a single one for all`);
  if (order < 2) throw new Error(`--graph random needs at least 2 cores: give --order N (N ≥ 2) or N entries in --dims`);
  const edgeProb = numberFlag(opts.edgeProb ?? '0.3', '--edge-prob', (v) => v >= 0 && v <= 1, 'a probability in [0, 1]');
  const rankRange = parseRankRange(opts.rankRange ?? '2,4');
  const seed = numberFlag(opts.graphSeed ?? '0', '--graph-seed', Number.isInteger, 'an integer');
  return { dims, R: randomGraphRankMatrix(order, { edgeProb, rankRange, seed }) };
}

/** The most cores of a synthetic tensor: 2^30 entries (30 modes of 2) exceed {@link SYNTH_MAX_ENTRIES}. */
const MAX_CORES = 29;

/**
 * The most entries `tnkit synth` writes: it builds the whole tensor in memory and writes
 * it as one .npy buffer, and one buffer holds at most 4 GiB (2^32 bytes) in Node; 8 bytes
 * an entry, less room for the header.
 */
export const SYNTH_MAX_ENTRIES = 2 ** 29 - 512;

/** `n` with thousands separators (1,000,000,000), or as 1.0e30 past 21 digits. */
function grouped(n: bigint | number): string {
  const digits = n.toString();
  if (digits.length > 21) return `${digits[0]}.${digits[1]}e${digits.length - 1}`;
  return n.toLocaleString('en-US');
}

/** Float64 bytes of `n` entries in words (8.0 GB). */
function sizeInWords(entries: bigint): string {
  const bytes = Number(entries) * 8;
  if (bytes >= 1e18) return `${grouped(entries * 8n)} bytes`;
  const units: [number, string][] = [[1e15, 'PB'], [1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [scale, unit] of units) if (bytes >= scale) return `${(bytes / scale).toPrecision(2)} ${unit}`;
  return `${bytes} bytes`;
}

/**
 * Refuses, before any allocation, a tensor of more than {@link SYNTH_MAX_ENTRIES} entries.
 * The count is exact (BigInt): 1000^10 is named as such, not as Infinity.
 */
function checkSynthSize(dims: readonly number[]): void {
  const entries = dims.reduce((p, d) => p * BigInt(d), 1n);
  if (entries <= BigInt(SYNTH_MAX_ENTRIES)) return;
  throw new Error(`--dims ${dims.join(',')}: the tensor would have ${grouped(entries)} entries (${sizeInWords(entries)} as float64); `
    + `synth builds it in memory and writes one .npy of at most 4 GiB, so at most ${grouped(SYNTH_MAX_ENTRIES)} entries: use smaller --dims`);
}

/** Contracts the cores, turning an allocation failure (an intermediate too large, or too little memory) into a message naming the size. */
function contractOrExplain(dims: readonly number[], R: number[][], seed: number): ReturnType<typeof contractCores> {
  try {
    return contractCores(randomCores(dims, R, { seed }), R);
  } catch (error) {
    const message = (error as Error).message;
    if (!(error instanceof RangeError) || !/Invalid typed array length|Array buffer allocation failed|Invalid array length/.test(message)) throw error;
    const entries = dims.reduce((p, d) => p * BigInt(d), 1n);
    throw new Error(`--dims ${dims.join(',')}: the tensor of ${grouped(entries)} entries (${sizeInWords(entries)} as float64) or an intermediate `
      + `of its contraction could not be allocated (${message}): use smaller --dims or bond dimensions`, { cause: error });
  }
}

/** Writes the contraction of random Gaussian cores on the graph of a rank matrix; returns a summary. */
export function runSynth(opts: SynthCliOptions): SynthSummary {
  if (opts.graph !== undefined && opts.graph !== 'random') throw new Error(`--graph: '${opts.graph}' is not one of random`);
  if (opts.graph === undefined) {
    for (const [flag, v] of [['--order', opts.order], ['--edge-prob', opts.edgeProb], ['--rank-range', opts.rankRange], ['--graph-seed', opts.graphSeed]] as const) {
      if (v !== undefined) throw new Error(`${flag} only applies with --graph random`);
    }
  }
  if ((opts.ranks === undefined) === (opts.graph === undefined)) throw new Error('give either --ranks <file.json> or --graph random (exactly one)');
  let dims: number[];
  let R: number[][];
  if (opts.ranks !== undefined) {
    dims = parseShape(opts.dims, '--dims');
    R = readRankMatrix(opts.ranks, dims.length, `--ranks ${opts.ranks}`);
  } else {
    ({ dims, R } = randomGraphStructure(opts));
  }
  const seed = numberFlag(opts.seed, '--seed', Number.isInteger, 'an integer');
  checkSynthSize(dims);
  checkOutputFile('--out', opts.out);
  if (opts.ranksOut !== undefined) checkOutputFile('--ranks-out', opts.ranksOut);
  const x = contractOrExplain(dims, R, seed);
  writeNpy(opts.out, x);
  if (opts.ranksOut !== undefined) writeFileAtomic(opts.ranksOut, JSON.stringify(R) + '\n');
  const params = paramCount(R, dims);
  return { shape: dims, ranks: R, params, cr: params / x.size, out: opts.out };
}

/** `tnkit synth`: a synthetic tensor with a known structure (random Gaussian cores, contracted). */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('write a synthetic tensor: random Gaussian cores on the graph of a rank matrix (given, or a random graph), contracted')
    .option('--ranks <file.json>', 'the N×N rank matrix (R[i][j] = bond between cores i and j, 1 = no edge)')
    .option('--graph <kind>', "'random': a random connected graph instead of --ranks (a random spanning tree plus each other pair with --edge-prob)")
    .option('--order <n>', 'with --graph random: number of cores (default: the number of --dims entries)')
    .option('--edge-prob <p>', 'with --graph random: probability of each non-tree bond (default 0.3)')
    .option('--rank-range <lo,hi>', 'with --graph random: bond dimensions drawn uniformly from lo…hi (default 2,4)')
    .option('--graph-seed <n>', 'with --graph random: seed of the graph and its bond dimensions (default 0)')
    .option('--ranks-out <file.json>', 'also write the rank matrix used as JSON')
    .requiredOption('--dims <list>', 'comma-separated physical dimensions (N of them; with --graph random one value stands for all)')
    .option('--seed <n>', 'seed of the cores', '0')
    .requiredOption('--out <file.npy>', 'where to write the tensor')
    .option('--json', 'print a summary as JSON')
    .action((opts: SynthCliOptions) => {
      const s = runSynth(opts);
      if (opts.json) process.stdout.write(JSON.stringify(s) + '\n');
      else {
        process.stdout.write(`wrote ${s.out}: shape ${s.shape.join('×')}, true params ${s.params} (CR ${s.cr.toPrecision(4)})\n`);
        if (opts.graph !== undefined) process.stdout.write(`rank matrix ${JSON.stringify(s.ranks)}\n`);
      }
    });
}
