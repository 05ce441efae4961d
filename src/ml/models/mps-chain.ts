/**
 * The MPS classifier's contraction as one differentiable operation with a hand-written
 * backward pass (see {@link mpsChainScores}). It computes exactly what the op-by-op
 * version in mps-model.ts does — a `[batch, bond]` environment swept in from both ends,
 * each row rescaled by a power of two after every site (rescale.ts), the scores multiplied
 * back by 2^scale — but as a fixed sequence of gemm calls on reused work buffers:
 *
 *   left step   T[b, p·r] = L[b, l] · A[l, p·r]           L'[b, r] = Σ_p φ[b, p] T[b, p, r]
 *   right step  T[b, l·p] = R[b, r] · A[l·p, r]ᵀ          R'[b, l] = Σ_p T[b, l, p] φ[b, p]
 *   output      T[b, p·c·r] = L[b, l] · A[l, p·c·r]       U[b, c, r] = Σ_p φ[b, p] T[b, p, c, r]
 *               f[b, c] = 2^scale[b] · Σ_r U[b, c, r] R[b, r]
 *
 * Core layouts are used as stored (no permute copies); the transposes of the backward
 * pass are gemm flags. The backward pass per site is two gemms of the forward's size:
 *
 *   left site   W[b, p, r] = φ[b, p] ḡ[b, r]   ∂A = Lᵀ·W   ∂L[b, l] = W · A[l, p·r]ᵀ
 *   right site  W[b, p, r] = φ[b, p] R[b, r]    ∂A = ḡᵀ·W   ∂R[b, r] = Σ_p φ[b, p] (ḡ · A[l, p·r])[b, p, r]
 *
 * where ḡ is the incoming environment gradient times the row's rescaling factor.
 */
import { customOp, type CustomOp, type Var, type VarLike } from '../../autodiff/index.js';
import { fusedChainBonds } from '../../network/core-layout.js';
import { rescaleExponent } from './rescale.js';
import { pooledOp, WorkspacePool, type LentWorkspace } from './workspace-pool.js';
import type { Kernel } from '../../kernels/kernel.js';
import { getKernel } from '../../kernels/registry.js';
import { allocate, type DType, type FloatArray } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/** Sizes of one chain contraction. */
interface ChainShape {
  batch: number;
  sites: number;
  physDim: number;
  classes: number;
  outputSite: number;
  /** Left bond of each site (index s), and the right bond of the last site at index `sites`. */
  bonds: number[];
  dtype: DType;
}

/**
 * Buffers of one forward/backward pass, sized once per chain shape and reused: the
 * environments and rescaling factors the backward pass needs, and scratch space.
 */
class ChainWorkspace {
  /** left[s]: the environment `[batch, bonds[s]]` after sites 0 … s−1 (s ≤ outputSite). */
  readonly left: FloatArray[] = [];
  /** right[s]: the environment `[batch, bonds[s]]` after sites s … N−1 (s > outputSite). */
  readonly right: FloatArray[] = [];
  /** factors[s]: the per-row factor applied to the environment produced at site s. */
  readonly factors: FloatArray[] = [];
  /** U `[batch, classes, r]` of the output site. */
  readonly u: FloatArray;
  /** The per-row factor 2^scale applied to the scores. */
  readonly outFactors: FloatArray;
  readonly scale: Float64Array;
  /** T or W of one site. */
  readonly scratch: FloatArray;
  /** Two environment-gradient buffers used in turn. */
  readonly envGrad: [FloatArray, FloatArray];
  /** The incoming score gradient times the output factors. */
  readonly scoreGrad: FloatArray;

  constructor(readonly shape: ChainShape) {
    const { batch, sites, physDim, classes, outputSite, bonds, dtype } = shape;
    const maxBond = Math.max(...bonds);
    for (let s = 0; s <= sites; s++) {
      this.left.push(s <= outputSite ? allocate(dtype, batch * bonds[s]!) : allocate(dtype, 0));
      this.right.push(s > outputSite ? allocate(dtype, batch * bonds[s]!) : allocate(dtype, 0));
      this.factors.push(s !== outputSite && s < sites ? allocate(dtype, batch) : allocate(dtype, 0));
    }
    this.left[0]!.fill(1);
    this.right[sites]!.fill(1);
    const r = bonds[outputSite + 1]!;
    this.u = allocate(dtype, batch * classes * r);
    this.outFactors = allocate(dtype, batch);
    this.scale = new Float64Array(batch);
    this.scratch = allocate(dtype, batch * physDim * Math.max(classes * r, maxBond));
    this.envGrad = [allocate(dtype, batch * maxBond), allocate(dtype, batch * maxBond)];
    this.scoreGrad = allocate(dtype, batch * classes);
  }
}

