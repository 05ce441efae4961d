import { randn } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import { LabeledTensor } from './labeled-tensor.js';
import { Index } from './tensor-index.js';
import { TensorNetwork } from './tensor-network.js';

/**
 * A network's structure as a symmetric matrix of bond dimensions: `R[i][j] > 1` is a
 * bond of that dimension between cores i and j, `R[i][j] = 1` no bond. The diagonal is
 * ignored on input; {@link rankMatrixOf} writes each core's physical dimension there.
 */
export type RankMatrix = readonly (readonly number[])[];

/** Options of {@link fromRankMatrix} and the named builders. */
export interface RankMatrixOptions {
  /** Seed of the entries (default 0). */
  seed?: number;
  /** Entries are `scale`·N(0, 1) (default 1). */
  scale?: number;
  dtype?: DType;
}

/** Tag of core i: 'I0', 'I1', …. */
export function siteTag(i: number): string {
  return `I${i}`;
}

/**
 * Checks a rank matrix against the physical dimensions: square N×N with N =
 * dims.length, symmetric off the diagonal, positive integer entries; dims positive
 * integers. Throws a RangeError naming the first offending entry.
 */
export function validateRankMatrix(dims: readonly number[], R: RankMatrix): void {
  if (!Array.isArray(dims) || dims.length === 0) throw new RangeError('rank matrix: dims must be a non-empty array of positive integers');
  dims.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`rank matrix: dims[${i}] must be a positive integer, got ${d}`);
  });
  const n = dims.length;
  if (!Array.isArray(R) || R.length !== n) {
    throw new RangeError(`rank matrix: R must have ${n} rows (one per entry of dims), got ${Array.isArray(R) ? R.length : typeof R}`);
  }
  R.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) {
      throw new RangeError(`rank matrix: row ${i} of R must have ${n} entries (R must be square), got ${Array.isArray(row) ? row.length : typeof row}`);
    }
  });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const r = R[i]![j]!;
      if (!Number.isInteger(r) || r < 1) throw new RangeError(`rank matrix: R[${i}][${j}] must be a positive integer, got ${r}`);
      if (R[j]![i] !== r) throw new RangeError(`rank matrix: R is not symmetric: R[${i}][${j}] = ${r} but R[${j}][${i}] = ${R[j]![i]}`);
    }
  }
}

/** The cores core i is bonded to (R[i][j] > 1), in increasing j. */
export function neighbours(i: number, R: RankMatrix): number[] {
  const out: number[] = [];
  for (let j = 0; j < R.length; j++) if (j !== i && R[i]![j]! > 1) out.push(j);
  return out;
}

/**
 * The shape of core i of {@link fromRankMatrix}: the axis convention other modules rely
 * on. Core i's axes are `[physical (dims[i]), then one bond per j = 0…N−1, j ≠ i, with
 * R[i][j] > 1, in increasing j (size R[i][j])]`.
 * @example coreShape(1, [2, 3, 4], [[1, 5, 1], [5, 1, 6], [1, 6, 1]])  // [3, 5, 6]
 */
export function coreShape(i: number, dims: readonly number[], R: RankMatrix): number[] {
  validateRankMatrix(dims, R);
  if (!Number.isInteger(i) || i < 0 || i >= dims.length) throw new RangeError(`coreShape: core ${i} is out of range for ${dims.length} cores`);
  return [dims[i]!, ...neighbours(i, R).map((j) => R[i]![j]!)];
}

/** Number of entries of the network {@link fromRankMatrix} builds: Σᵢ dims[i]·Π_{j bonded} R[i][j]. */
export function paramCount(R: RankMatrix, dims: readonly number[]): number {
  validateRankMatrix(dims, R);
  let total = 0;
  for (let i = 0; i < dims.length; i++) total += neighbours(i, R).reduce((p, j) => p * R[i]![j]!, dims[i]!);
  return total;
}

