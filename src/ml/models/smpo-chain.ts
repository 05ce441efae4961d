/**
 * The SMPO's double-layer contractions as single differentiable operations with
 * hand-written backward passes: ln ‖P·φ(x_b)‖² per sample ({@link smpoChainLogNormSquared})
 * and ln ‖P‖_F² ({@link smpoChainLogFrobeniusSquared}). They compute exactly what the
 * op-by-op einsum chain in smpo-model.ts does — a `[batch, χ, χ']` environment swept from
 * left to right, each sample rescaled by a power of two after every site (rescale.ts),
 * ln(value) + scale·ln 2 at the end — but as a fixed sequence of gemm calls on reused
 * buffers, with every transpose a gemm flag.
 *
 * Per site, with the layer B of the site `[l, K, r]` per chain (K = o on output sites, else 1):
 *
 *   data       B[b, l, o, r] = Σ_p φ[b, p] A[l, p, o, r]     (one gemm, φ · A permuted to [p, l·o·r])
 *   operator   B = A viewed as [l, p·o, r]                    (⟨P|P⟩: one chain, K = p·o)
 *   forward    V_b = E_b · B_b      ([l, l]·[l, K·r])          E'_b = B_bᵀ · V_b   ([l·K, r]ᵀ·[l·K, s])
 *
 * i.e. E'[r, s] = Σ B[l, K, r] E[l, m] B[m, K, s], as batched gemms over the chains.
 * Both E' (forward) and the gradient G of E' (backward) are symmetric in exact arithmetic
 * (the ket and bra layers are the same) and are symmetrised after each step, so with
 * U_b = B_b · G_b ([l·K, r]·[r, s]) the backward pass per site is three gemms and a reduction:
 *
 *   Ē_b = U_b · B_bᵀ ([l, K·s]·[K·s, m])     B̄_b = (E_b + E_bᵀ)·U_b = 2·E_b·U_b     Ā[l, p, R] = Σ_b φ[b, p] B̄[b, l, R]
 *
 * Layers are rebuilt in the backward pass (a gemm with inner size d), so only the
 * environments are kept: sites × batch × χ² numbers.
 */
import { customOp, Var, type CustomOp, type VarLike } from '../../autodiff/index.js';
import { fusedChainBonds } from '../../network/core-layout.js';
import { rescaleExponent } from './rescale.js';
import { pooledOp, WorkspacePool, type LentWorkspace } from './workspace-pool.js';
import type { Kernel } from '../../kernels/kernel.js';
import { getKernel } from '../../kernels/registry.js';
import { allocate, type DType, type FloatArray } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

const LN2 = Math.LN2;

/** What each layer of a double-layer chain is. */
type LayerMode = 'data' | 'operator';

/** Sizes of one double-layer chain contraction. */
interface DoubleChainShape {
  mode: LayerMode;
  /** Independent chains: the samples of a batch ('data'), or 1 ('operator'). */
  batch: number;
  sites: number;
  physDim: number;
  /** bonds[s]: the left bond of site s; bonds[sites]: the last right bond (1). */
  bonds: number[];
  /** outs[s]: the output-leg dimension of site s (1 where it has none). */
  outs: number[];
  dtype: DType;
  /** Whether every environment is kept for a backward pass (else two buffers are used in turn). */
  keep: boolean;
}

/** K of site s: the legs a layer keeps between its bonds. */
function legsOf(shape: DoubleChainShape, s: number): number {
  return shape.mode === 'data' ? shape.outs[s]! : shape.physDim * shape.outs[s]!;
}

/** Buffers of one forward/backward pass, sized once per chain shape and reused. */
class DoubleChainWorkspace {
  /** env[s]: the rescaled environment `[batch, bonds[s], bonds[s]]` after sites 0 … s−1. */
  readonly env: FloatArray[] = [];
  /** factors[s]: the per-chain power of two applied to the environment made at site s. */
  readonly factors: FloatArray[] = [];
  readonly scale: Float64Array;
  /** The layer B of one site (data mode). */
  readonly layer: FloatArray;
  /** V (forward) or U (backward) of one site. */
  readonly work: FloatArray;
  /** B̄ of one site (data mode). */
  readonly layerGrad: FloatArray;
  /** Two environment-gradient buffers used in turn. */
  readonly envGrad: [FloatArray, FloatArray];
  /** A core permuted to `[p, l, o·r]`, or its gradient in that layout (data mode). */
  readonly corePerm: FloatArray;
  /** φ per site: `[sites, batch, d]` (data mode). */
  readonly phi: FloatArray;

