/**
 * Core layouts and the conversions between them, in one place.
 *
 * Two layouts are in use, both views of the same labelled network:
 *
 * - **Rank-matrix layout** (decompositions, structure search, the file format's networks built by
 *   `fromRankMatrix`): core i is `[d_i, bonds to neighbours j in increasing j]`, a bond of size 1
 *   being no edge. {@link labelNetwork} gives its einsum letters.
 * - **Chain layout** (MPS/MPO/SMPO models, TT-SVD and TR-SVD sweeps): core s is `[l, p, r]`, or
 *   `[l, p, o, r]` / `[l, p, …, r]` with further open legs; its left bond joins core s−1 and its
 *   right bond core s+1 (cyclically for a ring), the boundary bonds of an open chain have size 1.
 *   {@link chainNetwork} gives its labelled network, {@link fromNaturalCores} the rank-matrix
 *   layout of the same cores.
 */
import type { VarLike } from '../autodiff/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { LabeledTensor } from './labeled-tensor.js';
import { rankMatrixStructure, type RankMatrix } from './rank-matrix.js';
import { Index } from './tensor-index.js';
import { TensorNetwork } from './tensor-network.js';

// ---------------------------------------------------------------------------------------------
// Chain layout → rank-matrix layout

/**
 * Converts chain/ring cores in the chain ("natural") layout [left bond, d, right bond] (core k's
 * left bond joins core k−1, its right bond core k+1, cyclically for a ring) into the
 * rank-matrix layout [d, bonds in increasing neighbour index], dropping size-1 bonds
 * (a bond of dimension 1 is no edge). Rings need at least 3 cores.
 */
export function fromNaturalCores(naturals: readonly Tensor[], ring: boolean): Tensor[] {
  const n = naturals.length;
  return naturals.map((z, k) => {
    const [left, d, right] = z.shape as [number, number, number];
    // In a ring, core 0's left neighbour is n−1 and core n−1's right neighbour is 0:
    // both then list the right bond first.
    const rightFirst = ring && (k === 0 || k === n - 1);
    const view = rightFirst ? z.permute(1, 2, 0) : z.permute(1, 0, 2);
    const bonds = (rightFirst ? [right, left] : [left, right]).filter((r) => r > 1);
    return view.copy().reshape(d, ...bonds);
  });
}

// ---------------------------------------------------------------------------------------------
// Chain layout: checks and labelled network

/**
 * Checks the cores a model wraps, core by core: `checkCore`, then that its left bond is the
 * right bond of the core before it (1 for core 0); at the end, that the last right bond is 1.
 * @throws RangeError (or what `checkCore` throws) naming `who` and the first bad core.
 */
export function checkCoreChain(cores: readonly Tensor[], who: string, checkCore: (core: Tensor, s: number) => void): void {
  cores.forEach((c, s) => {
    checkCore(c, s);
    const left = s === 0 ? 1 : cores[s - 1]!.shape[cores[s - 1]!.ndim - 1];
    if (c.shape[0] !== left) throw new RangeError(`${who}: core ${s} has left bond ${c.shape[0]} but the bond before it is ${left}`);
  });
  const last = cores[cores.length - 1]!;
  if (last.shape[last.ndim - 1] !== 1) throw new RangeError(`${who}: the last core's right bond must be 1, got ${last.shape[last.ndim - 1]}`);
}

/**
 * The bonds of the (non-empty) cores of a fused chain operation: bonds[s] is the left bond
 * of core s and bonds[N] the last right bond. Checks, core by core, that it has core 0's
 * dtype, passes `checkShape`, and has the right bond of the core before it as left bond;
 * at the end, that both boundary bonds are 1.
 * @throws RangeError (or what `checkShape` throws) naming `who` and the first bad core.
 */
export function fusedChainBonds(params: readonly VarLike[], who: string, checkShape: (shape: readonly number[], s: number) => void): number[] {
  const dtype = params[0]!.dtype;
  const bonds: number[] = [];
  params.forEach((p, s) => {
    if (p.dtype !== dtype) throw new RangeError(`${who}: core ${s} is ${p.dtype} but core 0 is ${dtype}`);
    const shape = p.shape;
    checkShape(shape, s);
    if (s > 0 && shape[0] !== bonds[s]) throw new RangeError(`${who}: core ${s} has left bond ${shape[0]} but the bond before it is ${bonds[s]}`);
    if (s === 0) bonds.push(shape[0]!);
    bonds.push(shape[shape.length - 1]!);
  });
  const n = params.length;
  if (bonds[0] !== 1 || bonds[n] !== 1) throw new RangeError(`${who}: the boundary bonds must be 1, got ${bonds[0]} and ${bonds[n]}`);
  return bonds;
}

