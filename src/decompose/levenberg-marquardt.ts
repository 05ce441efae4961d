import { einsum } from '../einsum/index.js';
import { getKernel } from '../kernels/registry.js';
import { eighArrays } from '../linalg/eigh.js';
import { Tensor } from '../tensor/tensor.js';
import { relativeError, rootOf, sumSquares } from '../tensor/scaled-norm.js';
import { randomCores } from './contract-cores.js';
import type { FitCoresResult, SweepInfo } from './fit-cores.js';
import { normalizedInput, scaleTensor, unscaleResult } from './input.js';
import { checkFitInputs, scaleToMatch } from './fit-inputs.js';
import type { Mask } from './mask.js';
import { labelNetwork } from '../network/core-layout.js';
import { assertRankMatrix, type RankMatrix } from './rank-matrix.js';
import { stopRequested, type StopFlag } from './stop-flag.js';

/** Options of {@link lmFit}. */
export interface LmFitOptions {
  /** Starting cores in the rank-matrix layout (e.g. an ALS fit to polish); default random (seeded). */
  init?: readonly Tensor[];
  /** Seed of the random starting cores (default 0). */
  seed?: number;
  /** Maximum number of Gauss–Newton steps (default 100). */
  iters?: number;
  /** Stop as soon as the RSE is ≤ stopAt (default 0: never). */
  stopAt?: number;
  /**
   * Stall stop (default 0.05): stop when `window` steps lowered the RSE by less than this
   * fraction. LM leaves a local minimum no better than ALS does, so a polish that is not
   * converging should give up early. 0 disables it.
   */
  tol?: number;
  /** Steps over which `tol` is measured (default 10). */
  window?: number;
  /** Observed entries (tensor completion): only these enter the Jacobian and the residual. */
  mask?: Mask;
  /** The full tensor, to report the RSE on the missing entries (with `mask`). */
  truth?: Tensor;
  /**
   * Refuse problems whose dense Jacobian (observed entries × parameters) or normal matrix
   * (parameters²) has more entries than this (default 2e7: 160 MB of f64).
   */
  maxJacobianEntries?: number;
  /** Called after every step. */
  onIter?: (info: SweepInfo) => void;
  /** Wall-clock deadline as a `Date.now()` time in ms: no step starts after it (the first always runs). */
  deadline?: number;
  /** A shared stop request (see stop-flag.ts): no step starts once it is set (the first always runs). */
  stop?: StopFlag;
}

/** The network's layout in the flat parameter vector and the einsum specs of its Jacobian. */
interface Layout {
  /** Core k's entries start at offset[k] in the parameter vector (core layout, C order). */
  offset: number[];
  /** Entries of core k. */
  size: number[];
  /** Π of core k's bond dimensions. */
  bondSize: number[];
  /** Total number of parameters. */
  params: number;
  /** Other cores → environment of core k, axes [bonds of k, other physical modes]. */
  environment: string[];
  /** All cores → the tensor. */
  contract: string;
}

/**
 * Levenberg–Marquardt (damped Gauss–Newton) fit of a tensor network of any rank-matrix
 * topology, for small problems: the polish after ALS stalls. ALS on networks with loops
 * crawls near a solution (each core's update ignores how the others move); a Gauss–Newton
 * step moves all cores together and converges quadratically once in the basin.
 *
 * Each step builds the dense Jacobian J of the (observed) entries with respect to all
 * core entries: the block of core k at entry (i_0 … i_{N−1}) is δ(i_k = i)·E_k[β, i_{−k}],
 * E_k the contraction of the other cores (ALS's design matrix). The step δ solves
 * (JᵀJ + μI)·δ = Jᵀr through one eigendecomposition of JᵀJ, so a rejected step (cost
 * not lowered) only re-scales the eigen-coordinates for a larger μ. μ adapts to the gain
 * ratio (Nielsen's rule). The gauge freedom of the bonds makes JᵀJ singular; the
 * gradient has no component along the gauge directions, so the damping alone keeps the
 * step finite there. Before each step the cores are rescaled to equal norms (a gauge
 * change) so that μI damps all cores alike.
 *
 * Computes in f64 and returns cores in the input's dtype (the RSE is measured on those).
 * A tensor with entries far from 1 is fitted pre-scaled by a power of two (init core 0
 * and the truth with it; core 0 of the result takes the scale back).
 * @throws RangeError for a bad rank matrix, init cores that do not match it, a bad
 *   option, or a problem over `maxJacobianEntries` (naming its sizes).
 */
