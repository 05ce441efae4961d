import { allocate, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { encodeClassLabels, isNumericLabel } from './class-labels.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** The label column, by header name or 0-based index (default 'target'). */
  target?: string | number;
  /** dtype of X (default 'f64'). */
  dtype?: DType;
  /** Name used in error messages (a file path; default 'csv'). */
  source?: string;
  /**
   * How the target column's cells become classes:
   * - 'auto' (default): every label a number → integer classes as written (numeric mode);
   *   every label a name → the distinct names in sorted order are classes 0, 1, …
   *   ({@link encodeClassLabels}), returned as `classNames`; a mix of both is refused.
   * - 'numeric': integer labels only.
   * - a list of class names (a trained model's): each label must be one of them and gets its index.
   */
  labels?: 'auto' | 'numeric' | readonly string[];
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
  /** With string labels: the name of each class (class k is `classNames[k]`); absent for numeric labels. */
  classNames?: string[];
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

/** Parses a CSV table with a header row; with `withTarget`, `options.target` names the label column. */
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
  /** The target cells, with where they were for errors. */
  const labelCells: { cell: string; where: string }[] = [];
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
      if (j === targetIndex) {
        labelCells.push({ cell, where: `${where()}:${columns[j]} (target column "${header[j]}")` });
        continue;
      }
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) {
        const what = cell === '' ? 'an empty cell' : `"${cell}"`;
        throw new RangeError(`${where()}:${columns[j]} (column "${header[j]}"): cannot parse ${what} as a number`);
      }
      features.push(value);
    }
  }
  const data = allocate(options.dtype ?? 'f64', features.length);
  data.set(features);
  const { y, classNames } = classLabels(labelCells, options.labels ?? 'auto');
  return {
    X: new Tensor(data, [rows, nFeatures]), y, featureNames, targetName: targetIndex < 0 ? '' : header[targetIndex]!,
    ...(classNames === undefined ? {} : { classNames }),
  };
}

/** The target cells as classes (see {@link CsvOptions.labels}); errors name the cell. */
function classLabels(cells: readonly { cell: string; where: string }[], mode: NonNullable<CsvOptions['labels']>): { y: Int32Array; classNames?: string[] } {
  for (const { cell, where } of cells) if (cell === '') throw new RangeError(`${where}: the label is empty`);
  if (typeof mode !== 'string') {
    const index = new Map(mode.map((name, k) => [name, k]));
    return {
      y: Int32Array.from(cells, ({ cell, where }) => {
        const k = index.get(cell);
        if (k === undefined) throw new RangeError(`${where}: label "${cell}" is not one of the model's classes (${mode.map((n) => `"${n}"`).join(', ')})`);
        return k;
      }),
      classNames: [...mode],
    };
  }
  const named = cells.find(({ cell }) => !isNumericLabel(cell));
  if (named === undefined || mode === 'numeric') {
    return {
      y: Int32Array.from(cells, ({ cell, where }) => {
        const value = Number(cell);
        if (!isNumericLabel(cell)) throw new RangeError(`${where}: cannot parse "${cell}" as a number`);
        if (!Number.isInteger(value) || Math.abs(value) > 2 ** 31 - 1) throw new RangeError(`${where}: label ${cell} is not a 32-bit integer class label`);
        return value;
      }),
    };
  }
  // A stray number among names (or a name among numbers) is more likely a typo than a class.
  const numeric = cells.find(({ cell }) => isNumericLabel(cell));
  if (numeric !== undefined) {
    throw new RangeError(`${numeric.where}: label ${numeric.cell} is a number, but ${named.where.replace(/ \(target column .*$/, '')} has the label "${named.cell}": the labels must be all numbers or all names`);
  }
  return encodeClassLabels(cells.map(({ cell }) => cell));
}

/**
 * Parses a CSV table with a header row into features and integer labels. Empty lines are
 * skipped; every other row must have as many cells as the header, and every feature cell
 * must be a number; labels are integers, or names mapped to classes in sorted order
 * (see {@link CsvOptions.labels}; the names come back as `classNames`). Errors name the source, line and column:
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
