import { allocate, type DType, type FloatArray } from './dtype.js';
import { Random } from './random.js';
import { assertShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** Options shared by the tensor factories. */
export interface CreateOptions {
  dtype?: DType;
}

/** Options of the random factories: a seed, or a generator to draw from. */
export interface RandomOptions extends CreateOptions {
  seed?: number;
  rng?: Random;
}

/** A tensor of zeros (f64 unless `dtype` says otherwise). */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  assertShape(shape);
  return new Tensor(allocate(options.dtype ?? 'f64', sizeOf(shape)), shape);
}

/** A tensor with every element equal to `value`. */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  const t = zeros(shape, options);
  t.data.fill(value);
  return t;
}

/** A tensor of ones. */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** Identity matrix n×m (m defaults to n). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/** 0, 1, …, n−1. */
export function arange(n: number, options: CreateOptions = {}): Tensor {
  const t = zeros([n], options);
  for (let i = 0; i < n; i++) t.data[i] = i;
  return t;
}

/** A tensor from a flat array (copied) or nested arrays, with an optional shape. */
export function tensor(values: ArrayLike<number> | unknown[], shape?: readonly number[], options: CreateOptions = {}): Tensor {
  const dtype = options.dtype ?? 'f64';
  if (shape === undefined) {
    const inferred: number[] = [];
    let probe: unknown = values;
    while (Array.isArray(probe)) {
      inferred.push(probe.length);
      probe = probe[0];
    }
    const flat = Array.isArray(values) ? (values as unknown[]).flat(Infinity as 1) : Array.from(values as ArrayLike<number>);
    if (!Array.isArray(values)) inferred.push(flat.length);
    if (flat.length !== sizeOf(inferred)) throw new RangeError('nested arrays are ragged: every row must have the same length');
    return fromFlat(flat as number[], inferred, dtype);
  }
  const flat = Array.isArray(values) ? (values as unknown[]).flat(Infinity as 1) as number[] : values as ArrayLike<number>;
  if (flat.length !== sizeOf(shape)) {
    throw new RangeError(`${flat.length} values do not fill shape [${shape.join(', ')}] (${sizeOf(shape)} elements)`);
  }
  return fromFlat(flat, shape, dtype);
}

function fromFlat(flat: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  const data: FloatArray = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw new TypeError(`element ${i} is ${typeof v}, not a number`);
    data[i] = v;
  }
  return new Tensor(data, shape);
}

function generatorFor(options: RandomOptions): Random {
  return options.rng ?? new Random(options.seed ?? 0);
}

/** Standard normal entries, scaled by `scale`; reproducible from `seed` on every backend. */
export function randn(shape: readonly number[], options: RandomOptions & { scale?: number } = {}): Tensor {
  const t = zeros(shape, options);
  const rng = generatorFor(options);
  const scale = options.scale ?? 1;
  for (let i = 0; i < t.size; i++) t.data[i] = scale * rng.normal();
  return t;
}

/** Uniform entries in [low, high). */
export function rand(shape: readonly number[], options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const t = zeros(shape, options);
  const rng = generatorFor(options);
  const low = options.low ?? 0;
  const span = (options.high ?? 1) - low;
  for (let i = 0; i < t.size; i++) t.data[i] = low + span * rng.uniform();
  return t;
}
