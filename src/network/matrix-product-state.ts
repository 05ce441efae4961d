import { matmul } from '../linalg/matmul.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { LabeledTensor } from './labeled-tensor.js';
import { siteTag, type RankMatrixOptions } from './rank-matrix.js';
import { Index } from './tensor-index.js';
import { TensorNetwork } from './tensor-network.js';
import { mps } from './topologies.js';

/**
 * Reads an open chain out of a network whose site tensors carry tags 'I0' … 'I{L−1}':
 * the tid of each site and its outer indices in the tensor's axis order. Checks that
 * bonds join neighbouring sites only.
 */
export function readChain(net: TensorNetwork, what: string): { tids: number[]; outer: Index[][] } {
  const L = net.size;
  if (L === 0) throw new RangeError(`${what}: the network is empty`);
  const tids = Array.from({ length: L }, (_, i) => {
    const hit = net.select(siteTag(i));
    if (hit.length !== 1) throw new RangeError(`${what}: expected one tensor tagged '${siteTag(i)}' (sites I0…I${L - 1}), found ${hit.length}`);
    return hit[0]!;
  });
  const pos = new Map(tids.map((t, i) => [t, i]));
  const outer: Index[][] = [];
  tids.forEach((tid, i) => {
    const t = net.get(tid);
    const mine: Index[] = [];
    for (const ix of t.indices) {
      const holders = net.tidsWithIndex(ix).filter((h) => h !== tid);
      if (holders.length === 0) mine.push(ix);
      else if (holders.length > 1) throw new RangeError(`${what}: index ${ix.toString()} joins more than two tensors`);
      else {
        const j = pos.get(holders[0]!)!;
        if (Math.abs(j - i) !== 1) throw new RangeError(`${what}: site ${i} is bonded to site ${j}; an open chain bonds neighbours only`);
      }
    }
    outer.push(mine);
  });
  return { tids, outer };
}

/**
 * Site tensors of a chain network as dense arrays `[left bond, ...outer, right bond]`
 * (boundary and absent bonds of size 1; several bonds between two sites are fused).
 */
export function chainSiteArrays(net: TensorNetwork, outerPerSite: number, what: string): { sites: Tensor[]; outer: Index[][] } {
  const { tids, outer } = readChain(net, what);
  const L = tids.length;
  const sites = tids.map((tid, i) => {
    let t = net.get(tid);
    if (outer[i]!.length !== outerPerSite) {
      throw new RangeError(`${what}: site ${i} has ${outer[i]!.length} outer indices, expected ${outerPerSite}`);
    }
    const bondTo = (j: number): Index => {
      if (j < 0 || j >= L) return new Index(1, ['bond']);
      // Sorted by key, so both sides of a multi-bond fuse it the same way.
      const shared = net.bondsBetween(tid, tids[j]!).sort((a, b) => (a.key < b.key ? -1 : 1));
      if (shared.length === 0) return new Index(1, ['bond']);
      if (shared.length === 1) return shared[0]!;
      const fused = new Index(shared.reduce((p, s) => p * s.dim, 1), ['bond', 'fused'], { id: shared[0]!.id });
      t = t.fuse(shared, fused);
      return fused;
    };
    const l = bondTo(i - 1);
    const r = bondTo(i + 1);
    const withL = t.hasIndex(l) ? t : new LabeledTensor(t.data.expandDims(t.rank), [...t.indices, l]);
    const withR = withL.hasIndex(r) ? withL : new LabeledTensor(withL.data.expandDims(withL.rank), [...withL.indices, r]);
    return withR.toTensor([l, ...outer[i]!, r]);
  });
  return { sites, outer };
}

/**
 * Site tensors `[left bond, ...outer, right bond]` of an open chain as a network (the
 * inverse of {@link chainSiteArrays}): site i, tagged 'I{i}' and `kind`, has axes
 * [...outer[i], bond left, bond right]; bonds of size 1 are dropped.
 */
export function chainSitesNetwork(sites: readonly Tensor[], outer: readonly (readonly Index[])[], kind: string): TensorNetwork {
  const L = sites.length;
  const bonds = sites.slice(0, -1).map((s, k) => {
    const d = s.shape[s.ndim - 1]!;
    return d > 1 ? new Index(d, ['bond', siteTag(k), siteTag(k + 1)]) : null;
  });
  const net = new TensorNetwork();
  sites.forEach((s, i) => {
    const l = i > 0 ? bonds[i - 1]! : null;
    const r = i < L - 1 ? bonds[i]! : null;
    // [left, ...outer, right] → [...outer, left, right].
    const outerAxes = Array.from({ length: s.ndim - 2 }, (_, a) => a + 1);
    const data = s.permute(...outerAxes, 0, s.ndim - 1);
    const shape = [...s.shape.slice(1, -1), ...(l ? [l.dim] : []), ...(r ? [r.dim] : [])];
    const indices = [...outer[i]!, ...(l ? [l] : []), ...(r ? [r] : [])];
    net.add(new LabeledTensor(data.reshape(...shape), indices), [siteTag(i), kind]);
  });
  return net;
}

