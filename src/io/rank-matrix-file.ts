import { readFileSync } from 'node:fs';
import { assertRankMatrix } from '../decompose/rank-matrix.js';

/**
 * Reads a rank matrix from a JSON file (an array of N rows of N integers, R[i][j] the bond
 * between cores i and j, 1 for none) and checks it for `n` cores. Errors start with
 * `label` (default the file name; the CLI passes its flag, e.g. `--ranks FILE`).
 * @throws Error for an unreadable file or invalid JSON, RangeError for a bad matrix (the first problem named).
 */
export function readRankMatrix(file: string, n: number, label = file): number[][] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${label}: cannot read the rank matrix JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(value)) throw new Error(`${label}: expected a JSON array of ${n} rows (the N×N rank matrix)`);
  assertRankMatrix(value as number[][], n, label);
  return value as number[][];
}