/**
 * Idle workspaces by chain shape, so training reuses the buffers of earlier steps: up to 8
 * shapes, two workspaces each.
 */
export class ChainWorkspacePool extends WorkspacePool<ChainShape, ChainWorkspace> {
  constructor() {
    super((shape) => new ChainWorkspace(shape), keyOf, 8, 2);
  }
}

function keyOf(s: ChainShape): string {
  return `${s.dtype}|${s.batch}|${s.physDim}|${s.classes}|${s.outputSite}|${s.bonds.join(',')}`;
}

/**
 * Rescales each row of `env` `[batch, width]` by a power of two so its max-abs entry lies
 * in [0.5, 1), as rescaleRows does, storing the factors (in the dtype) and adding the
 * exponents to `scale`.
 */
function rescaleInPlace(env: FloatArray, batch: number, width: number, factors: FloatArray, scale: Float64Array): void {
  for (let b = 0; b < batch; b++) {
    const o = b * width;
    let m = 0;
    for (let j = 0; j < width; j++) {
      const v = Math.abs(env[o + j]!);
      if (v > m) m = v;
    }
    const k = rescaleExponent(m);
    factors[b] = 2 ** -k;
    scale[b] = scale[b]! + k;
    if (k !== 0) {
      const f = factors[b]!;
      for (let j = 0; j < width; j++) env[o + j] = env[o + j]! * f;
    }
  }
}

/** out[b, j] = Σ_p φ[b, site, p] · t[b, p, j] (t is `[batch, d, width]`). */
function contractPhysFirst(t: FloatArray, x: FloatArray, site: number, sites: number, d: number, batch: number, width: number, out: FloatArray): void {
  const pw = d * width;
  for (let b = 0; b < batch; b++) {
    const xo = (b * sites + site) * d;
    const to = b * pw;
    const oo = b * width;
    const x0 = x[xo]!;
    for (let j = 0; j < width; j++) out[oo + j] = x0 * t[to + j]!;
    for (let p = 1; p < d; p++) {
      const xp = x[xo + p]!;
      const tp = to + p * width;
      for (let j = 0; j < width; j++) out[oo + j] = out[oo + j]! + xp * t[tp + j]!;
    }
  }
}

/** out[b, i] = Σ_p t[b, i, p] · φ[b, site, p] (t is `[batch, width, d]`). */
function contractPhysLast(t: FloatArray, x: FloatArray, site: number, sites: number, d: number, batch: number, width: number, out: FloatArray): void {
  for (let b = 0; b < batch; b++) {
    const xo = (b * sites + site) * d;
    const oo = b * width;
    let to = b * width * d;
    for (let i = 0; i < width; i++, to += d) {
      let s = 0;
      for (let p = 0; p < d; p++) s += t[to + p]! * x[xo + p]!;
      out[oo + i] = s;
    }
  }
}

/** w[b, p, j] = φ[b, site, p] · v[b, j] (v is `[batch, width]`). */
function outerPhys(v: FloatArray, x: FloatArray, site: number, sites: number, d: number, batch: number, width: number, w: FloatArray): void {
  for (let b = 0; b < batch; b++) {
    const xo = (b * sites + site) * d;
    const vo = b * width;
    let wo = b * d * width;
    for (let p = 0; p < d; p++, wo += width) {
      const xp = x[xo + p]!;
      for (let j = 0; j < width; j++) w[wo + j] = xp * v[vo + j]!;
    }
  }
}

/** Multiplies each row of `m` `[batch, width]` by factors[b]. */
function scaleRows(m: FloatArray, factors: FloatArray, batch: number, width: number): void {
  for (let b = 0; b < batch; b++) {
    const f = factors[b]!;
    if (f === 1) continue;
    for (let j = b * width, end = j + width; j < end; j++) m[j] = m[j]! * f;
  }
}

