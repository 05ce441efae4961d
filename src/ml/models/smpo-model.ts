import { add, constant, einsum, log, reshape, type Var, type VarLike } from '../../autodiff/index.js';
import { Index } from '../../network/tensor-index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';
import type { DType } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { CoreRole } from '../init/core-role.js';
import { gramSchmidt, type Initializer } from '../init/initializers.js';
import { chainNetwork, checkCoreChain } from '../../network/core-layout.js';
import type { ModelSpec } from './model.js';
import { checkBatch, checkSameShapes, rescaleRows, siteSlices, zeroScale, type LogScale } from './rescale.js';
import { SmpoSteps } from './smpo-network.js';
import { doubleLayerLeftStep, doubleLayerRightStep, DoubleChainWorkspacePool, rescaledEnvironment, smpoChainLogFrobeniusSquared, smpoChainLogNormSquared } from './smpo-chain.js';

/** Options of {@link SmpoModel.create}. */
export interface SmpoModelOptions {
  /** Number of input sites N (one per feature). */
  sites: number;
  /** Input (embedding) dimension d of every site. */
  physDim: number;
  /** Dimension of each output leg (tn4ml's phys_dim[1], default 2). */
  outputDim?: number;
  /** Sites 0, spacing, 2·spacing, … carry an output leg (tn4ml's `spacing`; ≥ 1). */
  spacing: number;
  /** Maximum bond dimension χ. */
  bondDim: number;
  /** Core initializer (default: tn4ml's Gram–Schmidt rows of [left bond, rest]). */
  init?: Initializer;
  seed?: number;
  dtype?: DType;
}

const LN2 = Math.LN2;

/**
 * Bond dimensions of an open SMPO chain: bond k (between sites k−1 and k) is
 * min(χ, dim of the operator space left of it, dim right of it), where a site spans d·o
 * (output sites) or d (others). This is the exact maximum rank a bond can carry; tn4ml's
 * 'noteven' shape method approximates the same taper.
 */
export function smpoBonds(sites: number, physDim: number, outputDim: number, spacing: number, bondDim: number): number[] {
  const siteLog = Array.from({ length: sites }, (_, s) => Math.log2(physDim) + (s % spacing === 0 ? Math.log2(outputDim) : 0));
  const prefix = [0];
  for (const v of siteLog) prefix.push(prefix[prefix.length - 1]! + v);
  const total = prefix[sites]!;
  return prefix.map((left, k) => {
    if (k === 0 || k === sites) return 1;
    const bits = Math.min(left, total - left);
    return bits >= Math.log2(bondDim) ? bondDim : Math.max(1, Math.round(2 ** bits));
  });
}

/** The initializer role of an SMPO core [l, p, r] or [l, p, o, r]: rows are the left bond (as tn4ml's Gram–Schmidt). */
export function smpoCoreRole(shape: readonly number[], hasOutput: boolean): CoreRole {
  const last = shape.length - 1;
  return hasOutput
    ? { shape, physAxes: [1], identityPairs: [[0, last]], rowAxes: [0], outputAxes: [2] }
    : { shape, physAxes: [1], identityPairs: [[0, last]], rowAxes: [0] };
}

/** A double-layer environment of a batch: `[batch, χ, χ']` values with per-sample base-2 log scales. */
export interface DoubleEnvironment {
  /** `[batch, χ_ket, χ_bra]`, rescaled so each sample's max |entry| is in [0.5, 1). */
  readonly value: Tensor;
  /** The true environment of sample b is value[b]·2^scale[b]. */
  readonly scale: LogScale;
}

/**
 * Spaced matrix product operator (tn4ml's SpacedMatrixProductOperator): an MPO over N input
 * sites whose output legs sit only on sites 0, S, 2S, … (S = spacing). Cores are `[l, p, r]`
 * or, on output sites, `[l, p, o, r]`, with size-1 boundary bonds. Applied to a product
 * state φ(x) it gives an MPS P·φ(x) over the output legs; the anomaly loss uses its squared
 * norm ‖P·φ(x)‖² and the operator's own Frobenius norm ‖P‖_F².
 *
 * Both are contracted as double-layer chains (ket and bra of P·φ, or P and P) with
 * per-sample power-of-two rescaling after every site (see rescale.ts), and returned as
 * natural logarithms so 196-site chains neither underflow nor overflow. When the cores share
 * one dtype each chain runs as one fused operation with a hand-written backward pass on
 * reused buffers (smpo-chain.ts); otherwise, and in the `…ByEinsum` reference methods, as one
 * autodiff einsum per site.
 */