/**
 * A matrix product state: site i is a dense tensor `[left bond, physical, right bond]`
 * (the outer bonds of sites 0 and L−1 have size 1). `centre`, when not null, is an
 * orthogonality centre: sites left of it are left-orthonormal (Σ_{l,p} A[l,p,r]A[l,p,r'] =
 * δ) and sites right of it right-orthonormal. Immutable: algorithms return new states.
 */
export class MatrixProductState {
  readonly sites: readonly Tensor[];
  readonly physical: readonly Index[];
  readonly centre: number | null;

  constructor(sites: readonly Tensor[], physical?: readonly Index[], centre: number | null = null) {
    const L = sites.length;
    if (L === 0) throw new RangeError('MatrixProductState: needs at least one site');
    sites.forEach((s, i) => {
      if (!(s instanceof Tensor) || s.ndim !== 3) throw new RangeError(`MatrixProductState: site ${i} must be a 3-D tensor [left, phys, right], got ${s instanceof Tensor ? `shape [${s.shape.join(', ')}]` : typeof s}`);
      if (i === 0 && s.shape[0] !== 1) throw new RangeError(`MatrixProductState: site 0 must have left bond 1, got shape [${s.shape.join(', ')}]`);
      if (i === L - 1 && s.shape[2] !== 1) throw new RangeError(`MatrixProductState: site ${i} must have right bond 1, got shape [${s.shape.join(', ')}]`);
      if (i > 0 && sites[i - 1]!.shape[2] !== s.shape[0]) {
        throw new RangeError(`MatrixProductState: bond ${i - 1} differs: site ${i - 1} has right size ${sites[i - 1]!.shape[2]}, site ${i} left size ${s.shape[0]}`);
      }
    });
    const phys = physical ?? sites.map((s, i) => new Index(s.shape[1]!, ['phys', siteTag(i)]));
    if (phys.length !== L) throw new RangeError(`MatrixProductState: ${phys.length} physical indices for ${L} sites`);
    phys.forEach((ix, i) => {
      if (ix.dim !== sites[i]!.shape[1]) throw new RangeError(`MatrixProductState: physical index ${i} has dim ${ix.dim}, site ${i} has ${sites[i]!.shape[1]}`);
    });
    if (centre !== null && (!Number.isInteger(centre) || centre < 0 || centre >= L)) throw new RangeError(`MatrixProductState: centre ${centre} out of range for ${L} sites`);
    this.sites = Object.freeze([...sites]);
    this.physical = Object.freeze([...phys]);
    this.centre = centre;
  }

  /** A random MPS (see {@link mps}). */
  static random(dims: readonly number[], bond: number | readonly number[], options: RankMatrixOptions = {}): MatrixProductState {
    return MatrixProductState.fromNetwork(mps(dims, bond, options));
  }

  /**
   * Reads an MPS from a chain network with site tags 'I0'…'I{L−1}', one outer
   * (physical) index per site. No orthogonality is assumed (centre null).
   */
  static fromNetwork(net: TensorNetwork): MatrixProductState {
    const { sites, outer } = chainSiteArrays(net, 1, 'MatrixProductState.fromNetwork');
    return new MatrixProductState(sites, outer.map((o) => o[0]!));
  }

  /** Number of sites. */
  get length(): number {
    return this.sites.length;
  }

  /** dtype of the site tensors. */
  get dtype(): DType {
    return this.sites[0]!.dtype;
  }

  /** The L−1 inner bond dimensions. */
  bondDims(): number[] {
    return this.sites.slice(0, -1).map((s) => s.shape[2]!);
  }

  /** The physical dimension of each site. */
  physicalDims(): number[] {
    return this.physical.map((ix) => ix.dim);
  }

  /** Largest bond dimension (1 for a product state). */
  maxBond(): number {
    return Math.max(1, ...this.bondDims());
  }

  /** Number of stored entries. */
  paramCount(): number {
    return this.sites.reduce((s, t) => s + t.size, 0);
  }

  /** This state with other sites (the centre is forgotten unless given). */
  withSites(sites: readonly Tensor[], centre: number | null = null): MatrixProductState {
    return new MatrixProductState(sites, this.physical, centre);
  }

  /**
   * As a tensor network following {@link fromRankMatrix}'s convention: site i (tag
   * 'I{i}', 'MPS') has axes [physical, bond left, bond right]; bonds of size 1 are dropped.
   */
  toNetwork(): TensorNetwork {
    return chainSitesNetwork(this.sites, this.physical.map((ix) => [ix]), 'MPS');
  }

  /** The full state as a dense tensor of shape physicalDims() (exponential in L: for tests and small systems). */
  toDense(): Tensor {
    let acc = this.sites[0]!.reshape(this.sites[0]!.shape[1]!, this.sites[0]!.shape[2]!);
    for (let i = 1; i < this.length; i++) {
      const s = this.sites[i]!;
      acc = matmul(acc, s.reshape(s.shape[0]!, s.shape[1]! * s.shape[2]!)).reshape(-1, s.shape[2]!);
    }
    return acc.reshape(...this.physicalDims());
  }
}