function forward(kernel: Kernel, ws: ChainWorkspace, cores: readonly FloatArray[], x: FloatArray): FloatArray {
  const { batch, sites, physDim: d, classes, outputSite: k, bonds, dtype } = ws.shape;
  const t = ws.scratch;
  ws.scale.fill(0);
  for (let s = 0; s < k; s++) {
    const l = bonds[s]!;
    const r = bonds[s + 1]!;
    kernel.gemm(false, false, batch, d * r, l, 1, ws.left[s]!, cores[s]!, 0, t);
    contractPhysFirst(t, x, s, sites, d, batch, r, ws.left[s + 1]!);
    rescaleInPlace(ws.left[s + 1]!, batch, r, ws.factors[s]!, ws.scale);
  }
  for (let s = sites - 1; s > k; s--) {
    const l = bonds[s]!;
    const r = bonds[s + 1]!;
    kernel.gemm(false, true, batch, l * d, r, 1, ws.right[s + 1]!, cores[s]!, 0, t);
    contractPhysLast(t, x, s, sites, d, batch, l, ws.right[s]!);
    rescaleInPlace(ws.right[s]!, batch, l, ws.factors[s]!, ws.scale);
  }
  const l = bonds[k]!;
  const r = bonds[k + 1]!;
  const cr = classes * r;
  kernel.gemm(false, false, batch, d * cr, l, 1, ws.left[k]!, cores[k]!, 0, t);
  contractPhysFirst(t, x, k, sites, d, batch, cr, ws.u);
  const right = ws.right[k + 1]!;
  const out = allocate(dtype, batch * classes);
  for (let b = 0; b < batch; b++) {
    ws.outFactors[b] = 2 ** ws.scale[b]!;
    const f = ws.outFactors[b]!;
    for (let c = 0; c < classes; c++) {
      const uo = b * cr + c * r;
      const ro = b * r;
      let v = 0;
      for (let j = 0; j < r; j++) v += ws.u[uo + j]! * right[ro + j]!;
      // Rounded to the dtype before scaling, as the op-by-op version is.
      out[b * classes + c] = v;
      out[b * classes + c] = out[b * classes + c]! * f;
    }
  }
  return out;
}

function backward(
  kernel: Kernel, ws: ChainWorkspace, cores: readonly FloatArray[], x: FloatArray, g: FloatArray, needs: readonly boolean[], into: readonly (Tensor | null)[] | null,
): (Tensor | null)[] {
  const { batch, sites, physDim: d, classes, outputSite: k, bonds, dtype } = ws.shape;
  const grads: (Tensor | null)[] = new Array<Tensor | null>(sites).fill(null);
  // The gradient of core s: the lent buffer when there is one (every element is overwritten: gemm with beta 0), else a new one.
  const gradOf = (s: number, shape: number[]): Tensor => {
    const lentBuffer = into?.[s];
    const grad = lentBuffer ?? new Tensor(allocate(dtype, shape.reduce((a, b) => a * b, 1)), shape);
    grads[s] = grad;
    return grad;
  };
  const t = ws.scratch;
  const gp = ws.scoreGrad;
  for (let b = 0; b < batch; b++) {
    const f = ws.outFactors[b]!;
    for (let c = 0; c < classes; c++) gp[b * classes + c] = g[b * classes + c]! * f;
  }
  let leftNeeded = false;
  for (let s = 0; s < k; s++) leftNeeded ||= needs[s]!;
  let rightNeeded = false;
  for (let s = k + 1; s < sites; s++) rightNeeded ||= needs[s]!;
  const l = bonds[k]!;
  const r = bonds[k + 1]!;
  const cr = classes * r;
  // Output site: W[b, p, c, r] = φ[b, p] ĝ[b, c] R[b, r].
  const right = ws.right[k + 1]!;
  if (needs[k] || leftNeeded) {
    for (let b = 0; b < batch; b++) {
      const xo = (b * sites + k) * d;
      for (let p = 0; p < d; p++) {
        const xp = x[xo + p]!;
        for (let c = 0; c < classes; c++) {
          const gc = xp * gp[b * classes + c]!;
          const wo = ((b * d + p) * classes + c) * r;
          const ro = b * r;
          for (let j = 0; j < r; j++) t[wo + j] = gc * right[ro + j]!;
        }
      }
    }
    if (needs[k]) kernel.gemm(true, false, l, d * cr, batch, 1, ws.left[k]!, t, 0, gradOf(k, [l, d, classes, r]).data);
    if (leftNeeded) kernel.gemm(false, true, batch, l, d * cr, 1, t, cores[k]!, 0, ws.envGrad[0]);
  }
  if (leftNeeded) {
    // ws.envGrad[cur] holds ∂L_{s+1}; each site turns it into ∂L_s in the other buffer.
    let cur = 0;
    let first = 0;
    while (!needs[first]) first++;
    for (let s = k - 1; s >= first; s--) {
      const ls = bonds[s]!;
      const rs = bonds[s + 1]!;
      const gEnv = ws.envGrad[cur]!;
      scaleRows(gEnv, ws.factors[s]!, batch, rs);
      outerPhys(gEnv, x, s, sites, d, batch, rs, t);
      if (needs[s]) kernel.gemm(true, false, ls, d * rs, batch, 1, ws.left[s]!, t, 0, gradOf(s, [ls, d, rs]).data);
      if (s > first) {
        kernel.gemm(false, true, batch, ls, d * rs, 1, t, cores[s]!, 0, ws.envGrad[1 - cur]!);
        cur = 1 - cur;
      }
    }
  }
  if (rightNeeded) {
    // ∂R_{k+1}[b, r] = Σ_c ĝ[b, c] U[b, c, r].
    const gEnv0 = ws.envGrad[0];
    for (let b = 0; b < batch; b++) {
      const go = b * r;
      for (let j = 0; j < r; j++) gEnv0[go + j] = 0;
      for (let c = 0; c < classes; c++) {
        const gc = gp[b * classes + c]!;
        const uo = b * cr + c * r;
        for (let j = 0; j < r; j++) gEnv0[go + j] = gEnv0[go + j]! + gc * ws.u[uo + j]!;
      }
    }
    let cur = 0;
    let last = sites - 1;
    while (!needs[last]) last--;
    for (let s = k + 1; s <= last; s++) {
      const ls = bonds[s]!;
      const rs = bonds[s + 1]!;
      const gEnv = ws.envGrad[cur]!;
      scaleRows(gEnv, ws.factors[s]!, batch, ls);
      if (needs[s]) {
        outerPhys(ws.right[s + 1]!, x, s, sites, d, batch, rs, t);
        kernel.gemm(true, false, ls, d * rs, batch, 1, gEnv, t, 0, gradOf(s, [ls, d, rs]).data);
      }
      if (s < last) {
        kernel.gemm(false, false, batch, d * rs, ls, 1, gEnv, cores[s]!, 0, t);
        contractPhysFirst(t, x, s, sites, d, batch, rs, ws.envGrad[1 - cur]!);
        cur = 1 - cur;
      }
    }
  }
  return grads;
}

