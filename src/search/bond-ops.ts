/**
 * Operations on one bond of a rank-matrix network that keep the network's value (or
 * change it as little as possible): truncation by SVD of the bond matricization,
 * growth by padding, and the bond spectrum behind the mutual-information estimate.
 *
 * Internally cores are handled in the "full layout": core i has an axis for every other
 * core j (size R[i][j], 1 when there is no edge), in increasing j. Because the rank
 * matrix layout lists exactly the bonds > 1 in the same order, switching layouts is a
 * reshape.
 */
import { matmul } from '../linalg/matmul.js';
import { qr } from '../linalg/qr.js';
import { svd } from '../linalg/svd.js';
import { coreShape, type RankMatrix } from '../network/index.js';
import type { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { cloneRanks } from './structure.js';

/** Core i's shape in the full layout: [d_i, R[i][j] for every j ≠ i]. */
export function fullShape(i: number, dims: readonly number[], R: RankMatrix): number[] {
  return [dims[i]!, ...R[i]!.filter((_, j) => j !== i)];
}

/** The axis of bond (i, j) in core i's full layout. */
function fullAxis(i: number, j: number): number {
  return 1 + (j < i ? j : j - 1);
}

/** Moves `axis` of t last and flattens: a (size/r) × r matrix, plus what undoes it. */
function bondMatrix(t: Tensor, axis: number): { m: Tensor; order: number[]; movedShape: number[] } {
  const order = [...t.shape.keys()].filter((a) => a !== axis);
  order.push(axis);
  const moved = t.permute(...order).copy();
  const r = t.shape[axis]!;
  return { m: moved.reshape(moved.size / r, r), order, movedShape: [...moved.shape] };
}

/** Inverse of {@link bondMatrix} with a new bond size. */
function fromBondMatrix(m: Tensor, order: number[], movedShape: number[], r: number): Tensor {
  const shape = [...movedShape];
  shape[shape.length - 1] = r;
  const back = order.map((_, a) => order.indexOf(a));
  return m.reshape(...shape).permute(...back).copy();
}

/** What {@link bondSpectrum} and {@link resizeBond} return. */
export interface BondSplit {
  /** Singular values of the bond (the network's value as a matrix across the bond, up to the gauge of the other cores). */
  singular: number[];
}

/**
 * The singular values of bond (i, j): core i as a (rest × r) matrix A and core j as
 * (rest × r) matrix B; the bond carries the product A·Bᵀ, whose singular values are
 * those of R_A·R_Bᵀ (thin QRs). Exact for tree networks in canonical gauge, an
 * estimate on loops.
 */
export function bondSpectrum(cores: readonly Tensor[], R: RankMatrix, i: number, j: number): number[] {
  return splitBond(cores, R, i, j).s;
}

function splitBond(cores: readonly Tensor[], R: RankMatrix, i: number, j: number) {
  const dims = cores.map((c) => c.shape[0]!);
  const a = bondMatrix(cores[i]!.reshape(...fullShape(i, dims, R)), fullAxis(i, j));
  const b = bondMatrix(cores[j]!.reshape(...fullShape(j, dims, R)), fullAxis(j, i));
  const qa = qr(a.m);
  const qb = qr(b.m);
  const m = matmul(qa.R, qb.R, { transB: true });
  const f = svd(m);
  const s = [...f.S.toTypedArray()];
  return { a, b, qa, qb, f, s };
}

/**
 * Mutual information across bond (i, j), estimated from its singular values: the
 * entropy −Σ p log p of p_k = σ_k² / Σσ² (0 for a bond of rank 1, log r at most).
 */
export function bondInformation(singular: readonly number[]): number {
  const total = singular.reduce((t, s) => t + s * s, 0);
  if (total === 0) return 0;
  let h = 0;
  for (const s of singular) {
    const p = (s * s) / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/**
 * Sets bond (i, j) to `rank`, returning new cores and the new rank matrix.
 * Smaller: the best rank-k approximation of the bond (SVD of R_A·R_Bᵀ, √σ to each side).
 * Larger: core i is padded with zeros and core j with small Gaussian noise, so the
 * network's value is unchanged but ALS can use the new slices. rank 1 removes the edge.
 */
export function resizeBond(cores: readonly Tensor[], R: RankMatrix, i: number, j: number, rank: number, rng: Random): { cores: Tensor[]; R: number[][] } {
  if (i === j) throw new RangeError(`resizeBond: a bond joins two different cores, got (${i}, ${j})`);
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`resizeBond: rank must be a positive integer, got ${rank}`);
  const old = R[i]![j]!;
  const dims = cores.map((c) => c.shape[0]!);
  const R2 = cloneRanks(R);
  R2[i]![j] = rank;
  R2[j]![i] = rank;
  const out = [...cores];
  if (rank === old) return { cores: out, R: R2 };
  if (rank < old) {
    const { a, b, qa, qb, f } = splitBond(cores, R, i, j);
    const k = f.S.size;
    const keep = Math.min(rank, k);
    const u = new Float64Array(qa.R.shape[0]! * rank);
    const v = new Float64Array(qb.R.shape[0]! * rank);
    const U = f.U.toTypedArray();
    const Vt = f.Vt.toTypedArray();
    const S = f.S.toTypedArray();
    const ua = f.U.shape[1]!;
    const vb = f.Vt.shape[1]!;
    for (let c = 0; c < keep; c++) {
      const w = Math.sqrt(S[c]!);
      for (let r = 0; r < qa.R.shape[0]!; r++) u[r * rank + c] = U[r * ua + c]! * w;
      for (let r = 0; r < qb.R.shape[0]!; r++) v[r * rank + c] = Vt[c * vb + r]! * w;
    }
    const dtype = cores[i]!.dtype;
    const newA = matmul(qa.Q, new Tensor(u, [qa.R.shape[0]!, rank]).astype(dtype));
    const newB = matmul(qb.Q, new Tensor(v, [qb.R.shape[0]!, rank]).astype(dtype));
    out[i] = fromBondMatrix(newA, a.order, a.movedShape, rank).reshape(...coreShape(i, dims, R2));
    out[j] = fromBondMatrix(newB, b.order, b.movedShape, rank).reshape(...coreShape(j, dims, R2));
    return { cores: out, R: R2 };
  }
  // Growth: zero slices on i, noise on j (scaled to core j's RMS).
  for (const [u, v, noise] of [[i, j, false], [j, i, true]] as const) {
    const mat = bondMatrix(cores[u]!.reshape(...fullShape(u, dims, R)), fullAxis(u, v));
    const rows = mat.m.shape[0]!;
    const src = mat.m.toTypedArray();
    let rms = 0;
    for (let p = 0; p < src.length; p++) rms += src[p]! * src[p]!;
    rms = Math.sqrt(rms / Math.max(1, src.length)) || 1;
    const grown = new Float64Array(rows * rank);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < rank; c++) grown[r * rank + c] = c < old ? src[r * old + c]! : noise ? 1e-2 * rms * rng.normal() : 0;
    }
    const t = new Tensor(grown, [rows, rank]).astype(cores[u]!.dtype);
    out[u] = fromBondMatrix(t, mat.order, mat.movedShape, rank).reshape(...coreShape(u, dims, R2));
  }
  return { cores: out, R: R2 };
}

/**
 * Moves cores from structure `from` to structure `to` one bond at a time (truncating
 * or padding): the warm start of a neighbouring structure.
 */
export function adaptCores(cores: readonly Tensor[], from: RankMatrix, to: RankMatrix, rng: Random): Tensor[] {
  let cur = [...cores];
  let R = cloneRanks(from);
  const n = R.length;
  // Shrink first (cheaper SVDs), then grow.
  for (const shrink of [true, false]) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const want = to[i]![j]!;
        const have = R[i]![j]!;
        if (want === have || (want < have) !== shrink) continue;
        ({ cores: cur, R } = resizeBond(cur, R, i, j, want, rng));
      }
    }
  }
  return cur;
}
