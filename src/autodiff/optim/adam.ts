import { allocate, type FloatArray } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkPairs, checkRange, learningRateAt, ownedData, zerosLike, type LearningRate, type Optimizer } from './optimizer.js';

/** Options of {@link adam} and {@link adamw}. */
export interface AdamOptions {
  lr: LearningRate;
  /** Decay of the first-moment average (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment average (default 0.999). */
  beta2?: number;
  /** Added to √v̂ (default 1e-8). */
  eps?: number;
  /**
   * Weight decay λ. For {@link adam} it is an L2 penalty added to the gradient
   * (default 0); for {@link adamw} it is decoupled: p ← p − lr·λ·p (default 0.01).
   */
  weightDecay?: number;
}

/** Adam's state: the step count and the first and second moment estimates of every parameter. */
export interface AdamState {
  /** Number of updates done so far (t − 1 in the paper's notation). */
  step: number;
  /** First-moment estimates. */
  m: Tensor[];
  /** Second-moment estimates. */
  v: Tensor[];
}

interface AdamScalars {
  b1: number;
  b2: number;
  stepSize: number;
  epsHat: number;
  /** Coupled L2 coefficient added to the gradient (adam). */
  l2: number;
  /** Decoupled decay lr·λ subtracted from the parameter (adamw). */
  decay: number;
}

/**
 * One Adam step over flat arrays. Element i is read from x, g, m0, v0 before it is written
 * to m, v, out, so m may be m0, v may be v0 and out may be x (the in-place update).
 */
function adamKernel(
  x: FloatArray, g: FloatArray, m0: FloatArray, v0: FloatArray, m: FloatArray, v: FloatArray, out: FloatArray, c: AdamScalars,
): void {
  const { b1, b2, stepSize, epsHat, l2, decay } = c;
  const a1 = 1 - b1;
  const a2 = 1 - b2;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const gi = g[i]! + l2 * xi;
    const mi = b1 * m0[i]! + a1 * gi;
    const vi = b2 * v0[i]! + a2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    out[i] = xi - (stepSize * mi) / (Math.sqrt(vi) + epsHat) - decay * xi;
  }
}

/** `t` when an in-place update can write it as a moment of `p`, else a contiguous copy in p's dtype. */
function writable(t: Tensor, p: Tensor): Tensor {
  if (t.dtype === p.dtype && t.isContiguous && t.offset === 0 && t.data.length === t.size && t.size === p.size) return t;
  if (t.size !== p.size) throw new RangeError(`adam: a moment has ${t.size} elements but its parameter has ${p.size}`);
  return t.astype(p.dtype).copy().reshape(...p.shape);
}

function makeAdam(who: 'adam' | 'adamw', options: AdamOptions, decoupled: boolean): Optimizer<AdamState> {
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? (decoupled ? 0.01 : 0);
  checkRange(who, 'beta1', b1, 0, 1);
  checkRange(who, 'beta2', b2, 0, 1);
  checkRange(who, 'eps', eps, 0, Infinity);
  checkRange(who, 'weightDecay', wd, 0, Infinity);
  /** The step's scalars. m̂/(√v̂ + ε) = m·√c2/c1 / (√v + ε·√c2): the bias corrections folded into two scalars, so the loop has one sqrt and one division per element. */
  const scalarsAt = (step: number): AdamScalars => {
    const lr = learningRateAt(options.lr, step, who);
    const t = step + 1;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    return { b1, b2, stepSize: (lr * Math.sqrt(c2)) / c1, epsHat: eps * Math.sqrt(c2), l2: decoupled ? 0 : wd, decay: decoupled ? lr * wd : 0 };
  };
  return {
    init: (params) => ({ step: 0, m: params.map(zerosLike), v: params.map(zerosLike) }),
    update(grads, state, params) {
      checkPairs(who, grads, params);
      const c = scalarsAt(state.step);
      const ms: Tensor[] = [];
      const vs: Tensor[] = [];
      const next = params.map((p, k) => {
        const n = p.size;
        const m = allocate(p.dtype, n);
        const v = allocate(p.dtype, n);
        const out = allocate(p.dtype, n);
        adamKernel(p.toTypedArray(), grads[k]!.toTypedArray(), state.m[k]!.toTypedArray(), state.v[k]!.toTypedArray(), m, v, out, c);
        ms.push(new Tensor(m, p.shape));
        vs.push(new Tensor(v, p.shape));
        return new Tensor(out, p.shape);
      });
      return { params: next, state: { step: state.step + 1, m: ms, v: vs } };
    },
    updateInPlace(grads, state, params) {
      checkPairs(who, grads, params);
      const c = scalarsAt(state.step);
      // A moment of another dtype or layout (e.g. a decoded checkpoint) is replaced by a fresh copy in the parameter's dtype, as `update` would store it.
      const ms = state.m.map((t, k) => writable(t, params[k]!));
      const vs = state.v.map((t, k) => writable(t, params[k]!));
      params.forEach((p, k) => {
        const x = ownedData(p, who, `parameter ${k}`);
        const m = ms[k]!.data;
        const v = vs[k]!.data;
        adamKernel(x, grads[k]!.toTypedArray(), m, v, m, v, x, c);
      });
      return { step: state.step + 1, m: ms, v: vs };
    },
    copyState: (state) => ({ step: state.step, m: state.m.map((t) => t.copy()), v: state.v.map((t) => t.copy()) }),
  };
}

/**
 * Adam (Kingma & Ba 2015) with bias correction:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·m̂/(√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 * `weightDecay` here is an L2 term added to g.
 */
export function adam(options: AdamOptions): Optimizer<AdamState> {
  return makeAdam('adam', options, false);
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay,
 * p ← p − lr·(m̂/(√v̂ + ε) + λp).
 */
export function adamw(options: AdamOptions): Optimizer<AdamState> {
  return makeAdam('adamw', options, true);
}
