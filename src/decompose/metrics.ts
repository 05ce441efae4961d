import { relativeError, sumSquaredDifferences } from '../tensor/scaled-norm.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { maskBytes, type Mask } from './mask.js';

function assertSameShape(a: Tensor, b: Tensor, fn: string): void {
  if (!shapesEqual(a.shape, b.shape)) {
    throw new RangeError(`${fn}: the approximation has shape [${a.shape.join(', ')}] but the reference has shape [${b.shape.join(', ')}]`);
  }
}

/**
 * Compression ratio CR = parameters / entries (below 1 means the decomposition is
 * smaller than the dense tensor).
 * @throws RangeError for a negative or non-finite parameter count or no entries.
 */
export function compressionRatio(params: number, entries: number | readonly number[]): number {
  const n = typeof entries === 'number' ? entries : entries.reduce((p, d) => p * d, 1);
  if (!(params >= 0) || !Number.isFinite(params)) throw new RangeError(`compressionRatio: params must be a non-negative number, got ${params}`);
  if (!(n > 0)) throw new RangeError(`compressionRatio: the tensor must have at least one entry, got ${n}`);
  return params / n;
}


/** Options of {@link rse}. */
export interface RseOptions {
  /** Only these entries count (see {@link Mask}). */
  mask?: Mask;
  /** With a mask: measure on the entries it marks missing instead of observed. */
  missing?: boolean;
}

/**
 * Relative squared error, as used in the tensor-decomposition literature:
 * RSE = ‖X̂ − X‖_F / ‖X‖_F (optionally over the masked entries only). 0 when both are 0.
 * Computed with scaled sums of squares, so it is the same for c·X̂ against c·X at any scale.
 * @throws RangeError when the shapes differ.
 */
export function rse(approx: Tensor, reference: Tensor, options: RseOptions = {}): number {
  assertSameShape(approx, reference, 'rse');
  const mask = options.mask === undefined ? undefined : maskBytes(options.mask, reference.shape, 'rse');
  return relativeError(approx.toTypedArray(), reference.toTypedArray(), mask, options.missing ? 0 : 1);
}

/** Options of {@link psnr} and {@link mpsnr}. */
export interface PsnrOptions {
  /** The peak signal value (255 for 8-bit images); default max|X| of the reference. */
  peak?: number;
}

function peakOf(reference: Tensor, options: PsnrOptions, fn: string): number {
  if (options.peak !== undefined) {
    if (!(options.peak > 0) || !Number.isFinite(options.peak)) throw new RangeError(`${fn}: peak must be a positive number, got ${options.peak}`);
    return options.peak;
  }
  const b = reference.toTypedArray();
  let peak = 0;
  for (let p = 0; p < b.length; p++) peak = Math.max(peak, Math.abs(b[p]!));
  return peak;
}

/**
 * Peak signal-to-noise ratio in dB: 10·log10(peak² / MSE). Infinity for an exact
 * approximation.
 * @throws RangeError when the shapes differ, the tensor is empty or the peak is not positive.
 */
export function psnr(approx: Tensor, reference: Tensor, options: PsnrOptions = {}): number {
  assertSameShape(approx, reference, 'psnr');
  if (reference.size === 0) throw new RangeError('psnr: the tensors are empty');
  const peak = peakOf(reference, options, 'psnr');
  // 10·log10(peak²/MSE) = 20·log10(peak·√size/‖X̂ − X‖), with the norm kept scaled.
  const err = sumSquaredDifferences(approx.toTypedArray(), reference.toTypedArray());
  if (err.ssq === 0) return Infinity;
  return 20 * (Math.log10(peak) + 0.5 * Math.log10(reference.size) - Math.log10(Math.sqrt(err.ssq)) - err.exp * Math.LOG10E * Math.LN2);
}

/**
 * Mean PSNR over the first axis (frames of a video, bands of a hyperspectral image),
 * each slice scored with the same peak (default max|X| over the whole reference).
 * @throws RangeError when the shapes differ or the tensor has no axis.
 */
export function mpsnr(approx: Tensor, reference: Tensor, options: PsnrOptions = {}): number {
  assertSameShape(approx, reference, 'mpsnr');
  if (reference.ndim < 1 || reference.shape[0] === 0) throw new RangeError(`mpsnr: needs at least one slice along the first axis, got shape [${reference.shape.join(', ')}]`);
  const peak = peakOf(reference, options, 'mpsnr');
  let total = 0;
  for (let k = 0; k < reference.shape[0]!; k++) total += psnr(approx.slice(k), reference.slice(k), { peak });
  return total / reference.shape[0]!;
}