export class SmpoModel {
  readonly kind = 'smpo';
  readonly sites: number;
  readonly physDim: number;
  readonly outputDim: number;
  readonly spacing: number;
  readonly bondDim: number;
  /** Work buffers of the fused chains, reused across training steps. */
  private readonly workspaces = new DoubleChainWorkspacePool();
  /** The einsum specs of the steps (see {@link steps}); shared by the models `withParams` and `normalized` derive. */
  private stepsCache: SmpoSteps | undefined;

  private constructor(readonly params: readonly Tensor[], spacing: number, bondDim: number) {
    this.sites = params.length;
    this.physDim = params[0]!.shape[1]!;
    this.spacing = spacing;
    this.outputDim = params[0]!.ndim === 4 ? params[0]!.shape[2]! : 1;
    this.bondDim = bondDim;
  }

  /** The einsum specs of the double-layer steps, generated from the model's network (on first use). */
  get steps(): SmpoSteps {
    this.stepsCache ??= new SmpoSteps(this.toNetwork());
    return this.stepsCache;
  }

  /** A model of the same structure over `params`, sharing the generated steps. */
  private sameStructure(params: readonly Tensor[]): SmpoModel {
    const model = new SmpoModel(params, this.spacing, this.bondDim);
    model.stepsCache = this.stepsCache;
    return model;
  }

  /**
   * A freshly initialised SMPO as tn4ml's `SMPO_initialize` with `compress=True`: each core
   * drawn by the initializer and divided by its norm, then every core divided by ‖P‖_F^(1/N)
   * so the operator has Frobenius norm 1.
   */
  static create(options: SmpoModelOptions): SmpoModel {
    const { sites, physDim, spacing, bondDim } = options;
    const outputDim = options.outputDim ?? 2;
    for (const [name, v] of [['sites', sites], ['physDim', physDim], ['outputDim', outputDim], ['spacing', spacing], ['bondDim', bondDim]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`SmpoModel: ${name} must be a positive integer, got ${v}`);
    }
    const init = options.init ?? gramSchmidt();
    const rng = new Random(options.seed ?? 0);
    const dtype = options.dtype ?? 'f64';
    const bonds = smpoBonds(sites, physDim, outputDim, spacing, bondDim);
    let cores = Array.from({ length: sites }, (_, s) => {
      const out = s % spacing === 0;
      const shape = out ? [bonds[s]!, physDim, outputDim, bonds[s + 1]!] : [bonds[s]!, physDim, bonds[s + 1]!];
      const t = init(smpoCoreRole(shape, out), rng, dtype);
      return scaleTensor(t, 1 / frobenius(t));
    });
    const model = new SmpoModel(cores, spacing, bondDim);
    cores = model.normalized().params as Tensor[];
    return new SmpoModel(cores, spacing, bondDim);
  }

  /** Wraps existing cores (checked: chain bonds agree, output legs exactly on sites 0, S, 2S, …). */
  static fromCores(cores: readonly Tensor[], spacing: number, bondDim?: number): SmpoModel {
    if (cores.length === 0) throw new RangeError('SmpoModel: no cores');
    if (!Number.isInteger(spacing) || spacing < 1) throw new RangeError(`SmpoModel: spacing must be a positive integer, got ${spacing}`);
    checkCoreChain(cores, 'SmpoModel', (c, s) => {
      if (!(c instanceof Tensor)) throw new TypeError(`SmpoModel: core ${s} is not a Tensor`);
      const want = s % spacing === 0 ? 4 : 3;
      if (c.ndim !== want) throw new RangeError(`SmpoModel: core ${s} must have ${want} axes ([l, p${want === 4 ? ', o' : ''}, r]) for spacing ${spacing}, got shape [${c.shape.join(', ')}]`);
      if (c.shape[1] !== cores[0]!.shape[1]) throw new RangeError(`SmpoModel: core ${s} has input dimension ${c.shape[1]}, core 0 has ${cores[0]!.shape[1]}`);
      if (want === 4 && c.shape[2] !== cores[0]!.shape[2]) throw new RangeError(`SmpoModel: core ${s} has output dimension ${c.shape[2]}, core 0 has ${cores[0]!.shape[2]}`);
    });
    return new SmpoModel([...cores], spacing, bondDim ?? Math.max(...cores.map((c) => c.shape[0]!)));
  }