export function lmFit(input: Tensor, R: RankMatrix, options: LmFitOptions = {}): FitCoresResult {
  const fn = 'lmFit';
  const { x, exponent } = normalizedInput(input, fn, 2);
  const dims = [...x.shape];
  const n = dims.length;
  assertRankMatrix(R, n, fn);
  const { iters, stopAt, tol, window, seed, maxJacobianEntries } = checkedOptions(options, fn);
  const mask = checkFitInputs(dims, R, options, fn);
  const truth = options.truth === undefined ? undefined : scaleTensor(options.truth, exponent);
  const start = options.init?.map((c, i) => scaleTensor(c, i === 0 ? exponent : 0)) ?? randomCores(dims, R, { seed });
  const p = lmProblem(x, R, start, mask, maxJacobianEntries, fn);

  const theta = new Float64Array(p.P);
  start.forEach((c, k) => theta.set(c.toTypedArray(), p.layout.offset[k]!));
  if (options.init === undefined) scaleToData(theta, einsum(p.layout.contract, ...p.cores(theta)).toTypedArray(), p.target, mask, n, p.layout.size[0]!);
  const state: LmState = { theta, ...p.residual(theta), mu: -1, nu: 2 };
  const work = lmWork(p.E, p.P);
  const history: number[] = [];
  let converged = false;
  let done = 0;
  for (let step = 1; step <= iters; step++) {
    if (p.rseOf(state.cost) <= Math.max(stopAt, 1e-15)) {
      converged = true;
      break;
    }
    balanceNorms(state.theta, p.layout);
    const eig = normalEquations(p, state, work);
    if (state.mu < 0) state.mu = initialDamping(work.A, p.P);
    const accepted = dampedStep(p, state, eig, work);
    const rse = p.rseOf(state.cost);
    history.push(rse);
    done = step;
    const info: SweepInfo = { iter: step, rse };
    if (mask && truth) info.rseMissing = relativeError(einsum(p.layout.contract, ...p.cores(state.theta)).toTypedArray(), truth.toTypedArray(), mask, 0);
    options.onIter?.(info);
    const stalled = tol > 0 && step > window && rse > (1 - tol) * history[step - 1 - window]!;
    if (!accepted || rse <= stopAt || rse <= 1e-15 || stalled) {
      converged = true;
      break;
    }
    if ((options.deadline !== undefined && Date.now() >= options.deadline) || stopRequested(options.stop)) break;
  }

  // The result in the input's dtype, measured on exactly what is returned.
  const out = p.cores(state.theta).map((c) => c.astype(x.dtype));
  const model = einsum(p.layout.contract, ...out.map((c) => c.astype('f64'))).toTypedArray();
  const rse = relativeError(model, p.target, mask, 1);
  out[0] = unscaleResult(out[0]!, exponent, fn, 'entries of core 0');
  const result: FitCoresResult = { cores: out, rse, iters: done, converged, history };
  if (mask && truth) result.rseMissing = relativeError(model, truth.toTypedArray(), mask, 0);
  return result;
}

/** lmFit's numeric options with their defaults, checked. */
function checkedOptions(options: LmFitOptions, fn: string): { iters: number; stopAt: number; tol: number; window: number; seed: number; maxJacobianEntries: number } {
  const { iters = 100, stopAt = 0, tol = 0.05, window = 10, seed = 0, maxJacobianEntries = 2e7 } = options;
  if (!Number.isInteger(iters) || iters < 1) throw new RangeError(`${fn}: iters must be a positive integer, got ${iters}`);
  if (!(stopAt >= 0)) throw new RangeError(`${fn}: stopAt must be a non-negative number, got ${stopAt}`);
  if (!(tol >= 0 && tol < 1)) throw new RangeError(`${fn}: tol must be in [0, 1), got ${tol}`);
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`${fn}: window must be a positive integer, got ${window}`);
  if (!(maxJacobianEntries > 0)) throw new RangeError(`${fn}: maxJacobianEntries must be a positive number, got ${maxJacobianEntries}`);
  return { iters, stopAt, tol, window, seed, maxJacobianEntries };
}

/** The least-squares problem: the data, the network's layout, and the residual of a parameter vector. */
interface LmProblem {
  layout: Layout;
  /** Observed entries (flat indices), E of them, and P parameters. */
  rows: Int32Array;
  E: number;
  P: number;
  /** The data (f64). */
  target: Float64Array;
  /** Where each Jacobian row reads and writes (see jacobianPlacement). */
  place: { column: Int32Array; other: Int32Array };
  /** The cores of a parameter vector. */
  cores(theta: Float64Array): Tensor[];
  /** Residual (data − model on the observed entries) and its squared norm. */
  residual(theta: Float64Array): { r: Float64Array; cost: number };
  /** The RSE of a cost (squared residual norm). */
  rseOf(cost: number): number;
}

