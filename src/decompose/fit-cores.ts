import { einsum, einsumPath } from '../einsum/index.js';
import { matmul } from '../linalg/matmul.js';
import { qr } from '../linalg/qr.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { relativeError } from '../tensor/scaled-norm.js';
import { contractCores, randomCores } from './contract-cores.js';
import { normalizedInput, scaleTensor, unscaleResult } from './input.js';
import { checkFitInputs, scaleToMatch } from './fit-inputs.js';
import type { Mask } from './mask.js';
import { labelNetwork, spareLetter, type NetworkLabels } from '../network/core-layout.js';
import { assertRankMatrix, type RankMatrix } from './rank-matrix.js';
import { neighbours } from '../network/index.js';
import { ridgeSolve } from './ridge-solve.js';
import { smoothSolve } from './smooth-solve.js';
import { stopRequested, type StopFlag } from './stop-flag.js';

/** Progress of one ALS sweep, passed to `onIter`. */
export interface SweepInfo {
  /** Sweeps done so far (1-based). */
  iter: number;
  /** RSE on the observed entries (all entries without a mask). */
  rse: number;
  /** RSE on the missing entries, when a mask and the truth are given. */
  rseMissing?: number;
}

/** Options of {@link fitCores}. */
export interface FitCoresOptions {
  /** Starting cores (a warm start), in the rank-matrix layout; default random (seeded). */
  init?: readonly Tensor[];
  /** Maximum number of sweeps (default 50). */
  iters?: number;
  /**
   * Stop when the RSE changes by less than tol·RSE between sweeps (default 1e-6), or
   * when the RSE is at the rounding floor of the dtype.
   */
  tol?: number;
  /** Seed of the random starting cores (default 0). */
  seed?: number;
  /** Observed entries (tensor completion): the fit only sees these. */
  mask?: Mask;
  /** The full tensor, to report the RSE on the missing entries (with `mask`). */
  truth?: Tensor;
  /**
   * Stop as soon as the RSE is ≤ stopAt (default 0: never). Structure search uses its
   * target here: a fit that already meets it needs no more sweeps.
   */
  stopAt?: number;
  /** Ridge of the normal equations, relative to the Gram matrix's largest eigenvalue (default 1e-14). */
  ridge?: number;
  /**
   * Smoothness penalty along each core's physical index (default 0: none): μ_i·Σ_j
   * ‖G_i[j+1] − G_i[j]‖², μ_i relative to the mean eigenvalue of the Gram matrix (see
   * `smoothSolve`). One number for every mode, or one per mode. Meant
   * for modes whose index is an ordered axis (pixels, frames): it is a prior that
   * neighbouring slices are alike, which fills missing entries where the low-rank model
   * alone is not determined (completion at high missing rates).
   */
  smoothness?: number | readonly number[];
  /** Called after every sweep. */
  onIter?: (info: SweepInfo) => void;
  /**
   * Wall-clock deadline as a `Date.now()` time in ms: no sweep starts after it (the first sweep
   * always runs), so a search's time budget also bounds one long fit. Default none.
   */
  deadline?: number;
  /** A shared stop request (see stop-flag.ts): no sweep starts once it is set (the first always runs). */
  stop?: StopFlag;
}

/** Result of {@link fitCores}. */
export interface FitCoresResult {
  /** The fitted cores in the rank-matrix layout (the input's dtype). */
  cores: Tensor[];
  /** Final RSE on the observed entries (all entries without a mask). */
  rse: number;
  /** Final RSE on the missing entries, when `mask` and `truth` were given. */
  rseMissing?: number;
  /** Sweeps done. */
  iters: number;
  /** Whether the tolerance was met before the sweep limit. */
  converged: boolean;
  /** RSE after each sweep. */
  history: number[];
}

/** The einsum specs of one core's ALS update, fixed for the whole fit. */
interface CoreStep {
  /** The other cores → design tensor M with axes [bonds of i, other physical modes]. */
  design: string;
  /** X, M → XMᵀ with axes [d_i, bonds of i]. */
  project: string;
  /** Gram MMᵀ from the double layer of the other cores, when cheaper than from M. */
  gram: string | undefined;
  /** core i, M → the model X̂ in the tensor's axis order. */
  reconstruct: string;
  /** Π of core i's bond dimensions. */
  bondSize: number;
  /** Π of the other physical dimensions. */
  otherSize: number;
}