  constructor(readonly shape: DoubleChainShape) {
    const { mode, batch: n, sites, physDim: d, bonds, dtype } = shape;
    let maxLayer = 0;
    let maxEnv = 0;
    for (let s = 0; s <= sites; s++) {
      maxEnv = Math.max(maxEnv, bonds[s]! * bonds[s]!);
      if (s < sites) maxLayer = Math.max(maxLayer, bonds[s]! * legsOf(shape, s) * bonds[s + 1]!);
    }
    // Without a backward pass, environments after the first alternate between two buffers.
    const turns = shape.keep ? [] : [allocate(dtype, n * maxEnv), allocate(dtype, n * maxEnv)];
    const oneFactors = shape.keep ? null : allocate(dtype, n);
    for (let s = 0; s <= sites; s++) {
      this.env.push(s === 0 || shape.keep ? allocate(dtype, n * bonds[s]! * bonds[s]!) : turns[s % 2]!);
      if (s < sites) this.factors.push(oneFactors ?? allocate(dtype, n));
    }
    this.env[0]!.fill(1);
    const data = mode === 'data';
    this.scale = new Float64Array(n);
    this.layer = allocate(dtype, data ? n * maxLayer : 0);
    this.work = allocate(dtype, n * maxLayer);
    this.layerGrad = allocate(dtype, data && shape.keep ? n * maxLayer : 0);
    const gradSize = shape.keep ? n * maxEnv : 0;
    this.envGrad = [allocate(dtype, gradSize), allocate(dtype, gradSize)];
    this.corePerm = allocate(dtype, data ? d * maxLayer : 0);
    this.phi = allocate(dtype, data ? sites * n * d : 0);
  }
}

/**
 * Idle workspaces by chain shape, so training reuses the buffers of earlier steps: up to 4
 * shapes, one workspace each (a training step takes one, its backward pass gives it back
 * before the next step).
 */
export class DoubleChainWorkspacePool extends WorkspacePool<DoubleChainShape, DoubleChainWorkspace> {
  constructor() {
    super((shape) => new DoubleChainWorkspace(shape), keyOf, 4, 1);
  }
}

function keyOf(s: DoubleChainShape): string {
  return `${s.mode}|${s.keep}|${s.dtype}|${s.batch}|${s.physDim}|${s.bonds.join(',')}|${s.outs.join(',')}`;
}

/**
 * Symmetrises each chain's `[w, w]` block of `env` (E ← (E + Eᵀ)/2, which the exact
 * environment is) and rescales it by a power of two so its max-abs entry lies in [0.5, 1),
 * as rescaleRows does, storing the factors and adding the exponents to `scale`.
 */
function symmetrizeRescale(env: FloatArray, n: number, w: number, factors: FloatArray, scale: Float64Array): void {
  for (let b = 0; b < n; b++) {
    const o = b * w * w;
    // First pass reads only: the max-abs entry of the symmetrised block.
    let m = 0;
    for (let i = 0; i < w; i++) {
      const ii = o + i * w + i;
      const diag = Math.abs(env[ii]!);
      if (diag > m) m = diag;
      for (let j = i + 1, ij = ii + 1, ji = ii + w; j < w; j++, ij++, ji += w) {
        const a = Math.abs((env[ij]! + env[ji]!) * 0.5);
        if (a > m) m = a;
      }
    }
    const k = rescaleExponent(m);
    factors[b] = 2 ** -k;
    const f = factors[b]!;
    scale[b] = scale[b]! + k;
    // Second pass writes the symmetrised, rescaled block (exact: f is a power of two).
    for (let i = 0; i < w; i++) {
      const ii = o + i * w + i;
      env[ii] = env[ii]! * f;
      for (let j = i + 1, ij = ii + 1, ji = ii + w; j < w; j++, ij++, ji += w) {
        const v = (env[ij]! + env[ji]!) * 0.5 * f;
        env[ij] = v;
        env[ji] = v;
      }
    }
  }
}

