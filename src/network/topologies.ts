import type { LabeledTensor } from './labeled-tensor.js';
import { fromRankMatrix, siteTag, type RankMatrix, type RankMatrixOptions } from './rank-matrix.js';
import { Index } from './tensor-index.js';
import type { TensorNetwork } from './tensor-network.js';

/**
 * Rank matrices of the standard topologies, and builders that turn them into random
 * networks with {@link fromRankMatrix} (so their cores follow its axis convention:
 * physical first, then bonds in increasing neighbour number). Each builder also tags
 * every core with the topology's name ('MPS', 'TR', 'MPO', 'TTN', 'PEPS', 'FCTN').
 */

function identityDiagonal(n: number): number[][] {
  return Array.from({ length: n }, () => new Array<number>(n).fill(1));
}

function bondList(what: string, bond: number | readonly number[], count: number): number[] {
  const list = typeof bond === 'number' ? new Array<number>(count).fill(bond) : [...bond];
  if (list.length !== count) throw new RangeError(`${what}: expected ${count} bond dimensions, got ${list.length}`);
  list.forEach((r, k) => {
    if (!Number.isInteger(r) || r < 1) throw new RangeError(`${what}: bond ${k} must be a positive integer, got ${r}`);
  });
  return list;
}

function assertSites(what: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${what}: needs at least ${min} sites, got ${n}`);
}

/** Open chain: bond k (of L−1) joins sites k and k+1. */
export function chainRankMatrix(length: number, bond: number | readonly number[]): number[][] {
  assertSites('chain', length, 1);
  const bonds = bondList('chain', bond, length - 1);
  const R = identityDiagonal(length);
  bonds.forEach((r, k) => {
    R[k]![k + 1] = r;
    R[k + 1]![k] = r;
  });
  return R;
}

/** Ring: bond k (of L) joins sites k and (k+1) mod L; L ≥ 3 so no pair has two bonds. */
export function ringRankMatrix(length: number, bond: number | readonly number[]): number[][] {
  assertSites('ring', length, 3);
  const bonds = bondList('ring', bond, length);
  const R = identityDiagonal(length);
  bonds.forEach((r, k) => {
    const j = (k + 1) % length;
    R[k]![j] = r;
    R[j]![k] = r;
  });
  return R;
}

/**
 * Binary tree over the sites in heap order: site k > 0 hangs from site ⌊(k−1)/2⌋, and
 * bond k−1 (of L−1) is that edge.
 */
export function binaryTreeRankMatrix(length: number, bond: number | readonly number[]): number[][] {
  assertSites('tree', length, 1);
  const bonds = bondList('tree', bond, length - 1);
  const R = identityDiagonal(length);
  for (let k = 1; k < length; k++) {
    const parent = (k - 1) >> 1;
    R[k]![parent] = bonds[k - 1]!;
    R[parent]![k] = bonds[k - 1]!;
  }
  return R;
}

/** rows×cols grid, site r·cols + c, bonds to the right and lower neighbours, all of dimension `bond`. */
export function gridRankMatrix(rows: number, cols: number, bond: number): number[][] {
  assertSites('grid rows', rows, 1);
  assertSites('grid cols', cols, 1);
  bondList('grid', bond, 1);
  const R = identityDiagonal(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      for (const j of [c + 1 < cols ? i + 1 : -1, r + 1 < rows ? i + cols : -1]) {
        if (j < 0) continue;
        R[i]![j] = bond;
        R[j]![i] = bond;
      }
    }
  }
  return R;
}

/** Every pair of sites bonded: one dimension for all, or a full symmetric matrix. */
export function fullyConnectedRankMatrix(length: number, bond: number | RankMatrix): number[][] {
  assertSites('fully connected', length, 1);
  const R = identityDiagonal(length);
  for (let i = 0; i < length; i++) {
    for (let j = 0; j < length; j++) if (i !== j) R[i]![j] = typeof bond === 'number' ? bond : bond[i]![j]!;
  }
  return R;
}

function build(dims: readonly number[], R: number[][], options: RankMatrixOptions, tag: string): TensorNetwork {
  const net = fromRankMatrix(dims, R, options);
  for (const tid of net.tids()) net.addTags(tid, [tag]);
  return net;
}

/** A random MPS / tensor train with open boundaries: `bond` for every bond or a list of L−1. */
export function mps(dims: readonly number[], bond: number | readonly number[], options: RankMatrixOptions = {}): TensorNetwork {
  return build(dims, chainRankMatrix(dims.length, bond), options, 'MPS');
}

/** A random tensor ring (periodic MPS); bond k joins cores k and (k+1) mod L. */
export function tensorRing(dims: readonly number[], bond: number | readonly number[], options: RankMatrixOptions = {}): TensorNetwork {
  return build(dims, ringRankMatrix(dims.length, bond), options, 'TR');
}

/** A random tree tensor network: the sites form a binary tree in heap order (see {@link binaryTreeRankMatrix}). */
export function treeTensorNetwork(dims: readonly number[], bond: number | readonly number[], options: RankMatrixOptions = {}): TensorNetwork {
  return build(dims, binaryTreeRankMatrix(dims.length, bond), options, 'TTN');
}

/**
 * A random PEPS on a rows×cols grid (site r·cols + c, tags 'ROW{r}' and 'COL{c}' too);
 * `dims` is one physical dimension for all sites or a list in site order.
 */
export function peps(rows: number, cols: number, dims: number | readonly number[], bond: number, options: RankMatrixOptions = {}): TensorNetwork {
  const R = gridRankMatrix(rows, cols, bond);
  const list = typeof dims === 'number' ? new Array<number>(rows * cols).fill(dims) : [...dims];
  if (list.length !== rows * cols) throw new RangeError(`peps: ${list.length} physical dimensions for a ${rows}×${cols} grid`);
  const net = build(list, R, options, 'PEPS');
  for (const tid of net.tids()) net.addTags(tid, [`ROW${Math.floor(tid / cols)}`, `COL${tid % cols}`]);
  return net;
}

/** A random fully connected tensor network (FCTN). */
export function fctn(dims: readonly number[], bond: number | RankMatrix, options: RankMatrixOptions = {}): TensorNetwork {
  return build(dims, fullyConnectedRankMatrix(dims.length, bond), options, 'FCTN');
}

/** Options of {@link mpo}. */
export interface MpoOptions extends RankMatrixOptions {
  /** Input dimension of each site (default: the output dimensions, a square operator). */
  dimsIn?: readonly number[];
}

/**
 * A random MPO with open boundaries. Site i has an output index (dims[i]) and an input
 * index (dimsIn[i]); core axes are `[out, in, bond left, bond right]` (boundary bonds
 * absent). For a square operator the output index is the input index primed (as in
 * ITensor), so O·ψ contracts `in` with ψ's site index when they are the same index.
 */
export function mpo(dims: readonly number[], bond: number | readonly number[], options: MpoOptions = {}): TensorNetwork {
  const dimsIn = options.dimsIn ?? dims;
  if (dimsIn.length !== dims.length) throw new RangeError(`mpo: dimsIn has ${dimsIn.length} entries for ${dims.length} sites`);
  dimsIn.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`mpo: dimsIn[${i}] must be a positive integer, got ${d}`);
  });
  const net = build(dims.map((d, i) => d * dimsIn[i]!), chainRankMatrix(dims.length, bond), options, 'MPO');
  for (const tid of net.tids()) {
    const t = net.get(tid);
    const fusedPhys = t.indices[0]!;
    const lower = new Index(dimsIn[tid]!, ['phys', siteTag(tid)]);
    const upper = dims[tid] === dimsIn[tid] ? lower.prime() : new Index(dims[tid]!, ['phys', 'out', siteTag(tid)]);
    net.replace(tid, t.split(fusedPhys, [upper, lower]) as LabeledTensor);
  }
  return net;
}
