import { allocate, type DType, type FloatArray, dtypeOf } from './dtype.js';
import { assertShape, contiguousStrides, normalizeAxis, shapesEqual, sizeOf } from './shape.js';
import { stridedCopy } from './strided.js';

/** One axis of a slice: a single index (the axis is dropped) or a `[start, stop, step]` range. */
export type SliceSpec = number | null | readonly [start?: number | null, stop?: number | null, step?: number];

/**
 * A dense n-dimensional array over a Float64Array or Float32Array.
 *
 * Tensors are immutable values by convention: operations return new tensors, and
 * views (permute, contiguous reshape, slice) share `data` with the tensor they come
 * from. Element `(i0, …, ik)` lives at `data[offset + Σ ij·strides[j]]`.
 */
export class Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly data: FloatArray;
  readonly size: number;

  constructor(data: FloatArray, shape: readonly number[], strides?: readonly number[], offset = 0) {
    assertShape(shape);
    this.data = data;
    this.dtype = dtypeOf(data);
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    if (strides === undefined) {
      if (offset + this.size > data.length) {
        throw new RangeError(`shape [${shape.join(', ')}] needs ${this.size} elements but the data has ${data.length - offset}`);
      }
      this.strides = Object.freeze(contiguousStrides(shape));
    } else {
      if (strides.length !== shape.length) {
        throw new RangeError(`strides [${strides.join(', ')}] do not match shape [${shape.join(', ')}]`);
      }
      this.strides = Object.freeze([...strides]);
    }
    this.offset = offset;
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True when the elements are laid out in C order from `offset` with no gaps. */
  get isContiguous(): boolean {
    let s = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      const d = this.shape[i]!;
      if (d !== 1 && this.strides[i] !== s) return false;
      s *= d;
    }
    return true;
  }

  /** Element at a full index (negative indices count from the end). */
  get(...index: number[]): number {
    return this.data[this.flatIndex(index)]!;
  }

  /** Writes one element in place. Only for tensors you own (kernels, builders). */
  setInPlace(value: number, ...index: number[]): void {
    this.data[this.flatIndex(index)] = value;
  }

  private flatIndex(index: number[]): number {
    if (index.length !== this.ndim) {
      throw new RangeError(`index [${index.join(', ')}] has ${index.length} entries for a tensor of shape [${this.shape.join(', ')}]`);
    }
    let p = this.offset;
    for (let i = 0; i < index.length; i++) {
      const d = this.shape[i]!;
      let k = index[i]!;
      if (k < 0) k += d;
      if (!Number.isInteger(k) || k < 0 || k >= d) {
        throw new RangeError(`index ${index[i]} is out of range for axis ${i} of size ${d}`);
      }
      p += k * this.strides[i]!;
    }
    return p;
  }

  /** Permutes the axes (a view). `permute()` with no axes reverses them. */
  permute(...axes: number[]): Tensor {
    const n = this.ndim;
    const perm = axes.length === 0 ? [...Array(n).keys()].reverse() : axes.map((a) => normalizeAxis(a, n));
    if (perm.length !== n || new Set(perm).size !== n) {
      throw new RangeError(`permutation [${axes.join(', ')}] is not a permutation of ${n} axes`);
    }
    return new Tensor(this.data, perm.map((a) => this.shape[a]!), perm.map((a) => this.strides[a]!), this.offset);
  }

  /** Matrix transpose of the last two axes (a view). */
  get T(): Tensor {
    if (this.ndim < 2) return this;
    const axes = [...Array(this.ndim).keys()];
    axes[this.ndim - 2] = this.ndim - 1;
    axes[this.ndim - 1] = this.ndim - 2;
    return this.permute(...axes);
  }

  /**
   * Reshape; one dimension may be -1. A view when the data are contiguous,
   * otherwise a contiguous copy is made first.
   */
  reshape(...shape: number[]): Tensor {
    const target = resolveShape(shape, this.size, this.shape);
    const source = this.isContiguous ? this : this.contiguous();
    return new Tensor(source.data, target, undefined, source.offset);
  }

  /** Slices each axis (a view): a number selects and drops the axis, `[start, stop, step]` keeps it. */
  slice(...specs: SliceSpec[]): Tensor {
    if (specs.length > this.ndim) {
      throw new RangeError(`${specs.length} slice entries for a tensor with ${this.ndim} dimensions`);
    }
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = this.offset;
    for (let axis = 0; axis < this.ndim; axis++) {
      const d = this.shape[axis]!;
      const st = this.strides[axis]!;
      const spec = axis < specs.length ? specs[axis] : null;
      if (spec === null || spec === undefined) {
        shape.push(d);
        strides.push(st);
      } else if (typeof spec === 'number') {
        const k = spec < 0 ? spec + d : spec;
        if (!Number.isInteger(k) || k < 0 || k >= d) throw new RangeError(`index ${spec} is out of range for axis ${axis} of size ${d}`);
        offset += k * st;
      } else {
        const step = spec[2] ?? 1;
        if (!Number.isInteger(step) || step === 0) throw new RangeError(`slice step must be a non-zero integer on axis ${axis}, got ${step}`);
        const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
        let start: number;
        let stop: number;
        if (step > 0) {
          start = spec[0] == null ? 0 : clamp(spec[0] < 0 ? spec[0] + d : spec[0], 0, d);
          stop = spec[1] == null ? d : clamp(spec[1] < 0 ? spec[1] + d : spec[1], 0, d);
        } else {
          start = spec[0] == null ? d - 1 : clamp(spec[0] < 0 ? spec[0] + d : spec[0], -1, d - 1);
          stop = spec[1] == null ? -1 : clamp(spec[1] < 0 ? spec[1] + d : spec[1], -1, d - 1);
        }
        const len = Math.max(0, Math.ceil((stop - start) / step));
        if (len > 0) offset += start * st;
        shape.push(len);
        strides.push(st * step);
      }
    }
    return new Tensor(this.data, shape, strides, offset);
  }

  /** Inserts a unit axis. */
  expandDims(axis: number): Tensor {
    const a = normalizeAxis(axis, this.ndim + 1);
    const shape = [...this.shape];
    const strides = [...this.strides];
    shape.splice(a, 0, 1);
    strides.splice(a, 0, 0);
    return new Tensor(this.data, shape, strides, this.offset);
  }

  /** Views this tensor with broadcast (stride 0) axes so it has `shape`. */
  broadcastTo(shape: readonly number[]): Tensor {
    if (shape.length < this.ndim) throw new RangeError(`cannot broadcast shape [${this.shape.join(', ')}] to [${shape.join(', ')}]`);
    const lead = shape.length - this.ndim;
    const strides = shape.map((d, i) => {
      if (i < lead) return 0;
      const own = this.shape[i - lead]!;
      if (own === d) return this.strides[i - lead]!;
      if (own === 1) return 0;
      throw new RangeError(`cannot broadcast shape [${this.shape.join(', ')}] to [${shape.join(', ')}] (axis ${i}: ${own} vs ${d})`);
    });
    return new Tensor(this.data, shape, strides, this.offset);
  }

  /** This tensor if already contiguous from offset 0 with exactly `size` elements, else a C-order copy. */
  contiguous(): Tensor {
    if (this.isContiguous && this.offset === 0 && this.data.length === this.size) return this;
    if (this.isContiguous) return new Tensor(this.data.subarray(this.offset, this.offset + this.size), this.shape);
    return this.copy();
  }

  /** A fresh C-order copy. */
  copy(): Tensor {
    const out = allocate(this.dtype, this.size);
    stridedCopy(this.data, this.offset, this.shape, this.strides, out);
    return new Tensor(out, this.shape);
  }

  /** Converts to another dtype (a copy; or this tensor when the dtype already matches). */
  astype(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const src = this.contiguous();
    const out = allocate(dtype, this.size);
    out.set(src.data);
    return new Tensor(out, this.shape);
  }

  /** The elements in C order as a plain typed array (shares memory when contiguous). */
  toTypedArray(): FloatArray {
    return this.contiguous().data;
  }

  /** Nested JavaScript arrays, for printing and tests. */
  toArray(): unknown {
    const flat = Array.from(this.toTypedArray());
    if (this.ndim === 0) return flat[0];
    const build = (axis: number, start: number): unknown[] => {
      const d = this.shape[axis]!;
      const inner = sizeOf(this.shape.slice(axis + 1));
      const out: unknown[] = [];
      for (let i = 0; i < d; i++) out.push(axis === this.ndim - 1 ? flat[start + i] : build(axis + 1, start + i * inner));
      return out;
    };
    return build(0, 0);
  }

  /** The only element of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item() needs a tensor with one element, this one has shape [${this.shape.join(', ')}]`);
    return this.toTypedArray()[0]!;
  }

  /** True when `other` has the same shape (dtype and strides may differ). */
  sameShape(other: Tensor): boolean {
    return shapesEqual(this.shape, other.shape);
  }

  /** `Tensor(dtype, [shape])`, for printing (the values are not shown). */
  toString(): string {
    return `Tensor(${this.dtype}, [${this.shape.join(', ')}])`;
  }
}

function resolveShape(shape: readonly number[], size: number, from: readonly number[]): number[] {
  const out = [...shape];
  const free = out.indexOf(-1);
  if (free !== out.lastIndexOf(-1)) throw new RangeError(`reshape to [${shape.join(', ')}]: only one dimension may be -1`);
  if (free >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== free));
    if (known === 0 || size % known !== 0) throw new RangeError(`cannot reshape [${from.join(', ')}] (${size} elements) to [${shape.join(', ')}]`);
    out[free] = size / known;
  }
  assertShape(out, 'reshape target');
  if (sizeOf(out) !== size) throw new RangeError(`cannot reshape [${from.join(', ')}] (${size} elements) to [${shape.join(', ')}] (${sizeOf(out)} elements)`);
  return out;
}
