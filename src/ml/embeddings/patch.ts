import { allocate, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { svdArrays } from '../../linalg/svd.js';
import { assertInteger, type EmbeddingSpec } from './embedding.js';

/*
 * Patch embeddings for images: the image is cut into k×k patches, each patch becomes a
 * quantum-style state vector over n qubits, and the vector is split into an n-site MPS
 * by successive SVDs (TT-SVD, left-canonical).
 *
 * Output convention (every patch of every image has the same core shapes, so a batch is
 * a handful of dense tensors):
 *   cores[s] : Tensor [batch, patches, χ_s, 2, χ_{s+1}],  s = 0 … n − 1,
 *   χ_0 = χ_n = 1,  χ_s = min(2^s, 2^{n−s}, maxRank)  (bondDims).
 * Patches are numbered row-major over the patch grid (patch p = row·(W/k) + col). Where a
 * patch's exact rank is below χ_s, the extra bond rows/columns are zero (the contraction is
 * unchanged). Qubit 0 is the most significant bit of the state index. Contracting the
 * cores of one patch over the bonds gives its state vector ψ[i_0 … i_{n−1}] with the
 * index i = Σ i_s 2^{n−1−s}.
 */

/** Pixel order inside a patch: row-major, or snake (boustrophedon: odd rows reversed). */
export type PatchPixelOrder = 'row' | 'snake';

/** Options shared by the patch embeddings. */
export interface PatchEmbeddingOptions {
  /** Patch side k ≥ 1 (the image sides must be multiples of k). */
  patchSize: number;
  /** Cap on the MPS bond dimension (default: none, the decomposition is exact). */
  maxRank?: number;
  /** Pixel order within a patch (amplitude default 'row', FRQI default 'snake', as tn4ml). */
  order?: PatchPixelOrder;
  /** Output dtype (default: the input's). */
  dtype?: DType;
}

/** Options of {@link PatchAmplitudeEmbedding}. */
export interface PatchAmplitudeOptions extends PatchEmbeddingOptions {
  /**
   * Amplitudes: 'linear' (default) ψ = x/‖x‖, so any real pixels; 'sqrt' ψ = √x/‖√x‖, so
   * probabilities ∝ pixel values (tn4ml's PatchAmplitudeEmbedding; pixels must be ≥ 0).
   */
  amplitude?: 'linear' | 'sqrt';
}

/** The patch states of a batch of images as MPS cores (see the file comment for shapes). */
export interface PatchMps {
  /** cores[s]: [batch, patches, bondDims[s], 2, bondDims[s + 1]] ([patches, …] for one image). */
  cores: Tensor[];
  /** χ_0 … χ_n (first and last 1). */
  bondDims: number[];
  /** Sites per patch. */
  nQubits: number;
  /** Patch grid [rows, cols]; patches = rows·cols. */
  patchGrid: [number, number];
  /** The largest norm discarded by maxRank truncation over all patches (0 when exact). */
  maxDiscardedNorm: number;
}

/** Common machinery: image layout, pixel gathering, TT-SVD with fixed padded bonds. */
abstract class PatchEmbeddingBase {
  abstract readonly kind: string;
  readonly patchSize: number;
  readonly maxRank: number | undefined;
  readonly order: PatchPixelOrder;
  private readonly dtype: DType | undefined;

  constructor(options: PatchEmbeddingOptions, defaultOrder: PatchPixelOrder, who: string) {
    this.patchSize = assertInteger(options.patchSize, 'patchSize', 1, who);
    this.maxRank = options.maxRank === undefined ? undefined : assertInteger(options.maxRank, 'maxRank', 1, who);
    const order = options.order ?? defaultOrder;
    if (order !== 'row' && order !== 'snake') throw new RangeError(`${who}: order must be 'row' or 'snake', got '${String(order)}'`);
    this.order = order;
    this.dtype = options.dtype;
  }

  /** Number of qubits of a patch's state. */
  abstract qubits(): number;

  /**
   * Fills `psi` (length 2^qubits, zeroed) with the unit-norm state of the patch whose
   * pixels (in patch order) are `pixels`. `where` describes the patch for errors.
   */
  protected abstract state(pixels: Float64Array, psi: Float64Array, where: () => string): void;

  abstract toJSON(): EmbeddingSpec;

  /** χ_0 … χ_n for this embedding. */
  bondDims(): number[] {
    const n = this.qubits();
    const cap = this.maxRank ?? Infinity;
    return Array.from({ length: n + 1 }, (_, s) => Math.min(2 ** s, 2 ** (n - s), cap));
  }

  /** Embeds images [H, W] or [batch, H, W] into per-patch MPS cores. */
  embed(images: Tensor): PatchMps {
    const who = `${this.kind} embedding`;
    if (!(images instanceof Tensor) || (images.ndim !== 2 && images.ndim !== 3)) {
      throw new RangeError(`${who}: expected images [H, W] or [batch, H, W], got ${images instanceof Tensor ? `shape [${images.shape.join(', ')}]` : typeof images}`);
    }
    const single = images.ndim === 2;
    const batch = single ? 1 : images.shape[0]!;
    const H = images.shape[images.ndim - 2]!;
    const W = images.shape[images.ndim - 1]!;
    const k = this.patchSize;
    if (H % k !== 0 || W % k !== 0) {
      throw new RangeError(`${who}: image size ${H}×${W} is not a multiple of patchSize ${k} (crop or resize the images)`);
    }
    const gridRows = H / k;
    const gridCols = W / k;
    const patches = gridRows * gridCols;
    const n = this.qubits();
    const chi = this.bondDims();
    const dtype = this.dtype ?? images.dtype;
    const cores = chi.slice(0, n).map((left, s) => allocate(dtype, batch * patches * left * 2 * chi[s + 1]!));
    const data = images.toTypedArray();
    const pixels = new Float64Array(k * k);
    const psi = new Float64Array(2 ** n);
    // Identical consecutive patch states (the blank background of most images) reuse the
    // previous patch's cores instead of repeating its SVDs.
    const previous = new Float64Array(2 ** n);
    let previousSlot = -1;
    let previousDiscarded = 0;
    let maxDiscarded = 0;

    for (let b = 0; b < batch; b++) {
      for (let pr = 0; pr < gridRows; pr++) {
        for (let pc = 0; pc < gridCols; pc++) {
          // Gather the patch in the chosen pixel order.
          let q = 0;
          for (let r = 0; r < k; r++) {
            const rowStart = b * H * W + (pr * k + r) * W + pc * k;
            const reversed = this.order === 'snake' && r % 2 === 1;
            for (let c = 0; c < k; c++) pixels[q++] = data[rowStart + (reversed ? k - 1 - c : c)]!;
          }
          psi.fill(0);
          this.state(pixels, psi, () => `image ${b}, patch (${pr}, ${pc})`);
          const p = b * patches + pr * gridCols + pc;
          if (previousSlot >= 0 && sameValues(psi, previous)) {
            copySlot(cores, chi, previousSlot, p);
          } else {
            previousDiscarded = splitIntoCores(psi, n, chi, cores, p);
            previous.set(psi);
          }
          previousSlot = p;
          maxDiscarded = Math.max(maxDiscarded, previousDiscarded);
        }
      }
    }
    const tensors = cores.map((c, s) => new Tensor(c, single ? [patches, chi[s]!, 2, chi[s + 1]!] : [batch, patches, chi[s]!, 2, chi[s + 1]!]));
    return { cores: tensors, bondDims: chi, nQubits: n, patchGrid: [gridRows, gridCols], maxDiscardedNorm: maxDiscarded };
  }
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Copies the cores of patch slot `from` to slot `to`. */
function copySlot(cores: Array<Float64Array | Float32Array>, chi: readonly number[], from: number, to: number): void {
  cores.forEach((core, s) => {
    const block = chi[s]! * 2 * chi[s + 1]!;
    core.copyWithin(to * block, from * block, (from + 1) * block);
  });
}

/**
 * TT-SVD of one unit state ψ (2^n entries) into cores written at patch slot `p` of each
 * padded core array. Returns the discarded norm; after truncation the last core is
 * rescaled so the MPS keeps unit norm.
 */
function splitIntoCores(psi: Float64Array, n: number, chi: readonly number[], cores: Array<Float64Array | Float32Array>, p: number): number {
  let rest = psi; // [rank, remaining] row-major
  let rank = 1;
  let discarded2 = 0;
  for (let s = 0; s < n - 1; s++) {
    const rows = rank * 2;
    const cols = rest.length / rows;
    const { u, s: sv, vt } = svdArrays(rest, rows, cols);
    const k = Math.min(rows, cols);
    const keep = Math.min(k, chi[s + 1]!);
    for (let i = keep; i < k; i++) discarded2 += sv[i]! * sv[i]!;
    // Core s: U[:, :keep] as [rank, 2, keep] inside a [χ_s, 2, χ_{s+1}] block.
    const right = chi[s + 1]!;
    const block = chi[s]! * 2 * right;
    const core = cores[s]!;
    const base = p * block;
    for (let row = 0; row < rows; row++) {
      for (let j = 0; j < keep; j++) core[base + row * right + j] = u[row * k + j]!;
    }
    // The remainder diag(S)·Vt[:keep, :] carries the norm to the next site.
    const next = new Float64Array(keep * cols);
    for (let i = 0; i < keep; i++) {
      const si = sv[i]!;
      for (let j = 0; j < cols; j++) next[i * cols + j] = si * vt[i * cols + j]!;
    }
    rest = next;
    rank = keep;
  }
  // Last core [rank, 2, 1]; rescale to unit norm if truncation lost weight.
  let norm2 = 0;
  for (let i = 0; i < rest.length; i++) norm2 += rest[i]! * rest[i]!;
  const scale = discarded2 > 0 && norm2 > 0 ? 1 / Math.sqrt(norm2) : 1;
  const last = cores[n - 1]!;
  const block = chi[n - 1]! * 2;
  for (let i = 0; i < rest.length; i++) last[p * block + i] = scale * rest[i]!;
  return Math.sqrt(discarded2);
}

/**
 * Amplitude-encoded patches: a k×k patch (k² pixels, zero-padded to 2^n, n = ⌈log₂ k²⌉)
 * becomes ψ = x/‖x‖ ('linear') or √x/‖√x‖ ('sqrt', tn4ml's PatchAmplitudeEmbedding), then an
 * n-site MPS by successive SVDs. An all-zero patch has no direction and is mapped to the
 * uniform superposition over its k² pixel positions.
 * Expected input: finite pixels (≥ 0 for 'sqrt'), e.g. images scaled to [0, 1].
 */
export class PatchAmplitudeEmbedding extends PatchEmbeddingBase {
  readonly kind = 'patch-amplitude';
  readonly amplitude: 'linear' | 'sqrt';

  constructor(options: PatchAmplitudeOptions) {
    super(options, 'row', 'patch-amplitude embedding');
    const amplitude = options.amplitude ?? 'linear';
    if (amplitude !== 'linear' && amplitude !== 'sqrt') {
      throw new RangeError(`patch-amplitude embedding: amplitude must be 'linear' or 'sqrt', got '${String(amplitude)}'`);
    }
    this.amplitude = amplitude;
  }

  qubits(): number {
    return Math.max(1, Math.ceil(Math.log2(this.patchSize * this.patchSize)));
  }

  protected state(pixels: Float64Array, psi: Float64Array, where: () => string): void {
    let s = 0;
    for (let i = 0; i < pixels.length; i++) {
      const x = pixels[i]!;
      if (x - x !== 0 || (this.amplitude === 'sqrt' && x < 0)) {
        throw new RangeError(`patch-amplitude embedding: pixel ${i} of ${where()} is ${x}; ${this.amplitude === 'sqrt' ? "'sqrt' amplitudes need finite pixels ≥ 0" : 'pixels must be finite'}`);
      }
      const a = this.amplitude === 'sqrt' ? Math.sqrt(x) : x;
      psi[i] = a;
      s += a * a;
    }
    if (s === 0) {
      psi.fill(1 / Math.sqrt(pixels.length), 0, pixels.length);
      return;
    }
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < pixels.length; i++) psi[i] = psi[i]! * inv;
  }

  /** The embedding as JSON (saved in model files). */
  toJSON(): EmbeddingSpec {
    return { type: this.kind, patchSize: this.patchSize, maxRank: this.maxRank ?? null, order: this.order, amplitude: this.amplitude };
  }
}

/**
 * FRQI-style patches (flexible representation of quantum images): with N = k² pixels,
 * n_a = ⌈log₂ N⌉ address qubits and one colour qubit (the last, least significant site),
 *
 *   ψ[2a + 0] = cos(π x_a / 2) / √N,   ψ[2a + 1] = sin(π x_a / 2) / √N,   a = 0 … N − 1,
 *
 * and zero for padded addresses a ≥ N (so ‖ψ‖ = 1). Then n = n_a + 1 sites by successive
 * SVDs. Pixel order defaults to snake, as tn4ml's PatchEmbedding.
 * Expected input range: pixels in [0, 1] (values outside throw a RangeError naming the pixel).
 */
export class PatchFrqiEmbedding extends PatchEmbeddingBase {
  readonly kind = 'patch-frqi';

  constructor(options: PatchEmbeddingOptions) {
    super(options, 'snake', 'patch-frqi embedding');
  }

  qubits(): number {
    return Math.ceil(Math.log2(this.patchSize * this.patchSize)) + 1;
  }

  protected state(pixels: Float64Array, psi: Float64Array, where: () => string): void {
    const inv = 1 / Math.sqrt(pixels.length);
    for (let a = 0; a < pixels.length; a++) {
      const x = pixels[a]!;
      if (!(x >= -1e-9 && x <= 1 + 1e-9)) {
        throw new RangeError(`patch-frqi embedding: pixel ${a} of ${where()} is ${x}, outside the expected range [0, 1] (scale the images first)`);
      }
      psi[2 * a] = inv * Math.cos((Math.PI * x) / 2);
      psi[2 * a + 1] = inv * Math.sin((Math.PI * x) / 2);
    }
  }

  /** The embedding as JSON (saved in model files). */
  toJSON(): EmbeddingSpec {
    return { type: this.kind, patchSize: this.patchSize, maxRank: this.maxRank ?? null, order: this.order };
  }
}

/** Amplitude-encoded patch embedding (see {@link PatchAmplitudeEmbedding}). */
export function patchAmplitude(options: PatchAmplitudeOptions): PatchAmplitudeEmbedding {
  return new PatchAmplitudeEmbedding(options);
}

/** FRQI-style patch embedding (see {@link PatchFrqiEmbedding}). */
export function patchFrqi(options: PatchEmbeddingOptions): PatchFrqiEmbedding {
  return new PatchFrqiEmbedding(options);
}

/**
 * Contracts the cores of one patch back into its state vector (2^n entries), for tests and
 * inspection. `image` is ignored for single-image output.
 */
export function contractPatch(mps: PatchMps, patch: number, image = 0): Float64Array {
  const { cores, bondDims: chi, nQubits: n } = mps;
  const batched = cores[0]!.ndim === 5;
  const patches = batched ? cores[0]!.shape[1]! : cores[0]!.shape[0]!;
  let vec = new Float64Array([1]); // [states, χ_s]
  let states = 1;
  for (let s = 0; s < n; s++) {
    const left = chi[s]!;
    const right = chi[s + 1]!;
    const block = left * 2 * right;
    const data = cores[s]!.toTypedArray();
    const base = ((batched ? image * patches : 0) + patch) * block;
    const next = new Float64Array(states * 2 * right);
    for (let t = 0; t < states; t++) {
      for (let l = 0; l < left; l++) {
        const v = vec[t * left + l]!;
        if (v === 0) continue;
        for (let bit = 0; bit < 2; bit++) {
          for (let r = 0; r < right; r++) next[(t * 2 + bit) * right + r] += v * data[base + (l * 2 + bit) * right + r]!;
        }
      }
    }
    vec = next;
    states *= 2;
  }
  return vec;
}
