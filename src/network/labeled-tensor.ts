import type { DType } from '../tensor/dtype.js';
import { norm as frobeniusNorm } from '../tensor/reduce.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assertDistinct, Index } from './tensor-index.js';

/**
 * An immutable dense tensor whose axes are {@link Index}es (an ITensor): axis k of
 * `data` is `indices[k]`. Operations address axes by index, never by position, and
 * return new labelled tensors (views where the data allow).
 */
export class LabeledTensor {
  readonly data: Tensor;
  readonly indices: readonly Index[];

  constructor(data: Tensor, indices: readonly Index[]) {
    if (!(data instanceof Tensor)) throw new TypeError('LabeledTensor: data must be a Tensor');
    if (indices.length !== data.ndim) {
      throw new RangeError(`LabeledTensor: ${indices.length} indices for a tensor of shape [${data.shape.join(', ')}]`);
    }
    indices.forEach((ix, k) => {
      if (!(ix instanceof Index)) throw new TypeError(`LabeledTensor: entry ${k} of indices is not an Index`);
      if (ix.dim !== data.shape[k]) {
        throw new RangeError(`LabeledTensor: index ${ix.toString()} has dim ${ix.dim} but axis ${k} of shape [${data.shape.join(', ')}] has size ${data.shape[k]}`);
      }
    });
    assertDistinct(indices, 'LabeledTensor');
    this.data = data;
    this.indices = Object.freeze([...indices]);
  }

  /** Shape of the data, in the order of `indices`. */
  get shape(): readonly number[] {
    return this.data.shape;
  }

  /** Number of indices. */
  get rank(): number {
    return this.indices.length;
  }

  /** dtype of the data. */
  get dtype(): DType {
    return this.data.dtype;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.size;
  }

  /** Axis of `ix`, or -1. */
  axisOf(ix: Index): number {
    return this.indices.findIndex((j) => j.key === ix.key);
  }

  /** True when one of the indices matches `ix`. */
  hasIndex(ix: Index): boolean {
    return this.axisOf(ix) >= 0;
  }

  /** Axis of `ix`; throws naming the index when this tensor lacks it. */
  requireAxis(ix: Index, where = 'LabeledTensor'): number {
    const a = this.axisOf(ix);
    if (a < 0) throw new RangeError(`${where}: index ${ix.toString()} is not on the tensor (indices ${this.describeIndices()})`);
    return a;
  }

  /** The indices as text, for error messages. */
  describeIndices(): string {
    return `[${this.indices.map((i) => i.toString()).join(', ')}]`;
  }

  /** This tensor with its axes in `order` (a view); `order` must be a permutation of its indices. */
  permuteTo(order: readonly Index[]): LabeledTensor {
    if (order.length !== this.rank) {
      throw new RangeError(`permuteTo: ${order.length} indices given for a tensor with indices ${this.describeIndices()}`);
    }
    assertDistinct(order, 'permuteTo');
    const axes = order.map((ix) => this.requireAxis(ix, 'permuteTo'));
    if (axes.every((a, k) => a === k)) return this;
    return new LabeledTensor(this.data.permute(...axes), order);
  }

  /** The plain tensor with axes in `order` (default: the current order). */
  toTensor(order?: readonly Index[]): Tensor {
    return order === undefined ? this.data : this.permuteTo(order).data;
  }

  /** Replaces indices (matched by key) with others of the same dimension. */
  replaceIndices(from: readonly Index[], to: readonly Index[]): LabeledTensor {
    if (from.length !== to.length) throw new RangeError(`replaceIndices: ${from.length} indices to replace but ${to.length} replacements`);
    const next = [...this.indices];
    from.forEach((ix, k) => {
      const a = this.requireAxis(ix, 'replaceIndices');
      const by = to[k]!;
      if (by.dim !== ix.dim) throw new RangeError(`replaceIndices: cannot replace ${ix.toString()} (dim ${ix.dim}) by ${by.toString()} (dim ${by.dim})`);
      next[a] = by;
    });
    return new LabeledTensor(this.data, next);
  }

  /** Applies `f` to every index (dimensions must be kept). */
  mapIndices(f: (ix: Index) => Index): LabeledTensor {
    return new LabeledTensor(this.data, this.indices.map(f));
  }

  /** Every index primed by `n` (default 1). */
  prime(n = 1): LabeledTensor {
    return this.mapIndices((i) => i.prime(n));
  }

  /** Every index at prime level 0. */
  noprime(): LabeledTensor {
    return this.mapIndices((i) => i.noprime());
  }

  /**
   * Fuses `parts` into one index `fused` (a fresh one with tag 'fused' by default) of
   * dimension Π dims, row-major over `parts` in the given order (the first part varies
   * slowest). The fused axis takes the place of the first of the parts in this tensor;
   * the other axes keep their order. Undone by {@link split} with the same parts.
   */
  fuse(parts: readonly Index[], fused?: Index): LabeledTensor {
    if (parts.length === 0) throw new RangeError('fuse: no indices to fuse');
    assertDistinct(parts, 'fuse');
    const axes = parts.map((ix) => this.requireAxis(ix, 'fuse'));
    const dim = sizeOf(parts.map((p) => p.dim));
    const target = fused ?? new Index(dim, ['fused']);
    if (target.dim !== dim) throw new RangeError(`fuse: fused index ${target.toString()} has dim ${target.dim}, the parts need ${dim}`);
    const first = Math.min(...axes);
    const partSet = new Set(axes);
    const before = [...this.indices.keys()].filter((a) => a < first && !partSet.has(a));
    const after = [...this.indices.keys()].filter((a) => a > first && !partSet.has(a));
    const perm = [...before, ...axes, ...after];
    const shape = [...before.map((a) => this.shape[a]!), dim, ...after.map((a) => this.shape[a]!)];
    const data = this.data.permute(...perm).reshape(...shape);
    return new LabeledTensor(data, [...before.map((a) => this.indices[a]!), target, ...after.map((a) => this.indices[a]!)]);
  }

  /** Splits the axis `fused` back into `parts` (row-major, first part slowest), in its place. */
  split(fused: Index, parts: readonly Index[]): LabeledTensor {
    const a = this.requireAxis(fused, 'split');
    const dim = sizeOf(parts.map((p) => p.dim));
    if (parts.length === 0 || dim !== fused.dim) {
      throw new RangeError(`split: parts [${parts.map((p) => p.toString()).join(', ')}] have total dim ${dim}, index ${fused.toString()} has ${fused.dim}`);
    }
    const indices = [...this.indices.slice(0, a), ...parts, ...this.indices.slice(a + 1)];
    assertDistinct(indices, 'split');
    const shape = [...this.shape.slice(0, a), ...parts.map((p) => p.dim), ...this.shape.slice(a + 1)];
    return new LabeledTensor(this.data.reshape(...shape), indices);
  }

  /** Complex conjugate: the identity for the real dtypes supported (kept so generic code reads like the math). */
  conj(): LabeledTensor {
    return this;
  }

  /** Frobenius norm. */
  norm(): number {
    return frobeniusNorm(this.data);
  }

  /** The same tensor with its data converted to `dtype`. */
  astype(dtype: DType): LabeledTensor {
    return dtype === this.dtype ? this : new LabeledTensor(this.data.astype(dtype), this.indices);
  }

  /** The shape and indices, for printing. */
  toString(): string {
    return `LabeledTensor(${this.dtype}, ${this.describeIndices()})`;
  }
}