/** `to[p, l, R] = from[l, p, R]` (`[l, d, R]` → `[d, l, R]`), or back when `inverse`. */
function permuteCore(from: FloatArray, to: FloatArray, l: number, d: number, width: number, inverse: boolean): void {
  for (let i = 0; i < l; i++) {
    for (let p = 0; p < d; p++) {
      const a = (i * d + p) * width;
      const c = (p * l + i) * width;
      if (inverse) to.set(from.subarray(c, c + width), a);
      else to.set(from.subarray(a, a + width), c);
    }
  }
}

/**
 * The layer of site s, `[chains, l, K, r]`: in data mode B[b, l·o·r] = φ_s[b, p] · A[p, l·o·r]
 * (written into ws.layer); in operator mode the core itself.
 */
function layerOf(kernel: Kernel, ws: DoubleChainWorkspace, core: FloatArray, s: number): FloatArray {
  const { mode, batch: n, physDim: d, bonds, outs } = ws.shape;
  if (mode === 'operator') return core;
  const l = bonds[s]!;
  const width = outs[s]! * bonds[s + 1]!;
  permuteCore(core, ws.corePerm, l, d, width, false);
  kernel.gemm(false, false, n, l * width, d, 1, phiOf(ws, s), ws.corePerm, 0, ws.layer);
  return ws.layer;
}

function phiOf(ws: DoubleChainWorkspace, s: number): FloatArray {
  const step = ws.shape.batch * ws.shape.physDim;
  return ws.phi.subarray(s * step, (s + 1) * step);
}

/** E' = Bᵀ·(E·B) per chain: `[n, l, l]`, layers `[n, l, K, r]` → `[n, r, r]` (`work` holds E·B). */
function stepRight(kernel: Kernel, n: number, l: number, k: number, r: number, env: FloatArray, layer: FloatArray, layerStride: number, work: FloatArray, out: FloatArray): void {
  const size = l * k * r;
  kernel.gemmBatched(false, false, n, l, k * r, l, 1, env, l * l, layer, layerStride, 0, work);
  kernel.gemmBatched(true, false, n, r, r, l * k, 1, layer, layerStride, work, size, 0, out);
}

/** E = (B·E')·Bᵀ per chain: `[n, r, r]`, layers `[n, l, K, r]` → `[n, l, l]` (`work` gets U = B·E'). */
function stepLeft(kernel: Kernel, n: number, l: number, k: number, r: number, envRight: FloatArray, layer: FloatArray, layerStride: number, work: FloatArray, out: FloatArray): void {
  kernel.gemmBatched(false, false, n, l * k, r, r, 1, layer, layerStride, envRight, r * r, 0, work);
  kernel.gemmBatched(false, true, n, l, l, k * r, 1, work, l * k * r, layer, layerStride, 0, out);
}

function forward(kernel: Kernel, ws: DoubleChainWorkspace, cores: readonly FloatArray[]): void {
  const { batch: n, sites, bonds } = ws.shape;
  ws.scale.fill(0);
  for (let s = 0; s < sites; s++) {
    const l = bonds[s]!;
    const r = bonds[s + 1]!;
    const k = legsOf(ws.shape, s);
    const layer = layerOf(kernel, ws, cores[s]!, s);
    stepRight(kernel, n, l, k, r, ws.env[s]!, layer, l * k * r, ws.work, ws.env[s + 1]!);
    symmetrizeRescale(ws.env[s + 1]!, n, r, ws.factors[s]!, ws.scale);
  }
}

/** ln(value) + scale·ln 2 per chain, rounded step by step in the dtype as logWithScale is. */
function logsOf(ws: DoubleChainWorkspace): FloatArray {
  const { batch: n, dtype } = ws.shape;
  const last = ws.env[ws.shape.sites]!;
  const out = allocate(dtype, n);
  const offsets = allocate(dtype, n);
  for (let b = 0; b < n; b++) {
    offsets[b] = ws.scale[b]! * LN2;
    out[b] = Math.log(last[b]!);
    out[b] = out[b]! + offsets[b]!;
  }
  return out;
}

/**
 * Multiplies each chain's `[w, w]` gradient block by its factor and symmetrises it:
 * G ← f·(G + Gᵀ)/2.
 */
