import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { contractCores, randomCores } from '../decompose/contract-cores.js';
import { assertRankMatrix } from '../decompose/rank-matrix.js';
import { writeNpy } from '../io/npy-file.js';
import { paramCount } from '../network/index.js';
import { numberFlag } from './search.js';
import { parseShape } from './parse.js';

/** Options of `tnkit synth`. */
export interface SynthCliOptions {
  ranks: string;
  dims: string;
  seed: string;
  out: string;
  json?: boolean;
}

/** Writes the contraction of random Gaussian cores on the graph of a rank matrix; returns a summary. */
export function runSynth(opts: SynthCliOptions): { shape: number[]; params: number; cr: number; out: string } {
  const dims = parseShape(opts.dims, '--dims');
  let R: unknown;
  try {
    R = JSON.parse(readFileSync(opts.ranks, 'utf8'));
  } catch (e) {
    throw new Error(`--ranks ${opts.ranks}: cannot read the rank matrix JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!Array.isArray(R)) throw new Error(`--ranks ${opts.ranks}: expected a JSON array of ${dims.length} rows (the N×N rank matrix)`);
  assertRankMatrix(R as number[][], dims.length, `--ranks ${opts.ranks}`);
  const seed = numberFlag(opts.seed, '--seed', Number.isInteger, 'an integer');
  const rm = R as number[][];
  const x = contractCores(randomCores(dims, rm, { seed }), rm);
  writeNpy(opts.out, x);
  const params = paramCount(rm, dims);
  return { shape: dims, params, cr: params / x.size, out: opts.out };
}

/** `tnkit synth`: a synthetic tensor with a known structure (random Gaussian cores, contracted). */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('write a synthetic tensor: random Gaussian cores on the graph of a rank matrix, contracted')
    .requiredOption('--ranks <file.json>', 'the N×N rank matrix (R[i][j] = bond between cores i and j, 1 = no edge)')
    .requiredOption('--dims <list>', 'comma-separated physical dimensions (N of them)')
    .option('--seed <n>', 'seed of the cores', '0')
    .requiredOption('--out <file.npy>', 'where to write the tensor')
    .option('--json', 'print a summary as JSON')
    .action((opts: SynthCliOptions) => {
      const s = runSynth(opts);
      if (opts.json) process.stdout.write(JSON.stringify(s) + '\n');
      else console.log(`wrote ${s.out}: shape ${s.shape.join('×')}, true params ${s.params} (CR ${s.cr.toPrecision(4)})`);
    });
}
