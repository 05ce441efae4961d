import { Command, CommanderError } from 'commander';
import { registerBench } from './bench.js';
import { registerDecompose } from './decompose.js';
import { registerTrain } from './train.js';
import { registerAnomaly } from './anomaly.js';
import { registerPredict } from './predict.js';
import { registerSearch } from './search.js';
import { registerSynth } from './synth.js';
import { registerComplete } from './complete.js';
import { registerInfo } from './info.js';
import { registerReconstruct } from './reconstruct.js';
import { registerReport } from './report.js';
import { registerDemo } from './demo.js';
import { packageVersion } from './version.js';

/** Builds the `tnkit` command-line program. */
export function createProgram(): Command {
  const program = new Command('tnkit')
    .description('tensor networks: fast tensor core, einsum, linear algebra, networks, training and structure search')
    .version(packageVersion());
  registerInfo(program);
  registerBench(program);
  registerDecompose(program);
  registerTrain(program);
  registerAnomaly(program);
  registerPredict(program);
  registerSearch(program);
  registerSynth(program);
  registerComplete(program);
  registerReconstruct(program);
  registerReport(program);
  registerDemo(program);
  return program;
}

/** Runs the CLI; errors are printed as one line on stderr with exit status 1 (no stack trace). */
export async function main(argv = process.argv): Promise<void> {
  const program = createProgram().exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(`tnkit: ${(e as Error).message}\n`);
    if (process.env['TNKIT_DEBUG']) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  }
}