function scaleSymmetrize(g: FloatArray, factors: FloatArray, n: number, w: number): void {
  for (let b = 0; b < n; b++) {
    const o = b * w * w;
    const f = factors[b]!;
    const half = f * 0.5;
    for (let i = 0; i < w; i++) {
      const ii = o + i * w + i;
      g[ii] = g[ii]! * f;
      for (let j = i + 1, ij = ii + 1, ji = ii + w; j < w; j++, ij++, ji += w) {
        const v = (g[ij]! + g[ji]!) * half;
        g[ij] = v;
        g[ji] = v;
      }
    }
  }
}

function backward(
  kernel: Kernel, ws: DoubleChainWorkspace, cores: readonly FloatArray[], coreShapes: readonly (readonly number[])[], g: FloatArray,
  needs: readonly boolean[], into: readonly (Tensor | null)[] | null,
): (Tensor | null)[] {
  const { mode, batch: n, sites, physDim: d, bonds, outs, dtype } = ws.shape;
  const grads: (Tensor | null)[] = new Array<Tensor | null>(sites).fill(null);
  // The gradient buffer of core s: the lent one when there is one (every element is overwritten), else a new one.
  const gradOf = (s: number): FloatArray => {
    const shape = coreShapes[s]!;
    const t = into?.[s] ?? new Tensor(allocate(dtype, shape.reduce((a, b) => a * b, 1)), shape);
    grads[s] = t;
    return t.offset === 0 ? t.data : t.data.subarray(t.offset);
  };
  let first = 0;
  while (first < sites && !needs[first]) first++;
  if (first === sites) return grads;
  // ∂ ln v / ∂v for the final 1×1 environments.
  let cur = 0;
  const last = ws.env[sites]!;
  for (let b = 0; b < n; b++) ws.envGrad[0][b] = g[b]! / last[b]!;
  for (let s = sites - 1; s >= first; s--) {
    const l = bonds[s]!;
    const r = bonds[s + 1]!;
    const k = legsOf(ws.shape, s);
    const size = l * k * r;
    const gEnv = ws.envGrad[cur]!;
    scaleSymmetrize(gEnv, ws.factors[s]!, n, r);
    const layer = layerOf(kernel, ws, cores[s]!, s);
    // U = B · G.
    kernel.gemmBatched(false, false, n, l * k, r, r, 1, layer, size, gEnv, r * r, 0, ws.work);
    if (needs[s]) {
      // B̄ = (E + Eᵀ)·U = 2·E·U: the environments are symmetric.
      if (mode === 'operator') {
        kernel.gemm(false, false, l, k * r, l, 2, ws.env[s]!, ws.work, 0, gradOf(s));
      } else {
        kernel.gemmBatched(false, false, n, l, k * r, l, 2, ws.env[s]!, l * l, ws.work, size, 0, ws.layerGrad);
        kernel.gemm(true, false, d, size, n, 1, phiOf(ws, s), ws.layerGrad, 0, ws.corePerm);
        permuteCore(ws.corePerm, gradOf(s), l, d, outs[s]! * r, true);
      }
    }
    if (s > first) {
      kernel.gemmBatched(false, true, n, l, l, k * r, 1, ws.work, size, layer, size, 0, ws.envGrad[1 - cur]!);
      cur = 1 - cur;
    }
  }
  return grads;
}

/** What the VJP needs besides the workspace: the cores' data and shapes. */
interface Saved {
  cores: FloatArray[];
  coreShapes: (readonly number[])[];
}

function chainOp(shape: DoubleChainShape, x: Tensor | null, pool: DoubleChainWorkspacePool): CustomOp<LentWorkspace<DoubleChainWorkspace, Saved>> {
  return pooledOp(pool, shape, {
    name: shape.mode === 'data' ? 'smpoChainLogNorm' : 'smpoChainLogFrobenius',
    forward(ws, inputs) {
      const kernel = getKernel();
      const cores = inputs.map((c) => c.contiguous().data);
      if (x !== null) fillPhi(ws, x);
      forward(kernel, ws, cores);
      const logs = logsOf(ws);
      const value = shape.mode === 'data' ? new Tensor(logs, [shape.batch]) : new Tensor(logs, []);
      return { value, saved: { cores, coreShapes: inputs.map((c) => c.shape) } };
    },
    vjp(ws, g, saved, needs, into) {
      const gData = g.astype(shape.dtype).contiguous().data;
      return backward(getKernel(), ws, saved.cores, saved.coreShapes, gData, needs, into);
    },
  });
}

