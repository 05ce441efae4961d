import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { allocate, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { parseCsv, type CsvOptions, type LabelledTable } from '../ml/data/csv.js';
import { resizeArea } from '../ml/data/resize.js';

/*
 * The data sets shipped in data/ (Node only: file system and gunzip). Paths are resolved
 * from the package root, two levels above this file in both src/io/ and dist/io/.
 */

/** The data/ folder of the installed package. */
export function defaultDataDir(): string {
  return fileURLToPath(new URL('../../data/', import.meta.url));
}

function readFileNamed(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read data file ${path}: ${message}`, { cause: error });
  }
}

/**
 * Reads a CSV file with a header row: features X [samples, features], integer labels y
 * from the `target` column (default 'target'), and the feature names. Errors name the
 * file, line and column (see {@link parseCsv}).
 */
export function loadCsv(path: string, options: Omit<CsvOptions, 'source'> = {}): LabelledTable {
  const text = readFileNamed(path).toString('utf8');
  return parseCsv(text, { ...options, source: path });
}

/** The tabular data sets. */
export type TabularDatasetName = 'breast-cancer' | 'iris' | 'wine';
/** The image data sets. */
export type ImageDatasetName = 'mnist' | 'digits';
/** Every shipped data set. */
export type DatasetName = TabularDatasetName | ImageDatasetName;

/** A tabular data set with its class names. */
export interface TabularDataset extends LabelledTable {
  name: TabularDatasetName;
  classNames: string[];
}

/** An image data set: X [n, h, w] and labels. */
export interface ImageDataset {
  name: ImageDatasetName;
  /** Images [n, h, w], scaled to [0, 1] unless `scale: false` (then raw pixel values). */
  X: Tensor;
  y: Int32Array;
  classNames: string[];
}

/** Options of the tabular loaders. */
export interface TabularDatasetOptions {
  dtype?: DType;
  /** Folder holding the shipped data (default: the package's data/). */
  dataDir?: string;
}

/** Options of the image loaders. */
export interface ImageDatasetOptions {
  /** MNIST: 'train' (the first 10,000 training images, default) or 'test' (the official 10,000). Digits has one part. */
  split?: 'train' | 'test';
  /** Keep only these classes (e.g. the normal class for anomaly detection), in file order. */
  classes?: readonly number[];
  /** Keep at most this many images (after class filtering), in file order. */
  limit?: number;
  /** Resize to this side (or [h, w]) by area averaging; 28 → 14 is the 2×2 mean. */
  resize?: number | readonly [number, number];
  /** Scale pixels to [0, 1] (MNIST /255, digits /16; default true). */
  scale?: boolean;
  dtype?: DType;
  dataDir?: string;
}

interface TabularFile {
  csv: string;
  json: string;
}

const TABULAR: Record<TabularDatasetName, TabularFile> = {
  'breast-cancer': { csv: 'tabular/breast_cancer_wisconsin_diagnostic.csv', json: 'tabular/breast_cancer_wisconsin_diagnostic.json' },
  iris: { csv: 'tabular/iris.csv', json: 'tabular/iris.json' },
  wine: { csv: 'tabular/wine.csv', json: 'tabular/wine.json' },
};

interface ImageFiles {
  images: string;
  labels: string;
  side: number;
  maxValue: number;
}

function imageFiles(name: ImageDatasetName, split: 'train' | 'test'): ImageFiles {
  if (name === 'digits') {
    return { images: 'digits8x8/digits8x8_images.u8.gz', labels: 'digits8x8/digits8x8_labels.u8.gz', side: 8, maxValue: 16 };
  }
  const part = split === 'test' ? 'test' : 'train10k';
  return { images: `mnist/mnist_${part}_images.u8.gz`, labels: `mnist/mnist_${part}_labels.u8.gz`, side: 28, maxValue: 255 };
}

function readGzip(path: string): Uint8Array {
  const bytes = readFileNamed(path);
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot decompress ${path}: ${message}`, { cause: error });
  }
}

/** Loads a tabular data set (569×30 breast cancer, 150×4 iris, 178×13 wine). */
export function loadDataset(name: TabularDatasetName, options?: TabularDatasetOptions): TabularDataset;
/** Loads an image data set (MNIST 28×28 or digits 8×8) as [n, h, w]. */
export function loadDataset(name: ImageDatasetName, options?: ImageDatasetOptions): ImageDataset;
export function loadDataset(name: DatasetName, options?: TabularDatasetOptions | ImageDatasetOptions): TabularDataset | ImageDataset;
export function loadDataset(name: DatasetName, options: TabularDatasetOptions | ImageDatasetOptions = {}): TabularDataset | ImageDataset {
  const dir = options.dataDir ?? defaultDataDir();
  if (name in TABULAR) {
    const files = TABULAR[name as TabularDatasetName];
    const table = loadCsv(join(dir, files.csv), options.dtype === undefined ? {} : { dtype: options.dtype });
    const meta = JSON.parse(readFileNamed(join(dir, files.json)).toString('utf8')) as { target_names?: string[] };
    return { ...table, name: name as TabularDatasetName, classNames: meta.target_names ?? [] };
  }
  if (name === 'mnist' || name === 'digits') return loadImages(name, dir, options as ImageDatasetOptions);
  throw new RangeError(`loadDataset: unknown data set '${String(name)}' (known: breast-cancer, iris, wine, mnist, digits)`);
}

function loadImages(name: ImageDatasetName, dir: string, options: ImageDatasetOptions): ImageDataset {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new RangeError(`loadDataset('${name}'): split must be 'train' or 'test', got '${String(split)}'`);
  if (name === 'digits' && options.split === 'test') throw new RangeError("loadDataset('digits'): the digits set has no test part (split it with stratifiedSplit)");
  const files = imageFiles(name, split);
  const imagePath = join(dir, files.images);
  const labelPath = join(dir, files.labels);
  const pixels = readGzip(imagePath);
  const labels = readGzip(labelPath);
  const area = files.side * files.side;
  if (pixels.length !== labels.length * area) {
    throw new Error(`${imagePath}: ${pixels.length} bytes do not hold ${labels.length} images of ${files.side}×${files.side} (labels from ${labelPath})`);
  }

  let keep: number[] = [];
  if (options.classes !== undefined) {
    const wanted = new Set(options.classes);
    for (const c of wanted) if (!Number.isInteger(c) || c < 0 || c > 9) throw new RangeError(`loadDataset('${name}'): class ${c} is not a digit 0–9`);
    for (let i = 0; i < labels.length; i++) if (wanted.has(labels[i]!)) keep.push(i);
  } else {
    keep = Array.from({ length: labels.length }, (_, i) => i);
  }
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 0) throw new RangeError(`loadDataset('${name}'): limit must be an integer ≥ 0, got ${options.limit}`);
    keep = keep.slice(0, options.limit);
  }

  const dtype = options.dtype ?? 'f64';
  const scale = (options.scale ?? true) ? 1 / files.maxValue : 1;
  const data = allocate(dtype, keep.length * area);
  const y = new Int32Array(keep.length);
  keep.forEach((src, i) => {
    y[i] = labels[src]!;
    const from = src * area;
    for (let p = 0; p < area; p++) data[i * area + p] = pixels[from + p]! * scale;
  });
  let X = new Tensor(data, [keep.length, files.side, files.side]);
  if (options.resize !== undefined) X = resizeArea(X, options.resize);
  return { name, X, y, classNames: Array.from({ length: 10 }, (_, d) => String(d)) };
}