/**
 * Alternating least squares for a tensor network of any topology given by a rank
 * matrix R: the evaluation step of structure search.
 *
 * Each sweep updates the cores in order. For core i, the other cores are contracted
 * (einsum with the path optimizer) into the design matrix M (bonds of i × other modes);
 * the core solves the normal equations G·(MMᵀ + λI) = X_(i)·Mᵀ (see `ridgeSolve`).
 * MMᵀ comes from the double-layer network of the other cores when that contraction is
 * cheaper than the gemm M·Mᵀ (chains and rings: it never forms a product over the modes).
 * After each sweep the model is rebuilt (one gemm) to measure the RSE exactly.
 *
 * Completion (`mask`): EM-style imputation. The missing entries start at the mean of the
 * observed ones (or at the warm start's model), every sweep is a full ALS sweep on the
 * filled tensor, and after it the missing entries are replaced by the current model.
 * Each step stays on gemm; convergence is slower than a per-entry weighted solve when
 * most entries are missing. The RSE is measured on the observed entries.
 *
 * The gauge is kept canonical over a spanning tree of R, centered at the core being
 * updated (QR steps along the tree, see GaugeCenter), which keeps the Gram matrices well
 * conditioned: on trees (chains, stars) exactly-low-rank tensors are then recovered to
 * rounding from a random start. On networks with loops (rings, triangles) ALS from a
 * random start can stall in a local minimum or swamp, as TR-ALS is known to; use several
 * seeds or warm-start from a decomposition (e.g. TR-SVD) there.
 *
 * Runs in the tensor's dtype (the small normal-equation solves in f64). A tensor with
 * entries far from 1 is fitted pre-scaled by a power of two (init core 0 and the truth
 * with it; core 0 of the result takes the scale back), so c·X fits like X.
 * @throws RangeError for a bad rank matrix, init cores that do not match it, a mask of
 *   the wrong shape, a bad option, or a core 0 that overflows the dtype.
 */
export function fitCores(input: Tensor, R: RankMatrix, options: FitCoresOptions = {}): FitCoresResult {
  const fn = 'fitCores';
  const { x, exponent } = normalizedInput(input, fn, 2);
  const dims = [...x.shape];
  const n = dims.length;
  assertRankMatrix(R, n, fn);
  const { iters = 50, tol = 1e-6, seed = 0, ridge = 1e-14, stopAt = 0 } = options;
  if (!(stopAt >= 0)) throw new RangeError(`${fn}: stopAt must be a non-negative number, got ${stopAt}`);
  if (!Number.isInteger(iters) || iters < 1) throw new RangeError(`${fn}: iters must be a positive integer, got ${iters}`);
  if (!(tol >= 0)) throw new RangeError(`${fn}: tol must be a non-negative number, got ${tol}`);
  if (!(ridge >= 0)) throw new RangeError(`${fn}: ridge must be a non-negative number, got ${ridge}`);
  const smooth = smoothnessPerMode(options.smoothness, n, fn);
  const mask = checkFitInputs(dims, R, options, fn);
  const truth = options.truth === undefined ? undefined : scaleTensor(options.truth, exponent);
  const dtype = x.dtype;
  const floor = dtype === 'f64' ? 1e-13 : 1e-5;

  const init = options.init?.map((c, i) => scaleTensor(c.astype(dtype).copy(), i === 0 ? exponent : 0));
  // The working tensor: X with missing entries imputed (a copy only when masked).
  const target = x.toTypedArray();
  const work = mask ? target.slice() : target;
  const xWork = new Tensor(work, dims);
  const missing = mask ? missingIndices(mask) : new Int32Array(0);
  const start = startingPoint(x, target, R, init, seed, mask, work, missing);
  const cores = start.cores;
  let model = start.model;

  const gauge = new GaugeCenter(R, cores);
  const labels = labelNetwork(R);
  const steps = dims.map((_, i) => planCoreStep(labels, cores, dims, i));
  let rse = relativeError(model, target, mask, 1);
  const history: number[] = [];
  let converged = false;
  let done = 0;
  let rseMissing: number | undefined;
  for (let sweep = 1; sweep <= iters; sweep++) {
    let design: Tensor | undefined;
    for (let i = 0; i < n; i++) {
      gauge.moveTo(cores, i);
      design = updateCore(cores, i, steps[i]!, xWork, smooth[i]!, ridge);
    }
    model = einsum(steps[n - 1]!.reconstruct, cores[n - 1]!, design!).toTypedArray();
    const previous = rse;
    rse = relativeError(model, target, mask, 1);
    if (mask) for (const p of missing) work[p] = model[p]!;
    if (mask && truth) rseMissing = relativeError(model, truth.toTypedArray(), mask, 0);
    history.push(rse);
    done = sweep;
    options.onIter?.(rseMissing === undefined ? { iter: sweep, rse } : { iter: sweep, rse, rseMissing });
    if (rse <= floor || rse <= stopAt || Math.abs(previous - rse) <= tol * previous) {
      converged = true;
      break;
    }
    if ((options.deadline !== undefined && Date.now() >= options.deadline) || stopRequested(options.stop)) break;
  }
  cores[0] = unscaleResult(cores[0]!, exponent, fn, 'entries of core 0');
  const result: FitCoresResult = { cores, rse, iters: done, converged, history };
  if (rseMissing !== undefined) result.rseMissing = rseMissing;
  return result;
}

