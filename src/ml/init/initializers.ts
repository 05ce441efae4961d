import { qr } from '../../linalg/qr.js';
import { allocate, type DType } from '../../tensor/dtype.js';
import type { Random } from '../../tensor/random.js';
import { contiguousStrides, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { CoreRole } from './core-role.js';

/** Makes one core from its role, drawing from `rng`. */
export type Initializer = (role: CoreRole, rng: Random, dtype: DType) => Tensor;

/** A JSON description of an initializer (for CLI flags and model files). */
export type InitializerSpec =
  | { type: 'normal'; std: number }
  | { type: 'identity'; std: number }
  | { type: 'isometric'; std?: number }
  | { type: 'gram-schmidt' };

function checkStd(std: number, who: string): void {
  if (!(std >= 0) || !Number.isFinite(std)) throw new RangeError(`${who}: std must be a non-negative finite number, got ${std}`);
}

function normalTensor(shape: readonly number[], std: number, rng: Random, dtype: DType): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = std * rng.normal();
  return new Tensor(data, shape);
}

/** I.i.d. normal entries N(0, std²). */
export function randomNormal(std = 1e-2): Initializer {
  checkStd(std, 'randomNormal');
  return (role, rng, dtype) => normalTensor(role.shape, std, rng, dtype);
}

/**
 * Identity plus noise: N(0, std²) entries, plus 1 wherever every physical index is 0 (the
 * embedding's constant component), each identity pair has equal indices, and all other
 * non-output axes are 0; output axes get the same identity for every value. With an
 * embedding whose first component is constant (polynomial with bias) the chain starts as
 * "pass the boundary vector through", so the output is ≈ 1 whatever the length.
 */
export function identityPlusNoise(std = 1e-2): Initializer {
  checkStd(std, 'identityPlusNoise');
  return (role, rng, dtype) => {
    const t = normalTensor(role.shape, std, rng, dtype);
    const strides = contiguousStrides(role.shape);
    const free = new Set(role.outputAxes ?? []);
    // Enumerate the identity entries: pair axes move together, output axes range freely, all else is 0.
    const paired = role.identityPairs.filter(([a, b]) => a !== b);
    const pairLen = paired.map(([a, b]) => Math.min(role.shape[a]!, role.shape[b]!));
    const outAxes = [...free];
    const counters = [...paired.map(() => 0), ...outAxes.map(() => 0)];
    const limits = [...pairLen, ...outAxes.map((a) => role.shape[a]!)];
    for (;;) {
      let p = 0;
      paired.forEach(([a, b], k) => (p += counters[k]! * (strides[a]! + strides[b]!)));
      outAxes.forEach((a, k) => (p += counters[paired.length + k]! * strides[a]!));
      t.data[p] = t.data[p]! + 1;
      let i = counters.length - 1;
      while (i >= 0 && ++counters[i]! >= limits[i]!) counters[i--] = 0;
      if (i < 0) break;
    }
    return t;
  };
}

/** The core as a matrix [rows, cols] per its role (row axes first), and the permutation used. */
function asMatrix(role: CoreRole): { rows: number; cols: number; perm: number[] } {
  const rowAxes = [...role.rowAxes];
  const colAxes = role.shape.map((_, i) => i).filter((i) => !rowAxes.includes(i));
  const rows = rowAxes.reduce((p, a) => p * role.shape[a]!, 1);
  const cols = colAxes.reduce((p, a) => p * role.shape[a]!, 1);
  return { rows, cols, perm: [...rowAxes, ...colAxes] };
}

/** Writes a [rows, cols] matrix (in the permuted axis order) back into the core's own layout. */
function fromMatrix(m: Tensor, role: CoreRole, perm: number[]): Tensor {
  const permutedShape = perm.map((a) => role.shape[a]!);
  const inverse = new Array<number>(perm.length);
  perm.forEach((a, i) => (inverse[a] = i));
  return m.reshape(...permutedShape).permute(...inverse).copy();
}