/** φ `[batch, sites, d]` into the workspace's `[sites, batch, d]` in its dtype. */
function fillPhi(ws: DoubleChainWorkspace, x: Tensor): void {
  const { batch: n, sites, physDim: d } = ws.shape;
  const src = x.contiguous().data;
  const dst = ws.phi;
  for (let b = 0; b < n; b++) {
    for (let s = 0; s < sites; s++) {
      const from = (b * sites + s) * d;
      const to = (s * n + b) * d;
      for (let p = 0; p < d; p++) dst[to + p] = src[from + p]!;
    }
  }
}

/** Checks SMPO cores `[l, p, r]` / `[l, p, o, r]` (one dtype, chained bonds, unit ends) and returns the chain's sizes. */
function chainShape(params: readonly VarLike[], who: string): Omit<DoubleChainShape, 'mode' | 'batch'> {
  if (params.length === 0) throw new RangeError(`${who}: no cores`);
  const dtype = params[0]!.dtype;
  const physDim = params[0]!.shape[1]!;
  const bonds = fusedChainBonds(params, who, (shape, s) => {
    if ((shape.length !== 3 && shape.length !== 4) || shape[1] !== physDim) {
      throw new RangeError(`${who}: core ${s} has shape [${shape.join(', ')}], expected [l, p, r] or [l, p, o, r] with input dimension ${physDim}`);
    }
  });
  const outs = params.map((p) => (p.shape.length === 4 ? p.shape[2]! : 1));
  // Constant inputs (scoring, normalising) need no backward pass, so no stored environments.
  const keep = params.some((p) => p instanceof Var && p.tape !== null);
  return { sites: params.length, physDim, bonds, outs, dtype, keep };
}

/**
 * ln ‖P·φ(x_b)‖² `[batch]` of an SMPO with cores `params` (`[l, p, r]`, or `[l, p, o, r]` on
 * output sites, one dtype) on product states `x` `[batch, sites, d]` (converted to the
 * cores' dtype). Equal, to rounding, to the op-by-op einsum chain with per-sample
 * power-of-two rescaling, recorded as one tape node with a hand-written backward pass.
 * @throws RangeError when the cores' dtypes or shapes disagree with each other or with x.
 */
export function smpoChainLogNormSquared(params: readonly VarLike[], x: Tensor, pool: DoubleChainWorkspacePool): Var {
  const base = chainShape(params, 'smpoChainLogNormSquared');
  if (x.ndim !== 3 || x.shape[1] !== base.sites || x.shape[2] !== base.physDim) {
    throw new RangeError(`smpoChainLogNormSquared: the input must be [batch, ${base.sites}, ${base.physDim}], got [${x.shape.join(', ')}]`);
  }
  if (x.shape[0] === 0) throw new RangeError('smpoChainLogNormSquared: the input batch is empty');
  const shape: DoubleChainShape = { ...base, mode: 'data', batch: x.shape[0]! };
  return customOp(chainOp(shape, x, pool), params);
}

/**
 * ln ‖P‖_F² = ln tr(P†P) (a scalar) of an SMPO with cores `params`, as one tape node with
 * a hand-written backward pass; equal, to rounding, to the op-by-op rescaled einsum chain.
 * @throws RangeError when the cores' dtypes or shapes disagree.
 */
export function smpoChainLogFrobeniusSquared(params: readonly VarLike[], pool: DoubleChainWorkspacePool): Var {
  const shape: DoubleChainShape = { ...chainShape(params, 'smpoChainLogFrobeniusSquared'), mode: 'operator', batch: 1 };
  return customOp(chainOp(shape, null, pool), params);
}

/**
 * A plain environment step's result rescaled as rescaleRows would (each sample's block by a
 * power of two so its max-abs entry is in [0.5, 1)), in place: `env` must be a fresh tensor
 * nothing else refers to. Returns it with `scale` copied and the exponents added.
 */