/**
 * The fused chain operation for one call on φ `x` (`[batch, sites, d]` in the cores' dtype,
 * C order); `pool` lends and takes back the work buffers.
 */
function chainOp(shape: ChainShape, x: FloatArray, pool: ChainWorkspacePool): CustomOp<LentWorkspace<ChainWorkspace, FloatArray[]>> {
  return pooledOp(pool, shape, {
    name: 'mpsChain',
    forward(ws, inputs) {
      const kernel = getKernel();
      const cores = inputs.map((c) => c.contiguous().data);
      const out = forward(kernel, ws, cores, x);
      return { value: new Tensor(out, [shape.batch, shape.classes]), saved: cores };
    },
    vjp(ws, g, cores, needs, into) {
      const gData = g.astype(shape.dtype).contiguous().data;
      return backward(getKernel(), ws, cores, x, gData, needs, into);
    },
  });
}

/**
 * Scores `[batch, classes]` of an MPS classifier on product states `x` `[batch, sites, d]`:
 * cores `[l, d, r]`, the output core `[l, d, classes, r]` at `outputSite`, all of one dtype
 * (x is converted to it). Equal, to rounding, to the op-by-op sweep of MpsModel's
 * environments, with one tape node whose backward pass is written out by hand.
 * @throws RangeError when the cores' dtypes differ or their bonds do not chain.
 */
export function mpsChainScores(params: readonly VarLike[], x: Tensor, outputSite: number, pool: ChainWorkspacePool): Var {
  const dtype = params[0]!.dtype;
  const sites = params.length;
  const [batch, xSites, d] = x.shape as [number, number, number];
  if (xSites !== sites) throw new RangeError(`mpsChainScores: the input has ${xSites} sites but there are ${sites} cores`);
  const bonds = fusedChainBonds(params, 'mpsChainScores', (shape, s) => {
    const want = s === outputSite ? 4 : 3;
    if (shape.length !== want || shape[1] !== d) throw new RangeError(`mpsChainScores: core ${s} has shape [${shape.join(', ')}], expected ${want} axes with physical dimension ${d}`);
  });
  const classes = params[outputSite]!.shape[2]!;
  const shape: ChainShape = { batch, sites, physDim: d, classes, outputSite, bonds, dtype };
  const xData = x.astype(dtype).contiguous().data;
  return customOp(chainOp(shape, xData, pool), params);
}