/**
 * Random isometry: a Gaussian matrix [rows, cols] orthonormalised by QR (columns when
 * rows ≥ cols, rows otherwise), so the core is a left-isometry (Σ over row axes of A†A = I),
 * as in a canonical MPS. Optional `std` noise is added afterwards.
 */
export function randomIsometric(std = 0): Initializer {
  checkStd(std, 'randomIsometric');
  return (role, rng, dtype) => {
    const { rows, cols, perm } = asMatrix(role);
    const g = normalTensor([rows, cols], 1, rng, 'f64');
    let m: Tensor;
    if (rows >= cols) m = qr(g).Q;
    else m = qr(g.T.copy()).Q.T.copy();
    const out = fromMatrix(m, role, perm).astype(dtype);
    if (std > 0) for (let i = 0; i < out.size; i++) out.data[i] = out.data[i]! + std * rng.normal();
    return out;
  };
}

/**
 * Gram–Schmidt: a Gaussian matrix [rows, cols] whose columns (or rows, when there are more
 * columns than rows) are orthonormalised one by one by modified Gram–Schmidt.
 */
export function gramSchmidt(): Initializer {
  return (role, rng, dtype) => {
    const { rows, cols, perm } = asMatrix(role);
    const byColumns = rows >= cols;
    const n = byColumns ? cols : rows; // vectors
    const len = byColumns ? rows : cols; // their length
    const v = new Float64Array(n * len);
    for (let i = 0; i < v.length; i++) v[i] = rng.normal();
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let i = 0; i < len; i++) dot += v[k * len + i]! * v[j * len + i]!;
        for (let i = 0; i < len; i++) v[k * len + i] = v[k * len + i]! - dot * v[j * len + i]!;
      }
      let norm = 0;
      for (let i = 0; i < len; i++) norm += v[k * len + i]! ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < len; i++) v[k * len + i] = norm > 0 ? v[k * len + i]! / norm : 0;
    }
    // v holds vectors as rows: [n, len]; as a [rows, cols] matrix that is v (rows) or vᵀ (columns).
    const vt = new Tensor(v, [n, len]);
    const m = byColumns ? vt.T.copy() : vt;
    return fromMatrix(m, role, perm).astype(dtype);
  };
}

/** Builds an initializer from its JSON description. */
export function initializerFromSpec(spec: InitializerSpec): Initializer {
  switch (spec.type) {
    case 'normal':
      return randomNormal(spec.std);
    case 'identity':
      return identityPlusNoise(spec.std);
    case 'isometric':
      return randomIsometric(spec.std ?? 0);
    case 'gram-schmidt':
      return gramSchmidt();
    default:
      throw new RangeError(`initializer: unknown type '${(spec as { type: unknown }).type}': expected normal, identity, isometric or gram-schmidt`);
  }
}

/**
 * Parses `normal:0.01`, `identity:0.01`, `isometric`, `gram-schmidt` (the CLI syntax).
 * @throws RangeError naming the bad part.
 */
export function parseInitializer(text: string): InitializerSpec {
  // Options read from JSON (a model file's settings) may hold anything.
  if (typeof text !== 'string') throw new TypeError(`initializer: expected a string such as 'identity:0.01', got ${JSON.stringify(text)}`);
  const [name, arg] = text.split(':', 2) as [string, string | undefined];
  const std = arg === undefined ? undefined : Number(arg);
  if (arg !== undefined && !(std! >= 0)) throw new RangeError(`initializer '${text}': '${arg}' is not a non-negative number`);
  switch (name) {
    case 'normal':
    case 'randn':
      return { type: 'normal', std: std ?? 1e-2 };
    case 'identity':
      return { type: 'identity', std: std ?? 1e-2 };
    case 'isometric':
    case 'unitary':
      return std === undefined ? { type: 'isometric' } : { type: 'isometric', std };
    case 'gram-schmidt':
      return { type: 'gram-schmidt' };
    default:
      throw new RangeError(`initializer '${text}': unknown name '${name}', expected normal, identity, isometric or gram-schmidt`);
  }
}
