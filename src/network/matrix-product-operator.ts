import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { chainSiteArrays, chainSitesNetwork } from './matrix-product-state.js';
import { siteTag } from './rank-matrix.js';
import { Index } from './tensor-index.js';
import type { TensorNetwork } from './tensor-network.js';
import { mpo, type MpoOptions } from './topologies.js';

/**
 * A matrix product operator: site i is a dense tensor `[left bond, out, in, right bond]`
 * (outer bonds of the end sites of size 1). `upper[i]` is the output index of site i
 * and `lower[i]` its input index: O maps states over `lower` to states over `upper`.
 */
export class MatrixProductOperator {
  readonly sites: readonly Tensor[];
  readonly upper: readonly Index[];
  readonly lower: readonly Index[];

  constructor(sites: readonly Tensor[], upper?: readonly Index[], lower?: readonly Index[]) {
    const L = sites.length;
    if (L === 0) throw new RangeError('MatrixProductOperator: needs at least one site');
    sites.forEach((s, i) => {
      if (!(s instanceof Tensor) || s.ndim !== 4) throw new RangeError(`MatrixProductOperator: site ${i} must be a 4-D tensor [left, out, in, right]`);
      if (i === 0 && s.shape[0] !== 1) throw new RangeError(`MatrixProductOperator: site 0 must have left bond 1, got shape [${s.shape.join(', ')}]`);
      if (i === L - 1 && s.shape[3] !== 1) throw new RangeError(`MatrixProductOperator: site ${i} must have right bond 1, got shape [${s.shape.join(', ')}]`);
      if (i > 0 && sites[i - 1]!.shape[3] !== s.shape[0]) throw new RangeError(`MatrixProductOperator: bond ${i - 1} differs between sites ${i - 1} and ${i}`);
    });
    const lo = lower ?? sites.map((s, i) => new Index(s.shape[2]!, ['phys', siteTag(i)]));
    const up = upper ?? sites.map((s, i) => (s.shape[1] === lo[i]!.dim ? lo[i]!.prime() : new Index(s.shape[1]!, ['phys', 'out', siteTag(i)])));
    if (up.length !== L || lo.length !== L) throw new RangeError(`MatrixProductOperator: index lists must have ${L} entries`);
    sites.forEach((s, i) => {
      if (up[i]!.dim !== s.shape[1] || lo[i]!.dim !== s.shape[2]) throw new RangeError(`MatrixProductOperator: site ${i} indices do not match its shape [${s.shape.join(', ')}]`);
    });
    this.sites = Object.freeze([...sites]);
    this.upper = Object.freeze([...up]);
    this.lower = Object.freeze([...lo]);
  }

  /** A random MPO (see {@link mpo}). */
  static random(dims: readonly number[], bond: number | readonly number[], options: MpoOptions = {}): MatrixProductOperator {
    return MatrixProductOperator.fromNetwork(mpo(dims, bond, options));
  }

  /** The identity operator on sites of dimensions `dims` (bond 1). */
  static identity(dims: readonly number[], dtype: DType = 'f64'): MatrixProductOperator {
    const sites = dims.map((d) => {
      const t = new Tensor(dtype === 'f64' ? new Float64Array(d * d) : new Float32Array(d * d), [1, d, d, 1]);
      for (let k = 0; k < d; k++) t.data[k * d + k] = 1;
      return t;
    });
    return new MatrixProductOperator(sites);
  }

  /**
   * Reads an MPO from a chain network with site tags 'I0'…'I{L−1}' and two outer indices
   * per site, taken as (out, in) in the tensor's axis order (as {@link mpo} builds them).
   */
  static fromNetwork(net: TensorNetwork): MatrixProductOperator {
    const { sites, outer } = chainSiteArrays(net, 2, 'MatrixProductOperator.fromNetwork');
    return new MatrixProductOperator(sites, outer.map((o) => o[0]!), outer.map((o) => o[1]!));
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
    return this.sites.slice(0, -1).map((s) => s.shape[3]!);
  }

  /** As a tensor network: site i (tags 'I{i}', 'MPO') with axes [out, in, bond left, bond right], size-1 bonds dropped. */
  toNetwork(): TensorNetwork {
    return chainSitesNetwork(this.sites, this.upper.map((up, i) => [up, this.lower[i]!]), 'MPO');
  }

  /** The operator as a dense Πout × Πin matrix (row-major over sites; for tests and small systems). */
  toMatrix(): Tensor {
    const dense = this.toNetwork().toDense([...this.upper, ...this.lower]);
    const rows = this.upper.reduce((p, ix) => p * ix.dim, 1);
    return dense.reshape(rows, -1);
  }
}