/**
 * The starting cores (`init`, or seeded random cores scaled to the data's norm on the
 * observed entries) and their model; with a mask, the missing entries of `work` are
 * imputed: by the model of `init`, or by the observed mean for a random start.
 */
function startingPoint(
  x: Tensor, target: FloatArray, R: RankMatrix, init: Tensor[] | undefined, seed: number, mask: Uint8Array | undefined, work: FloatArray, missing: Int32Array,
): { cores: Tensor[]; model: FloatArray } {
  let cores = init ?? randomCores([...x.shape], R, { seed, dtype: x.dtype });
  const model = contractCores(cores, R).toTypedArray();
  if (init === undefined) {
    const s = scaleToMatch(model, target, mask);
    const per = Math.abs(s) ** (1 / x.ndim);
    cores = cores.map((c, i) => scaled(c, i === 0 ? Math.sign(s) * per : per));
    for (let p = 0; p < model.length; p++) model[p] = model[p]! * s;
    if (mask) {
      const mean = observedMean(target, mask);
      for (const p of missing) work[p] = mean;
    }
  } else if (mask) {
    for (const p of missing) work[p] = model[p]!;
  }
  return { cores, model };
}

/**
 * One ALS update: core i solves its least-squares problem (ridge, plus the smoothness
 * penalty when `smooth` > 0) with the others fixed. Returns the design tensor (the other
 * cores contracted), from which the last update's model is rebuilt.
 */
function updateCore(cores: Tensor[], i: number, step: CoreStep, xWork: Tensor, smooth: number, ridge: number): Tensor {
  const others = cores.filter((_, j) => j !== i);
  const design = einsum(step.design, ...others);
  const rhs = einsum(step.project, xWork, design);
  const gram = step.gram !== undefined
    ? einsum(step.gram, ...others, ...others)
    : matmul(design.reshape(step.bondSize, step.otherSize), design.reshape(step.bondSize, step.otherSize), { transB: true });
  const d = xWork.shape[i]!;
  const g = smooth > 0
    ? smoothSolve(rhs.toTypedArray(), gram.toTypedArray(), d, step.bondSize, ridge, smooth)
    : ridgeSolve(rhs.toTypedArray(), gram.toTypedArray(), d, step.bondSize, ridge);
  cores[i] = new Tensor(g, cores[i]!.shape);
  return design;
}

