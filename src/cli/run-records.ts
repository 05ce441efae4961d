/**
 * Parts of the run records that `search`, `complete` and `decompose` return beside their
 * summaries (src/report/run-record.ts): the found network, each method's trace, the
 * spectra across the network's bonds.
 */
import { compressionRatio } from '../decompose/metrics.js';
import type { RankMatrix } from '../network/rank-matrix.js';
import { encodePng } from '../io/image.js';
import type { BondSpectra, ImageRow, MethodTrace, NetworkDrawing } from '../report/run-record.js';
import { bondSpectrum } from '../search/bond-ops.js';
import { activeEdges } from '../search/structure.js';
import { Tensor } from '../tensor/tensor.js';

/** The network to draw: physical dims and the rank matrix (diagonal set to 0, as NetworkDrawing says it is ignored). */
export function networkDrawing(label: string, dims: readonly number[], R: RankMatrix): NetworkDrawing {
  return { label, dims: [...dims], ranks: R.map((row, i) => row.map((r, j) => (i === j ? 0 : r))) };
}

/** One point of a trace. */
export type TracePoint = MethodTrace['points'][number];

/**
 * A method's trace: the dense input at 0 s (params = entries, CR 1, RSE 0), then the
 * points the method reported (RGTN: one per scale; ALS: one per sweep), then the result.
 */
export function methodTrace(method: string, entries: number, end: TracePoint, reported: readonly TracePoint[] = []): MethodTrace {
  const point = (p: TracePoint): TracePoint => ({ seconds: p.seconds, cr: p.cr, rse: p.rse, params: p.params });
  return { method, points: [{ seconds: 0, cr: compressionRatio(entries, entries), rse: 0, params: entries }, ...reported.map(point), point(end)] };
}

/**
 * Singular values across each bond of a rank-matrix network (cores in the
 * `fromRankMatrix` axis convention), largest first. On loops these are estimates
 * (see bondSpectrum).
 */
export function bondSpectra(label: string, cores: readonly Tensor[], R: RankMatrix): BondSpectra {
  const bonds = activeEdges(R).map(([i, j]) => ({
    edge: [i, j] as [number, number],
    values: [...bondSpectrum(cores, R, i, j)].sort((a, b) => b - a),
  }));
  return { label, bonds };
}

/**
 * The command line a command was run with (the root program's raw argv when commander
 * kept it, else this process's), as a record's `command`.
 */
export function commandLineOf(cmd: { parent: unknown }): string {
  let root = cmd as { parent: unknown; rawArgs?: string[] };
  while (root.parent) root = root.parent as typeof root;
  return commandLine(Array.isArray(root.rawArgs) && root.rawArgs.length > 0 ? root.rawArgs : process.argv);
}

/** The command line of this process, as a record's `command`. */
export function commandLine(argv: readonly string[] = process.argv): string {
  return ['tnkit', ...argv.slice(2)].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Largest side of an image in a record; larger images are box-averaged down. */
export const RECORD_IMAGE_SIDE = 256;

/** The panels of an image row: the original, what was observed (missing entries black) and the reconstruction. */
export interface ImagePanels {
  original: Tensor;
  /** Observed entries (1) of `original`, in its layout; absent when every entry was seen. */
  mask?: Uint8Array;
  reconstructed: Tensor;
}

/** Whether a tensor of this shape is shown as one image ([H, W] or [H, W, 3]) rather than frames. */
export function isImageShape(shape: readonly number[]): boolean {
  return shape.length === 2 || (shape.length === 3 && shape[2] === 3);
}

/** Whether a tensor of this shape is a video: [F, H, W] or [F, H, W, 1 | 3]. */
export function isVideoShape(shape: readonly number[]): boolean {
  return shape.length === 3 || (shape.length === 4 && (shape[3] === 1 || shape[3] === 3));
}

/**
 * Image rows for a record: one row for an image, one per shown frame for a video (the
 * first, middle and last of up to `frames` evenly spaced), each with original / observed /
 * reconstructed as base64 PNG, box-averaged to at most {@link RECORD_IMAGE_SIDE} a side.
 * Samples are 8-bit values (clipped). Returns [] for other shapes.
 */
export function imageRows(label: string, panels: ImagePanels, frames = 3): ImageRow[] {
  const shape = [...panels.original.shape];
  const observed = panels.mask ? masked(panels.original, panels.mask) : undefined;
  const items = (pick: (t: Tensor) => Tensor): ImageRow['items'] => [
    { caption: 'original', png: pngBase64(pick(panels.original)) },
    ...(observed ? [{ caption: 'observed (missing black)', png: pngBase64(pick(observed)) }] : []),
    { caption: 'reconstructed', png: pngBase64(pick(panels.reconstructed.reshape(...shape))) },
  ];
  if (isImageShape(shape)) return [{ label, items: items((t) => t) }];
  if (!isVideoShape(shape)) return [];
  const f = shape[0]!;
  const shown = [...new Set(Array.from({ length: Math.min(frames, f) }, (_, k) => (frames <= 1 ? 0 : Math.round((k * (f - 1)) / (Math.min(frames, f) - 1 || 1)))))];
  const frameShape = shape.length === 4 && shape[3] === 1 ? shape.slice(1, 3) : shape.slice(1);
  return shown.map((k) => ({ label: `${label}, frame ${k}`, items: items((t) => t.slice([k, k + 1]).copy().reshape(...frameShape)) }));
}

/** The tensor with its missing entries set to 0. */
function masked(t: Tensor, mask: Uint8Array): Tensor {
  const d = Float64Array.from(t.toTypedArray());
  for (let p = 0; p < d.length; p++) if (mask[p] === 0) d[p] = 0;
  return new Tensor(d, [...t.shape]);
}

/** An image [H, W] or [H, W, 3] downscaled by box averaging to at most RECORD_IMAGE_SIDE a side, as base64 PNG. */
function pngBase64(image: Tensor): string {
  const [h, w] = image.shape as [number, number];
  const c = image.ndim === 3 ? image.shape[2]! : 1;
  const k = Math.ceil(Math.max(h, w) / RECORD_IMAGE_SIDE);
  let small = image;
  if (k > 1) {
    const oh = Math.floor(h / k);
    const ow = Math.floor(w / k);
    const src = image.toTypedArray();
    const out = new Float64Array(oh * ow * c);
    for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) for (let q = 0; q < c; q++) {
      let s = 0;
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s += src[((i * k + a) * w + (j * k + b)) * c + q]!;
      out[(i * ow + j) * c + q] = s / (k * k);
    }
    small = new Tensor(out, c === 1 ? [oh, ow] : [oh, ow, c]);
  }
  return Buffer.from(encodePng(small)).toString('base64');
}