/** Sets up the problem; refuses one whose Jacobian or normal matrix is over `maxJacobianEntries`. */
function lmProblem(x: Tensor, R: RankMatrix, start: readonly Tensor[], mask: Uint8Array | undefined, maxJacobianEntries: number, fn: string): LmProblem {
  const dims = [...x.shape];
  const layout = planLayout(R, start, dims);
  const P = layout.params;
  const rows = observedRows(x.size, mask);
  const E = rows.length;
  if (E === 0) throw new RangeError(`${fn}: the mask observes no entries`);
  if (E * P > maxJacobianEntries || P * P > maxJacobianEntries) {
    throw new RangeError(
      `${fn}: the Jacobian would be ${E} observed entries × ${P} parameters = ${E * P} entries ` +
      `(normal matrix ${P}² = ${P * P}), over the limit maxJacobianEntries = ${maxJacobianEntries}; LM is for small networks, use fitCores`,
    );
  }
  const target = Float64Array.from(x.toTypedArray());
  const targetNorm = rootOf(sumSquares(target, mask));
  const cores = (th: Float64Array): Tensor[] =>
    start.map((c, k) => new Tensor(th.slice(layout.offset[k]!, layout.offset[k]! + layout.size[k]!), [...c.shape]));
  return {
    layout, rows, E, P, target, place: jacobianPlacement(rows, dims, layout), cores,
    residual(th) {
      const model = einsum(layout.contract, ...cores(th)).toTypedArray();
      const r = new Float64Array(E);
      let cost = 0;
      for (let e = 0; e < E; e++) {
        const v = target[rows[e]!]! - model[rows[e]!]!;
        r[e] = v;
        cost += v * v;
      }
      return { r, cost };
    },
    rseOf: (cost) => (targetNorm === 0 ? (cost === 0 ? 0 : Infinity) : Math.sqrt(cost) / targetNorm),
  };
}

/** Where the iteration is: the parameters, their residual and cost, and the damping μ (−1: not set yet) with its growth factor ν. */
interface LmState {
  theta: Float64Array;
  r: Float64Array;
  cost: number;
  mu: number;
  nu: number;
}

/** Buffers reused by every step: J (E×P), JᵀJ, Jᵀr, Jᵀr in eigen-coordinates, the damped coordinates and the step. */
interface LmWork {
  J: Float64Array;
  A: Float64Array;
  g: Float64Array;
  gEig: Float64Array;
  coords: Float64Array;
  delta: Float64Array;
}

function lmWork(E: number, P: number): LmWork {
  return { J: new Float64Array(E * P), A: new Float64Array(P * P), g: new Float64Array(P), gEig: new Float64Array(P), coords: new Float64Array(P), delta: new Float64Array(P) };
}

/**
 * The normal equations at the current parameters: J, A = JᵀJ, g = Jᵀr, and A's
 * eigendecomposition with g in its eigen-coordinates (work.gEig), so that every damped
 * step of this iteration is a rescaling.
 */
function normalEquations(p: LmProblem, state: LmState, work: LmWork): Eigen {
  const { P, E } = p;
  const kernel = getKernel();
  fillJacobian(work.J, p.cores(state.theta), p.layout, p.place, E);
  kernel.gemm(true, false, P, P, E, 1, work.J, work.J, 0, work.A);
  kernel.gemm(true, false, P, 1, E, 1, work.J, state.r, 0, work.g);
  const { w, v } = eighArrays(work.A, P);
  kernel.gemm(true, false, P, 1, P, 1, v, work.g, 0, work.gEig);
  return { w, v };
}

/** Eigenvalues w and eigenvectors v of JᵀJ. */
type Eigen = ReturnType<typeof eighArrays>;

/** The first μ: 1e-3 × the largest diagonal entry of JᵀJ (1e-3 when it is zero). */
function initialDamping(A: Float64Array, P: number): number {
  let top = 0;
  for (let i = 0; i < P; i++) top = Math.max(top, A[i * P + i]!);
  return 1e-3 * (top > 0 ? top : 1);
}

/**
 * Damped steps (JᵀJ + μI)·δ = Jᵀr until one lowers the cost; the accepted one updates the
 * state, and μ follows the gain ratio (Nielsen's rule). Returns false when μ grew past
 * 1e300 without a step lowering the cost (the gradient is ~0).
 */
function dampedStep(p: LmProblem, state: LmState, eig: Eigen, work: LmWork): boolean {
  const { P } = p;
  const { w, v } = eig;
  const { g, gEig, coords, delta } = work;
  const kernel = getKernel();
  while (Number.isFinite(state.mu) && state.mu < 1e300) {
    const mu = state.mu;
    for (let i = 0; i < P; i++) coords[i] = gEig[i]! / (Math.max(w[i]!, 0) + mu);
    kernel.gemm(false, false, P, 1, P, 1, v, coords, 0, delta);
    let predicted = 0;
    for (let i = 0; i < P; i++) predicted += delta[i]! * (mu * delta[i]! + g[i]!);
    const next = new Float64Array(P);
    for (let i = 0; i < P; i++) next[i] = state.theta[i]! + delta[i]!;
    const trial = p.residual(next);
    const gain = (state.cost - trial.cost) / predicted;
    if (trial.cost < state.cost && gain > 0) {
      state.theta = next;
      state.r = trial.r;
      state.cost = trial.cost;
      state.mu = mu * Math.max(1 / 3, 1 - (2 * gain - 1) ** 3);
      state.nu = 2;
      return true;
    }
    state.mu = mu * state.nu;
    state.nu *= 2;
  }
  return false;
}

