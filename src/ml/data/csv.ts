import { allocate, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** The label column, by header name or 0-based index (default 'target'). */
  target?: string | number;
  /** dtype of X (default 'f64'). */
  dtype?: DType;
  /** Name used in error messages (a file path; default 'csv'). */
  source?: string;
}

/** A labelled table. */
export interface LabelledTable {
  /** Features [samples, features], the target column removed. */
  X: Tensor;
  /** Integer class labels, one per sample. */
  y: Int32Array;
  /** Header names of the feature columns, in order. */
  featureNames: string[];
  /** Header name of the target column. */
  targetName: string;
}

/** Splits one CSV line into cells (RFC 4180 double quotes, "" for a quote). Returns the cells and their 1-based start columns. */
function splitLine(line: string, where: () => string): { cells: string[]; columns: number[] } {
  const cells: string[] = [];
  const columns: number[] = [];
  let i = 0;
  for (;;) {
    columns.push(i + 1);
    if (line[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new SyntaxError(`${where()}: unterminated quoted cell starting at character ${columns[columns.length - 1]}`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += line[i++];
      }
      cells.push(cell);
      if (i < line.length && line[i] !== ',') throw new SyntaxError(`${where()}: unexpected text after a quoted cell at character ${i + 1}`);
    } else {
      const end = line.indexOf(',', i);
      cells.push((end < 0 ? line.slice(i) : line.slice(i, end)).trim());
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) break;
    i++; // the comma
  }
  return { cells, columns };
}

/** Parses a CSV table with a header row; with `withTarget`, `options.target` names the integer label column. */
function parseTable(text: string, options: CsvOptions, withTarget: boolean): LabelledTable {
  const source = options.source ?? 'csv';
  const lines = text.split(/\r?\n/);
  const headerLine = lines.findIndex((l) => l.trim() !== '');
  if (headerLine < 0) throw new SyntaxError(`${source}: the file is empty (expected a header row)`);
  const header = splitLine(lines[headerLine]!.replace(/^\uFEFF/, ''), () => `${source}:${headerLine + 1}`).cells;
  const target = options.target ?? 'target';
  let targetIndex = -1;
  if (!withTarget) {
    // every column is a feature
  } else if (typeof target === 'number') {
    if (!Number.isInteger(target) || target < 0 || target >= header.length) {
      throw new RangeError(`${source}: target column index ${target} is out of range for ${header.length} columns`);
    }
    targetIndex = target;
  } else {
    targetIndex = header.indexOf(target);
    if (targetIndex < 0) {
      throw new RangeError(`${source}:${headerLine + 1}: no target column "${target}" in the header (columns: ${header.map((h) => `"${h}"`).join(', ')})`);
    }
  }
  const nFeatures = withTarget ? header.length - 1 : header.length;
  const featureNames = header.filter((_, j) => j !== targetIndex);

  const features: number[] = [];
  const labels: number[] = [];
  let rows = 0;
  for (let l = headerLine + 1; l < lines.length; l++) {
    const line = lines[l]!;
    if (line.trim() === '') continue;
    rows++;
    const where = (): string => `${source}:${l + 1}`;
    const { cells, columns } = splitLine(line, where);
    if (cells.length !== header.length) throw new RangeError(`${where()}: ${cells.length} cells, but the header has ${header.length} columns`);
    for (let j = 0; j < cells.length; j++) {
      const cell = cells[j]!;
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) {
        const what = cell === '' ? 'an empty cell' : `"${cell}"`;
        throw new RangeError(`${where()}:${columns[j]} (column "${header[j]}"): cannot parse ${what} as a number`);
      }
      if (j === targetIndex) {
        if (!Number.isInteger(value) || Math.abs(value) > 2 ** 31 - 1) {
          throw new RangeError(`${where()}:${columns[j]} (target column "${header[j]}"): label ${cell} is not a 32-bit integer class label`);
        }
        labels.push(value);
      } else {
        features.push(value);
      }
    }
  }
  const data = allocate(options.dtype ?? 'f64', features.length);
  data.set(features);
  return { X: new Tensor(data, [rows, nFeatures]), y: Int32Array.from(labels), featureNames, targetName: targetIndex < 0 ? '' : header[targetIndex]! };
}

/**
 * Parses a CSV table with a header row into features and integer labels. Empty lines are
 * skipped; every other row must have as many cells as the header, and every cell must be a
 * number (labels: integers). Errors name the source, line and column:
 * `data.csv:12:5 (column "mean area"): cannot parse "abc" as a number`.
 */
export function parseCsv(text: string, options: CsvOptions = {}): LabelledTable {
  return parseTable(text, options, true);
}

/**
 * Parses a CSV table with a header row and no label column (samples to score): every
 * column is a feature. Same rules and errors as {@link parseCsv}; `options.target` is ignored.
 */
export function parseCsvFeatures(text: string, options: Omit<CsvOptions, 'target'> = {}): { X: Tensor; featureNames: string[] } {
  const { X, featureNames } = parseTable(text, options, false);
  return { X, featureNames };
}
