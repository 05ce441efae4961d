import { einsum, type Var, type VarLike } from '../../autodiff/index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';
import type { DType } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { CoreRole } from '../init/core-role.js';
import { identityPlusNoise, type Initializer } from '../init/initializers.js';
import { checkCoreChain } from '../../network/core-layout.js';
import type { ModelSpec, SupervisedModel } from './model.js';
import { ChainWorkspacePool, mpsChainScores } from './mps-chain.js';
import { mpsNetwork, MpsSteps } from './mps-network.js';
import { applyScale, checkBatch, checkSameShapes, rescaleRows, siteSlices, zeroScale, type LogScale } from './rescale.js';

/** Options of {@link MpsModel.create}. */
export interface MpsModelOptions {
  sites: number;
  physDim: number;
  bondDim: number;
  /** Size of the output (class) index: the number of classes, or 1 for a scalar regressor. */
  outputDim: number;
  /** Site carrying the output index (default ⌊sites/2⌋, the middle). */
  outputSite?: number;
  /** Core initializer (default identity plus N(0, 10⁻²) noise). */
  init?: Initializer;
  seed?: number;
  dtype?: DType;
}

/** Bond dimensions of an open chain: min(bondDim, d^k, d^(N−k)) so no bond exceeds the Hilbert space it spans. */
export function chainBonds(sites: number, physDim: number, bondDim: number): number[] {
  return Array.from({ length: sites + 1 }, (_, k) => {
    if (k === 0 || k === sites) return 1;
    const left = Math.min(k, 40) * Math.log2(physDim);
    const right = Math.min(sites - k, 40) * Math.log2(physDim);
    return Math.max(1, Math.min(bondDim, 2 ** Math.min(left, right)));
  }).map((d) => Math.round(d));
}

/** The role of core s for initializers: [l, p, r] or, at the output site, [l, p, c, r]. */
export function mpsCoreRole(shape: readonly number[], isOutput: boolean): CoreRole {
  const last = shape.length - 1;
  return isOutput
    ? { shape, physAxes: [1], identityPairs: [[0, last]], rowAxes: [0, 1], outputAxes: [2] }
    : { shape, physAxes: [1], identityPairs: [[0, last]], rowAxes: [0, 1] };
}

/**
 * Matrix product state classifier / regressor (Stoudenmire & Schwab 2016; tn4ml's MPS
 * with a class index). Cores are `[l, p, r]`, except the output site `[l, p, c, r]`;
 * boundary bonds have size 1. For a product state φ(x) the output is
 *
 *   f_c(x) = Σ A¹[p₁] … A^k[p_k, c] … A^N[p_N] φ(x₁)_{p₁} … φ(x_N)_{p_N},
 *
 * computed by sweeping a `[batch, bond]` environment in from both ends to the output site
 * (one batched contraction per site) and rescaling it by powers of two at every step (see
 * rescale.ts), so 30–200-site chains neither overflow nor underflow. When the cores share
 * one dtype the sweep runs as one fused operation with a hand-written backward pass on
 * reused buffers (mps-chain.ts); otherwise as a sequence of autodiff einsums whose specs
 * come from the model's network ({@link MpsSteps}, mps-network.ts).
 */
export class MpsModel implements SupervisedModel {
  readonly kind = 'mps';
  readonly sites: number;
  readonly physDim: number;
  readonly outputDim: number;
  readonly outputSite: number;
  readonly bondDim: number;
  /** Work buffers of the fused forward/backward pass, reused across training steps. */
  private readonly workspaces = new ChainWorkspacePool();
  /** The einsum specs of each step (see {@link steps}); shared by the models `withParams` derives, as they have one structure. */
  private stepsCache: MpsSteps | undefined;

  private constructor(readonly params: readonly Tensor[], outputSite: number, bondDim: number) {
    this.sites = params.length;
    this.outputSite = outputSite;
    this.physDim = params[0]!.shape[1]!;
    this.outputDim = params[outputSite]!.shape[2]!;
    this.bondDim = bondDim;
  }

  /** The einsum specs of each contraction step, generated from the model's network (on first use). */
  get steps(): MpsSteps {
    this.stepsCache ??= new MpsSteps(mpsNetwork(this.params, this.outputSite), this.outputSite);
    return this.stepsCache;
  }

