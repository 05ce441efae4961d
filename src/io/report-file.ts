/**
 * Reports on disk: a folder holding `index.html` (the self-contained page) and `run.json`
 * (the record it was drawn from, so `tnkit report run.json` can redraw it).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from '../report/index.js';
import { parseRunRecord } from '../report/parse-run-record.js';
import type { RunRecord } from '../report/run-record.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * Writes `dir/index.html` and `dir/run.json` (each atomically), creating `dir` when needed.
 * The page is drawn before anything is written, so a failure leaves an earlier report whole.
 * @returns the path of index.html.
 * @throws Error naming `dir` when it cannot be created or written.
 */
export async function writeReport(dir: string, record: RunRecord): Promise<string> {
  const html = await renderReportHtml(record);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new Error(`${dir}: cannot create the folder: ${(error as Error).message}`, { cause: error });
  }
  const index = join(dir, 'index.html');
  writeFileAtomic(join(dir, 'run.json'), JSON.stringify(record, null, 1) + '\n');
  writeFileAtomic(index, html);
  return index;
}

/**
 * Reads and checks a saved run record.
 * @throws Error naming `path` and, for a malformed record, the first bad field (`path: roc.tpr: …`).
 */
export function readRunRecord(path: string): RunRecord {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseRunRecord(value);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}