/**
 * Cores `[l, p, r]` / `[l, p, o, r]` as a tensor network: core s tagged `PARAM{s}` and
 * `I{s}`, with a physical index tagged 'phys', `site{s}`, the output index
 * `outputIndex(core, s)` where that is not null, and bond indices (tagged 'bond') shared
 * with its neighbours; the two boundary bonds have size 1.
 */
export function chainNetwork(cores: readonly Tensor[], physDim: number, outputIndex: (core: Tensor, s: number) => Index | null): TensorNetwork {
  const net = new TensorNetwork();
  let leftBond = new Index(1, 'bond');
  cores.forEach((core, s) => {
    const rightBond = new Index(core.shape[core.ndim - 1]!, 'bond');
    const phys = new Index(physDim, ['phys', `site${s}`]);
    const out = outputIndex(core, s);
    const indices = out === null ? [leftBond, phys, rightBond] : [leftBond, phys, out, rightBond];
    net.add(new LabeledTensor(core, indices), [`PARAM${s}`, `I${s}`]);
    leftBond = rightBond;
  });
  return net;
}

/** The legs of core s of a chain network, read from the network. */
export interface ChainSiteLegs {
  left: Index;
  phys: Index;
  /** The output (class) index, on the output core only. */
  out: Index | null;
  right: Index;
  /** All legs in axis order. */
  all: readonly Index[];
}

/** The legs of the core tagged `I{s}` in a chain network ({@link chainNetwork}). */
export function chainSiteLegs(net: TensorNetwork, s: number): ChainSiteLegs {
  const all = net.get(net.selectOne(`I${s}`)).indices;
  return { left: all[0]!, phys: all[1]!, out: all.length === 4 ? all[2]! : null, right: all[all.length - 1]!, all };
}

// ---------------------------------------------------------------------------------------------
// Rank-matrix layout: einsum letters

/** einsum index letters, in the order they are handed out. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * einsum labels of a rank-matrix network: one letter per physical mode and one per
 * bond, and each core's axis labels in the core layout ([physical, bonds in increasing j]).
 */
export interface NetworkLabels {
  /** physical[i]: the letter of mode i. */
  physical: string[];
  /** bonds[i]: the letters of core i's bond axes, in axis order. */
  bonds: string[];
  /** core[i] = physical[i] + bonds[i]: the labels of core i's axes. */
  core: string[];
  /** The letter of the bond (i, j), i < j, keyed "i,j". */
  edge: Map<string, string>;
}

/**
 * Assigns einsum letters to a rank-matrix network: a letter per index of its labelled form, in
 * the order {@link rankMatrixStructure} visits them (mode i gets letter i, then the bonds in
 * order). `spare` letters are left unassigned at the end of the alphabet's budget for callers
 * that need primed copies of the bonds.
 * @throws RangeError when the network needs more than 52 letters.
 */
export function labelNetwork(R: RankMatrix, spare = 0): NetworkLabels {
  let next = 0;
  const letter = (): string => LETTERS[next++] ?? '?';
  const { physical, bonds, core } = rankMatrixStructure(R, letter, letter);
  if (next + spare > LETTERS.length) {
    throw new RangeError(
      `the network has ${R.length} modes and ${bonds.size} bonds: more than the ${LETTERS.length} einsum letters it needs` +
      (spare > 0 ? ` (with ${spare} more for the Gram network)` : ''),
    );
  }
  return { physical, bonds: core.map((ls) => ls.slice(1).join('')), core: core.map((ls) => ls.join('')), edge: bonds };
}

/** The letter after those of `labels`, for priming: the k-th spare letter. */
export function spareLetter(labels: NetworkLabels, k: number): string {
  const used = labels.physical.length + labels.edge.size;
  const l = LETTERS[used + k];
  if (l === undefined) throw new RangeError(`no spare einsum letter ${k}: the network already uses ${used} of ${LETTERS.length}`);
  return l;
}