/** The smoothness option as one weight per mode, checked. */
function smoothnessPerMode(option: number | readonly number[] | undefined, n: number, fn: string): number[] {
  if (option === undefined) return new Array<number>(n).fill(0);
  const list = typeof option === 'number' ? new Array<number>(n).fill(option) : [...option];
  if (list.length !== n) throw new RangeError(`${fn}: smoothness has ${list.length} weights but the tensor has ${n} modes`);
  list.forEach((v, k) => {
    if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${fn}: smoothness of mode ${k} must be a non-negative number, got ${v}`);
  });
  return list;
}

/** Builds the einsum specs of core i's update and decides how to form its Gram matrix. */
function planCoreStep(labels: NetworkLabels, cores: readonly Tensor[], dims: readonly number[], i: number): CoreStep {
  const all = labels.physical.join('');
  const otherPhys = labels.physical.filter((_, j) => j !== i).join('');
  const bonds = labels.bonds[i]!;
  const otherLabels = labels.core.filter((_, j) => j !== i);
  const design = `${otherLabels.join(',')}->${bonds}${otherPhys}`;
  const bondSize = cores[i]!.size / dims[i]!;
  const otherSize = dims.reduce((p, d, j) => (j === i ? p : p * d), 1);

  // Double-layer Gram: the other cores against copies whose bond letters are primed.
  let gram: string | undefined;
  const bondLetters = [...labels.edge.values()];
  if (labels.physical.length + 2 * bondLetters.length <= 52) {
    const primed = new Map(bondLetters.map((l, k) => [l, spareLetter(labels, k)]));
    const prime = (s: string): string => [...s].map((c) => primed.get(c) ?? c).join('');
    const spec = `${otherLabels.join(',')},${otherLabels.map(prime).join(',')}->${bonds}${prime(bonds)}`;
    const shapes = cores.filter((_, j) => j !== i).map((c) => c.shape);
    const networkFlops = einsumPath(spec, ...shapes, ...shapes).optimizedFlops;
    const gemmFlops = 2 * otherSize * bondSize * bondSize;
    if (networkFlops < gemmFlops) gram = spec;
  }
  return {
    design,
    project: `${all},${bonds}${otherPhys}->${labels.physical[i]}${bonds}`,
    gram,
    reconstruct: `${labels.core[i]},${bonds}${otherPhys}->${all}`,
    bondSize,
    otherSize,
  };
}

/**
 * The gauge of the network kept in a canonical form over a spanning tree of R (BFS from
 * core 0): every core except the "center" is an isometry toward the center along the
 * tree. Moving the center one bond (u → v) is one QR of core u with that bond as
 * columns: core u ← Q, core v ← R·core v. The network's value never changes. With the
 * center at the core being updated, its Gram matrix is well conditioned (exactly the
 * identity on trees), so ALS neither drifts in scale nor loses accuracy to the ridge.
 */
class GaugeCenter {
  private readonly parent: number[];
  private readonly depth: number[];
  center = 0;

  constructor(private readonly R: RankMatrix, cores: Tensor[]) {
    const n = R.length;
    this.parent = new Array<number>(n).fill(-1);
    this.depth = new Array<number>(n).fill(-1);
    const order: number[] = [];
    // BFS from each unvisited core (a disconnected R gives a forest).
    for (let root = 0; root < n; root++) {
      if (this.depth[root]! >= 0) continue;
      this.depth[root] = 0;
      const queue = [root];
      while (queue.length > 0) {
        const u = queue.shift()!;
        order.push(u);
        for (const v of neighbours(u, R)) {
          if (this.depth[v]! < 0) {
            this.depth[v] = this.depth[u]! + 1;
            this.parent[v] = u;
            queue.push(v);
          }
        }
      }
    }
    // Leaves first: every core becomes an isometry toward its parent, the roots are the centers.
    for (let k = order.length - 1; k >= 0; k--) {
      const u = order[k]!;
      if (this.parent[u]! >= 0) moveGauge(cores, R, u, this.parent[u]!);
    }
  }

  /** Moves the center to core `target` along the tree path (no-op across components). */
  moveTo(cores: Tensor[], target: number): void {
    const up: number[] = [];
    const down: number[] = [];
    let a = this.center;
    let b = target;
    while (a !== b && a >= 0 && b >= 0) {
      if (this.depth[a]! >= this.depth[b]!) {
        up.push(a);
        a = this.parent[a]!;
      } else {
        down.push(b);
        b = this.parent[b]!;
      }
    }
    if (a !== b) return; // different components: their gauges are independent
    for (const u of up) moveGauge(cores, this.R, u, this.parent[u]!);
    for (let k = down.length - 1; k >= 0; k--) {
      const v = down[k]!;
      moveGauge(cores, this.R, this.parent[v]!, v);
    }
    this.center = target;
  }
}

/** One gauge step along bond (u, v): core u ← Q, core v ← R·core v (skipped when the bond exceeds the rest of core u). */
function moveGauge(cores: Tensor[], R: RankMatrix, u: number, v: number): void {
  const core = cores[u]!;
  const axis = 1 + neighbours(u, R).indexOf(v);
  const r = core.shape[axis]!;
  const rows = core.size / r;
  if (rows < r) return;
  const order = [...core.shape.keys()].filter((a) => a !== axis);
  order.push(axis);
  const moved = core.permute(...order).copy();
  const { Q, R: tri } = qr(moved.reshape(rows, r));
  const back = order.map((_, a) => order.indexOf(a));
  cores[u] = Q.reshape(...moved.shape).permute(...back).copy();
  const other = cores[v]!;
  const vAxis = 1 + neighbours(v, R).indexOf(u);
  const letters = 'abcdefghijklmnopqrstuvwxyz'.slice(0, other.ndim);
  const contracted = letters.replace(letters[vAxis]!, 'z');
  cores[v] = einsum(`${letters[vAxis]}z,${contracted}->${letters}`, tri, other);
}

/** Flat indices of the entries the mask marks missing. */
function missingIndices(mask: Uint8Array): Int32Array {
  let count = 0;
  for (let p = 0; p < mask.length; p++) if (mask[p] === 0) count++;
  const out = new Int32Array(count);
  for (let p = 0, k = 0; p < mask.length; p++) if (mask[p] === 0) out[k++] = p;
  return out;
}

function observedMean(x: ArrayLike<number>, mask: Uint8Array): number {
  let s = 0;
  let c = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] !== 0) {
      s += x[p]!;
      c++;
    }
  }
  return c > 0 ? s / c : 0;
}

function scaled(t: Tensor, s: number): Tensor {
  const out = t.copy();
  const d = out.data;
  for (let p = 0; p < d.length; p++) d[p] = d[p]! * s;
  return out;
}