  /** A freshly initialised model. */
  static create(options: MpsModelOptions): MpsModel {
    const { sites, physDim, bondDim, outputDim } = options;
    for (const [name, v, min] of [['sites', sites, 1], ['physDim', physDim, 1], ['bondDim', bondDim, 1], ['outputDim', outputDim, 1]] as const) {
      if (!Number.isInteger(v) || v < min) throw new RangeError(`MpsModel: ${name} must be an integer ≥ ${min}, got ${v}`);
    }
    const outputSite = options.outputSite ?? Math.floor(sites / 2);
    if (!Number.isInteger(outputSite) || outputSite < 0 || outputSite >= sites) {
      throw new RangeError(`MpsModel: outputSite must be an integer in [0, ${sites - 1}], got ${outputSite}`);
    }
    const init = options.init ?? identityPlusNoise(1e-2);
    const rng = new Random(options.seed ?? 0);
    const dtype = options.dtype ?? 'f64';
    const bonds = chainBonds(sites, physDim, bondDim);
    const params = Array.from({ length: sites }, (_, s) => {
      const shape = s === outputSite ? [bonds[s]!, physDim, outputDim, bonds[s + 1]!] : [bonds[s]!, physDim, bonds[s + 1]!];
      return init(mpsCoreRole(shape, s === outputSite), rng, dtype);
    });
    return new MpsModel(params, outputSite, bondDim);
  }

  /** Wraps existing cores (checked: chain bonds agree, one 4-index output core). */
  static fromCores(cores: readonly Tensor[], outputSite: number, bondDim?: number): MpsModel {
    if (cores.length === 0) throw new RangeError('MpsModel: no cores');
    checkCoreChain(cores, 'MpsModel', (c, s) => {
      const want = s === outputSite ? 4 : 3;
      if (c.ndim !== want) throw new RangeError(`MpsModel: core ${s} must have ${want} axes, got shape [${c.shape.join(', ')}]`);
      if (c.shape[1] !== cores[0]!.shape[1]) throw new RangeError(`MpsModel: core ${s} has physical dimension ${c.shape[1]}, core 0 has ${cores[0]!.shape[1]}`);
    });
    return new MpsModel([...cores], outputSite, bondDim ?? Math.max(...cores.map((c) => c.shape[0]!)));
  }

  withParams(params: readonly Tensor[]): MpsModel {
    checkSameShapes(this.params, params, 'MpsModel.withParams');
    const model = new MpsModel([...params], this.outputSite, this.bondDim);
    model.stepsCache = this.stepsCache;
    return model;
  }

  forward(params: readonly VarLike[], x: Tensor): Var {
    checkBatch(x, this.sites, this.physDim, 'MpsModel.forward');
    const dtype = dtypeOfParams(params);
    if (params.length === this.sites && params.every((p) => p.dtype === dtype)) return mpsChainScores(params, x, this.outputSite, this.workspaces);
    const xs = siteSlices(x, dtype);
    const batch = x.shape[0]!;
    const scale = zeroScale(batch);
    const left = this.leftEnvironment(params, xs, this.outputSite, scale);
    const right = this.rightEnvironment(params, xs, this.outputSite + 1, scale);
    const out = einsum(this.steps.scores, left, params[this.outputSite]!, xs[this.outputSite]!, right);
    return applyScale(out, scale);
  }

  /**
   * The left environment `[batch, bond]` after contracting sites 0 … end−1 (rescaled; the
   * exponents are added to `scale`). Exposed for sweeping algorithms that cache environments.
   */
  leftEnvironment(params: readonly VarLike[], xs: readonly Tensor[], end: number, scale: LogScale): VarLike {
    let env: VarLike = onesColumn(xs[0]!.shape[0]!, dtypeOfParams(params));
    for (let s = 0; s < end; s++) env = rescaleRows(einsum(this.steps.leftStep[s]!, env, params[s]!, xs[s]!), scale);
    return env;
  }

  /** The right environment `[batch, bond]` after contracting sites start … N−1 from the right. */
  rightEnvironment(params: readonly VarLike[], xs: readonly Tensor[], start: number, scale: LogScale): VarLike {
    let env: VarLike = onesColumn(xs[0]!.shape[0]!, dtypeOfParams(params));
    for (let s = this.sites - 1; s >= start; s--) env = rescaleRows(einsum(this.steps.rightStep[s]!, params[s]!, xs[s]!, env), scale);
    return env;
  }

  toSpec(): ModelSpec {
    return { kind: this.kind, sites: this.sites, physDim: this.physDim, outputDim: this.outputDim, outputSite: this.outputSite, bondDim: this.bondDim };
  }

  toNetwork(): TensorNetwork {
    return mpsNetwork(this.params, this.outputSite);
  }
}

/** The dtype of the first parameter (f64 when given constants of mixed type). */
export function dtypeOfParams(params: readonly VarLike[]): DType {
  const p = params[0];
  if (p === undefined) throw new RangeError('model: no parameters');
  return p instanceof Tensor ? p.dtype : p.dtype;
}

/** Ones `[batch, 1]`: the trivial boundary environment. */
export function onesColumn(batch: number, dtype: DType): Tensor {
  const data = dtype === 'f32' ? new Float32Array(batch) : new Float64Array(batch);
  data.fill(1);
  return new Tensor(data, [batch, 1]);
}