function planLayout(R: RankMatrix, cores: readonly Tensor[], dims: readonly number[]): Layout {
  const labels = labelNetwork(R);
  const offset: number[] = [];
  let params = 0;
  for (const c of cores) {
    offset.push(params);
    params += c.size;
  }
  return {
    offset,
    size: cores.map((c) => c.size),
    bondSize: cores.map((c, k) => c.size / dims[k]!),
    params,
    environment: dims.map((_, k) => {
      const others = labels.core.filter((_, j) => j !== k).join(',');
      return `${others}->${labels.bonds[k]}${labels.physical.filter((_, j) => j !== k).join('')}`;
    }),
    contract: `${labels.core.join(',')}->${labels.physical.join('')}`,
  };
}

/** Flat indices of the observed entries (all entries without a mask). */
function observedRows(size: number, mask: Uint8Array | undefined): Int32Array {
  if (!mask) return Int32Array.from({ length: size }, (_, p) => p);
  let count = 0;
  for (let p = 0; p < size; p++) if (mask[p] !== 0) count++;
  const out = new Int32Array(count);
  for (let p = 0, e = 0; p < size; p++) if (mask[p] !== 0) out[e++] = p;
  return out;
}

/**
 * Where each Jacobian row reads and writes, per core k (k-major, E per core): the column
 * of its first entry (offset_k + i_k·bondSize_k) and its index among the other modes.
 */
function jacobianPlacement(rows: Int32Array, dims: readonly number[], layout: Layout): { column: Int32Array; other: Int32Array } {
  const n = dims.length;
  const E = rows.length;
  const column = new Int32Array(n * E);
  const other = new Int32Array(n * E);
  let stride = 1;
  for (let k = n - 1; k >= 0; k--) {
    const d = dims[k]!;
    for (let e = 0; e < E; e++) {
      const p = rows[e]!;
      const ik = Math.floor(p / stride) % d;
      column[k * E + e] = layout.offset[k]! + ik * layout.bondSize[k]!;
      other[k * E + e] = Math.floor(p / (stride * d)) * stride + (p % stride);
    }
    stride *= d;
  }
  return { column, other };
}

/** J (E × params, row-major) from the environments of the current cores. */
function fillJacobian(J: Float64Array, cores: readonly Tensor[], layout: Layout, place: { column: Int32Array; other: Int32Array }, E: number): void {
  J.fill(0);
  const P = layout.params;
  for (let k = 0; k < cores.length; k++) {
    const env = einsum(layout.environment[k]!, ...cores.filter((_, j) => j !== k)).toTypedArray();
    const bonds = layout.bondSize[k]!;
    const otherSize = env.length / bonds;
    for (let e = 0; e < E; e++) {
      const base = e * P + place.column[k * E + e]!;
      const q = place.other[k * E + e]!;
      for (let b = 0; b < bonds; b++) J[base + b] = env[b * otherSize + q]!;
    }
  }
}

/** Rescales the cores to equal Frobenius norms (their product, the network, is unchanged). */
function balanceNorms(theta: Float64Array, layout: Layout): void {
  const n = layout.size.length;
  const norms = layout.size.map((s, k) => {
    let t = 0;
    for (let i = layout.offset[k]!; i < layout.offset[k]! + s; i++) t += theta[i]! * theta[i]!;
    return Math.sqrt(t);
  });
  if (norms.some((v) => !(v > 0) || !Number.isFinite(v))) return;
  const mean = Math.exp(norms.reduce((s, v) => s + Math.log(v), 0) / n);
  layout.size.forEach((s, k) => {
    const c = mean / norms[k]!;
    for (let i = layout.offset[k]!; i < layout.offset[k]! + s; i++) theta[i] = theta[i]! * c;
  });
}

/** Scales a random start by s, the least-squares fit of its model to the data on the observed entries (the sign on the first core). */
function scaleToData(theta: Float64Array, model: ArrayLike<number>, target: Float64Array, mask: Uint8Array | undefined, n: number, firstCore: number): void {
  const s = scaleToMatch(model, target, mask);
  const per = Math.abs(s) ** (1 / n);
  for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! * per;
  if (s < 0) for (let i = 0; i < firstCore; i++) theta[i] = -theta[i]!;
}