export function rescaledEnvironment(env: Tensor, scale: Float64Array): { value: Tensor; scale: Float64Array } {
  const n = env.shape[0]!;
  if (scale.length !== n) throw new RangeError(`rescaledEnvironment: ${scale.length} scales for a batch of ${n}`);
  const next = Float64Array.from(scale);
  const value = env.contiguous();
  const data = value.offset === 0 ? value.data : value.data.subarray(value.offset);
  const width = value.size / Math.max(n, 1);
  const factors = allocate(value.dtype, n);
  for (let b = 0; b < n; b++) {
    const o = b * width;
    let m = 0;
    for (let j = o, end = o + width; j < end; j++) {
      const v = Math.abs(data[j]!);
      if (v > m) m = v;
    }
    const k = rescaleExponent(m);
    factors[b] = 2 ** -k;
    next[b] = next[b]! + k;
    const f = factors[b]!;
    if (k !== 0) for (let j = o, end = o + width; j < end; j++) data[j] = data[j]! * f;
  }
  return { value, scale: next };
}

/** Layer, K and sizes of one plain environment step (φ given: data layer; null: the operator's own). */
function plainLayer(kernel: Kernel, core: Tensor, phi: Tensor | null, n: number, who: string): { layer: FloatArray; stride: number; l: number; k: number; r: number } {
  if (core.ndim !== 3 && core.ndim !== 4) throw new RangeError(`${who}: the core must be [l, p, r] or [l, p, o, r], got [${core.shape.join(', ')}]`);
  const l = core.shape[0]!;
  const d = core.shape[1]!;
  const o = core.ndim === 4 ? core.shape[2]! : 1;
  const r = core.shape[core.ndim - 1]!;
  const data = core.contiguous().data;
  if (phi === null) {
    if (n !== 1) throw new RangeError(`${who}: an operator environment has batch 1, got ${n}`);
    return { layer: data, stride: l * d * o * r, l, k: d * o, r };
  }
  if (phi.ndim !== 2 || phi.shape[0] !== n || phi.shape[1] !== d) throw new RangeError(`${who}: φ must be [${n}, ${d}], got [${phi.shape.join(', ')}]`);
  const perm = allocate(core.dtype, l * d * o * r);
  permuteCore(data, perm, l, d, o * r, false);
  const layer = allocate(core.dtype, n * l * o * r);
  kernel.gemm(false, false, n, l * o * r, d, 1, phi.astype(core.dtype).contiguous().data, perm, 0, layer);
  return { layer, stride: l * o * r, l, k: o, r };
}

function checkEnvironment(env: Tensor, dim: number, core: Tensor, who: string): number {
  if (env.ndim !== 3 || env.shape[1] !== dim || env.shape[2] !== dim) throw new RangeError(`${who}: the environment must be [batch, ${dim}, ${dim}], got [${env.shape.join(', ')}]`);
  if (env.dtype !== core.dtype) throw new RangeError(`${who}: the environment is ${env.dtype} but the core is ${core.dtype}`);
  return env.shape[0]!;
}

/**
 * One plain (untaped, unrescaled) left-to-right double-layer step, env `[b, l, l']` →
 * `[b, r, r']`: E'[r, s] = Σ env[l, m] A[l, p, (o), r] φ[p] A[m, q, (o), s] φ[q], or, with
 * `phi` null, the operator step Σ env[l, m] A[l, p, (o), r] A[m, p, (o), s] (batch 1).
 */
export function doubleLayerLeftStep(env: Tensor, core: Tensor, phi: Tensor | null): Tensor {
  const who = 'doubleLayerLeftStep';
  const n = checkEnvironment(env, core.shape[0]!, core, who);
  const kernel = getKernel();
  const { layer, stride, l, k, r } = plainLayer(kernel, core, phi, n, who);
  const out = allocate(core.dtype, n * r * r);
  stepRight(kernel, n, l, k, r, env.contiguous().data, layer, stride, allocate(core.dtype, n * l * k * r), out);
  return new Tensor(out, [n, r, r]);
}

/** The right-to-left counterpart of {@link doubleLayerLeftStep}: env `[b, r, r']` over the sites after the core → `[b, l, l']`. */
export function doubleLayerRightStep(env: Tensor, core: Tensor, phi: Tensor | null): Tensor {
  const who = 'doubleLayerRightStep';
  const n = checkEnvironment(env, core.shape[core.ndim - 1]!, core, who);
  const kernel = getKernel();
  const { layer, stride, l, k, r } = plainLayer(kernel, core, phi, n, who);
  const out = allocate(core.dtype, n * l * l);
  stepLeft(kernel, n, l, k, r, env.contiguous().data, layer, stride, allocate(core.dtype, n * l * k * r), out);
  return new Tensor(out, [n, l, l]);
}