/**
 * A random tensor network with the structure of a rank matrix.
 *
 * Core i (tid i, tag 'I{i}') has a physical index of size dims[i] (tags 'phys', 'I{i}')
 * and a bond of size R[i][j] to each core j with R[i][j] > 1 (tags 'bond', 'I{i}',
 * 'I{j}' with i < j), axes ordered as {@link coreShape} says. Entries are
 * `scale`·N(0, 1) drawn from `Random(seed)` core by core in C order, so the same
 * arguments give the same numbers on every backend.
 * @throws RangeError for an invalid rank matrix or option (see {@link validateRankMatrix}).
 */
export function fromRankMatrix(dims: readonly number[], R: RankMatrix, options: RankMatrixOptions = {}): TensorNetwork {
  validateRankMatrix(dims, R);
  const { seed = 0, scale = 1, dtype = 'f64' } = options;
  if (!Number.isFinite(scale)) throw new RangeError(`fromRankMatrix: scale must be finite, got ${scale}`);
  if (dtype !== 'f64' && dtype !== 'f32') throw new RangeError(`fromRankMatrix: unknown dtype '${String(dtype)}': expected 'f64' or 'f32'`);
  const { core } = rankMatrixStructure(
    R,
    (i) => new Index(dims[i]!, ['phys', siteTag(i)]),
    (i, j) => new Index(R[i]![j]!, ['bond', siteTag(i), siteTag(j)]),
  );
  const rng = new Random(seed);
  const net = new TensorNetwork();
  core.forEach((indices, i) => {
    const data = randn(indices.map((ix) => ix.dim), { rng, scale, dtype });
    net.add(new LabeledTensor(data, indices), [siteTag(i)]);
  });
  return net;
}

/** The structure of the network a rank matrix describes, with a `T` per index (see {@link rankMatrixStructure}). */
export interface RankMatrixStructure<T> {
  /** physical[i]: core i's physical index. */
  physical: T[];
  /** The bond (i, j), i < j, keyed "i,j", in order of (i, then j). */
  bonds: Map<string, T>;
  /** core[i]: core i's indices in axis order ({@link coreShape}): physical, then bonds in increasing j. */
  core: T[][];
}

/**
 * The one walk over a rank matrix's network that {@link fromRankMatrix} builds its labelled
 * indices with and core-layout.ts's `labelNetwork` its einsum letters: `physical(i)` is called
 * for every core in order, then `bond(i, j)` for every bond in order of (i, then j > i). R is
 * not checked here.
 */
export function rankMatrixStructure<T>(R: RankMatrix, physical: (i: number) => T, bond: (i: number, j: number) => T): RankMatrixStructure<T> {
  const n = R.length;
  const phys = Array.from({ length: n }, (_, i) => physical(i));
  const bonds = new Map<string, T>();
  for (let i = 0; i < n; i++) {
    for (const j of neighbours(i, R)) if (i < j) bonds.set(`${i},${j}`, bond(i, j));
  }
  const core = phys.map((p, i) => [p, ...neighbours(i, R).map((j) => bonds.get(i < j ? `${i},${j}` : `${j},${i}`)!)]);
  return { physical: phys, bonds, core };
}

/**
 * The rank matrix of a network, cores in tid order: R[i][j] is the product of the
 * dimensions of the indices tensors i and j share (1 when none), and R[i][i] the product
 * of tensor i's outer index dimensions (its physical dimension). Inverse of
 * {@link fromRankMatrix} up to the diagonal.
 */
export function rankMatrixOf(net: TensorNetwork): number[][] {
  const tids = net.tids();
  const pos = new Map(tids.map((t, k) => [t, k]));
  const n = tids.length;
  const R = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  tids.forEach((tid, i) => {
    for (const ix of net.get(tid).indices) {
      const holders = net.tidsWithIndex(ix);
      if (holders.length === 1) R[i]![i] = R[i]![i]! * ix.dim;
      for (const h of holders) if (h !== tid) R[i]![pos.get(h)!] = R[i]![pos.get(h)!]! * ix.dim;
    }
  });
  return R;
}

/** The physical (outer) dimension of each core in tid order: the diagonal of {@link rankMatrixOf}. */
export function physicalDims(net: TensorNetwork): number[] {
  return rankMatrixOf(net).map((row, i) => row[i]!);
}
