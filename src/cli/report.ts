import type { Command } from 'commander';
import { readRunRecord, writeReport } from '../io/report-file.js';

/** Options of `tnkit report`. */
export interface ReportCliOptions {
  out: string;
  json?: boolean;
}

/**
 * Redraws a report from a saved run record: reads and checks RUN.json (naming the first bad
 * field), then writes DIR/index.html and DIR/run.json.
 * @returns the path of the written index.html.
 */
export async function runReport(runJson: string, opts: ReportCliOptions): Promise<string> {
  if (opts.out.trim() === '') throw new Error('--out: give the folder to write the report into');
  const record = readRunRecord(runJson);
  return writeReport(opts.out, record);
}

/** Registers `tnkit report RUN.json --out DIR`. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('draw the HTML report of a saved run (the run.json a --report folder holds) into a folder')
    .argument('<run.json>', 'a run record written by --report DIR or tnkit demo')
    .requiredOption('--out <dir>', 'folder to write index.html and run.json into (created when missing)')
    .option('--json', 'print { "report": PATH } as JSON on stdout')
    .action(async (runJson: string, opts: ReportCliOptions) => {
      const index = await runReport(runJson, opts);
      if (opts.json) process.stdout.write(`${JSON.stringify({ report: index })}\n`);
      else process.stdout.write(`report: ${index}\n`);
    });
}