  /**
   * Rebuilds an SMPO from its {@link toSpec} and saved cores (the rebuilder for the model
   * file's `decodeModelWith` / `loadModelWith`).
   * @throws RangeError / TypeError naming the bad spec field or the core that disagrees.
   */
  static fromSpec(spec: ModelSpec, cores: readonly Tensor[]): SmpoModel {
    if (spec === null || typeof spec !== 'object' || spec.kind !== 'smpo') throw new RangeError(`model spec: expected kind 'smpo', got ${JSON.stringify(spec?.kind)}`);
    const int = (key: string): number => {
      const v = spec[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new TypeError(`model spec (smpo): '${key}' must be a positive integer, got ${JSON.stringify(v)}`);
      return v;
    };
    const model = SmpoModel.fromCores(cores, int('spacing'), int('bondDim'));
    for (const key of ['sites', 'physDim', 'outputDim'] as const) {
      if (model[key] !== int(key)) throw new RangeError(`model spec (smpo): '${key}' is ${int(key)} but the cores give ${model[key]}`);
    }
    return model;
  }

  /** Whether site `s` carries an output leg. */
  hasOutput(s: number): boolean {
    return s % this.spacing === 0;
  }

  /** The same structure with other cores (shapes checked). */
  withParams(params: readonly Tensor[]): SmpoModel {
    checkSameShapes(this.params, params, 'SmpoModel.withParams');
    return this.sameStructure([...params]);
  }

  /** The same operator over cores of any (consistent) bond dimensions, e.g. after a sweep's truncation. */
  withCores(cores: readonly Tensor[]): SmpoModel {
    return SmpoModel.fromCores(cores, this.spacing, this.bondDim);
  }

  /** The operator divided by ‖P‖_F, spread evenly as ‖P‖_F^(1/N) over the cores (tn4ml's `normalize()`). */
  normalized(): SmpoModel {
    const logF = this.logFrobeniusNormSquared(this.params).value.item();
    const factor = Math.exp(-logF / (2 * this.sites));
    return this.sameStructure(this.params.map((c) => scaleTensor(c, factor)));
  }

  /**
   * ln ‖P·φ(x_b)‖² for each sample of a product-state batch `x` `[batch, sites, d]`: a `[batch]`
   * variable, differentiable in `params`.
   */
  logNormSquared(params: readonly VarLike[], x: Tensor): Var {
    checkBatch(x, this.sites, this.physDim, 'SmpoModel.logNormSquared');
    this.checkParams(params);
    if (sameDtype(params)) return smpoChainLogNormSquared(params, x, this.workspaces);
    return this.logNormSquaredByEinsum(params, x);
  }

  /** {@link logNormSquared} as one autodiff einsum per site: the reference the fused chain is tested against. */
  logNormSquaredByEinsum(params: readonly VarLike[], x: Tensor): Var {
    checkBatch(x, this.sites, this.physDim, 'SmpoModel.logNormSquared');
    this.checkParams(params);
    const xs = siteSlices(x, params[0]!.dtype);
    const batch = x.shape[0]!;
    const scale = zeroScale(batch);
    let env: VarLike = onesEnvironment(batch, params[0]!.dtype);
    for (let s = 0; s < this.sites; s++) env = rescaleRows(this.extendLeft(env, params[s]!, xs[s]!, s), scale);
    return logWithScale(env, scale, [batch]);
  }

  /** ln ‖P‖_F² = ln tr(P†P), a scalar variable. */
  logFrobeniusNormSquared(params: readonly VarLike[]): Var {
    this.checkParams(params);
    if (sameDtype(params)) return smpoChainLogFrobeniusSquared(params, this.workspaces);
    return this.logFrobeniusNormSquaredByEinsum(params);
  }

  /** {@link logFrobeniusNormSquared} as one autodiff einsum per site (the reference path). */
  logFrobeniusNormSquaredByEinsum(params: readonly VarLike[]): Var {
    this.checkParams(params);
    const scale = zeroScale(1);
    let env: VarLike = onesEnvironment(1, params[0]!.dtype);
    for (let s = 0; s < this.sites; s++) env = rescaleRows(einsum(this.steps.frobeniusStep[s]!, env, params[s]!, params[s]!), scale);
    return logWithScale(env, scale, []);
  }

  /** One left-to-right double-layer step: env `[b, l, l']` through site `s` → `[b, r, r']`. */
  extendLeft(env: VarLike, core: VarLike, phi: Tensor, s: number): Var {
    return einsum(this.steps.normStep[s]!, env, core, phi, core, phi);
  }

  /** Plain-tensor environments (no tape) for sweeping: left[k] covers sites < k, right[k] sites ≥ k. */
  leftEnvironmentStep(env: DoubleEnvironment, core: Tensor, phi: Tensor, s: number): DoubleEnvironment {
    this.checkStepCore(core, s);
    return rescaledEnvironment(doubleLayerLeftStep(env.value, core, phi), env.scale);
  }

  /** One right-to-left step: env `[b, r, r']` over sites > s through site `s` → `[b, l, l']`. */
  rightEnvironmentStep(env: DoubleEnvironment, core: Tensor, phi: Tensor, s: number): DoubleEnvironment {
    this.checkStepCore(core, s);
    return rescaledEnvironment(doubleLayerRightStep(env.value, core, phi), env.scale);
  }

  /** Structure description for the model file. */
  toSpec(): ModelSpec {
    return { kind: this.kind, sites: this.sites, physDim: this.physDim, outputDim: this.outputDim, spacing: this.spacing, bondDim: this.bondDim };
  }

  /** The cores as a tensor network with shared bond indices. */
  toNetwork(): TensorNetwork {
    return chainNetwork(this.params, this.physDim, (_, s) => (this.hasOutput(s) ? new Index(this.outputDim, ['out', `site${s}`]) : null));
  }

  private checkStepCore(core: Tensor, s: number): void {
    const want = this.hasOutput(s) ? 4 : 3;
    if (core.ndim !== want) throw new RangeError(`SmpoModel: the core of site ${s} must have ${want} axes, got shape [${core.shape.join(', ')}]`);
  }

  private checkParams(params: readonly VarLike[]): void {
    if (params.length !== this.sites) throw new RangeError(`SmpoModel: ${params.length} cores given, the model has ${this.sites}`);
  }
}

/** Whether all cores share one dtype (the fused chains need that). */
function sameDtype(params: readonly VarLike[]): boolean {
  return params.every((p) => p.dtype === params[0]!.dtype);
}

/** ln of a rescaled scalar-per-sample environment: ln(value) + scale·ln 2, shaped `shape`. */
export function logWithScale(env: VarLike, scale: LogScale, shape: readonly number[]): Var {
  const flat = einsum('bij->b', env);
  const offsets = new Float64Array(scale.length);
  for (let b = 0; b < scale.length; b++) offsets[b] = scale[b]! * LN2;
  const out = log(flat);
  const shifted = add(out, constant(new Tensor(offsets, [scale.length]).astype(out.dtype)));
  return shape.length === 0 ? reshape(shifted, []) : shifted;
}

/** Ones `[batch, 1, 1]`: the trivial boundary of a double-layer chain. */
export function onesEnvironment(batch: number, dtype: DType): Tensor {
  const data = dtype === 'f32' ? new Float32Array(batch) : new Float64Array(batch);
  data.fill(1);
  return new Tensor(data, [batch, 1, 1]);
}


function frobenius(t: Tensor): number {
  const d = t.contiguous().data;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return Math.sqrt(s);
}

function scaleTensor(t: Tensor, factor: number): Tensor {
  const out = t.contiguous().copy();
  for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! * factor;
  return out;
}
