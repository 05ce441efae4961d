import { einsum, reshape, type Var, type VarLike } from '../../autodiff/index.js';
import { Index } from '../../network/tensor-index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';
import type { DType } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CoreRole } from '../init/core-role.js';
import { identityPlusNoise, type Initializer } from '../init/initializers.js';
import { chainNetwork } from '../../network/core-layout.js';
import type { ModelSpec, SupervisedModel } from './model.js';
import { MpoSteps } from './mpo-network.js';
import { chainBonds, dtypeOfParams, onesColumn } from './mps-model.js';
import { applyScale, checkBatch, checkSameShapes, rescaleRows, siteSlices, zeroScale } from './rescale.js';

/** Largest dense output Π outDims an MPO model will materialise. */
export const MPO_MAX_DENSE_OUTPUT = 1 << 16;

/** Options of {@link MpoModel.create}. */
export interface MpoModelOptions {
  sites: number;
  physDim: number;
  bondDim: number;
  /** Output dimension of each site's output leg (1 = no output there). Π outDims is the output size. */
  outDims: readonly number[];
  init?: Initializer;
  seed?: number;
  dtype?: DType;
}

/**
 * Matrix product operator model, vector → vector: cores `[l, p, q, r]` map the input product
 * state (legs p) to an output vector over the output legs q. `forward` returns that vector
 * densely, `[batch, Π q]` (capped at {@link MPO_MAX_DENSE_OUTPUT}): with one output leg of
 * size C it is a classifier, with several it is a multi-output regressor. `outputMps` gives
 * the output as a batched MPS instead (for losses on its norm, as tn4ml's (S)MPO anomaly
 * detection does, where Π q is far too large to write out).
 */
export class MpoModel implements SupervisedModel {
  readonly kind = 'mpo';
  readonly sites: number;
  readonly physDim: number;
  readonly outputDim: number;
  readonly outDims: readonly number[];
  readonly bondDim: number;

  private constructor(readonly params: readonly Tensor[], bondDim: number) {
    this.sites = params.length;
    this.physDim = params[0]!.shape[1]!;
    this.outDims = params.map((c) => c.shape[2]!);
    this.outputDim = this.outDims.reduce((a, b) => a * b, 1);
    this.bondDim = bondDim;
  }

  private stepsCache: MpoSteps | undefined;

  /** The einsum specs of the contraction steps, generated from the model's network (on first use). */
  get steps(): MpoSteps {
    this.stepsCache ??= new MpoSteps(this.toNetwork());
    return this.stepsCache;
  }

  /** A new model with initialised cores. */
  static create(options: MpoModelOptions): MpoModel {
    const { sites, physDim, bondDim, outDims } = options;
    if (!Number.isInteger(sites) || sites < 1) throw new RangeError(`MpoModel: sites must be a positive integer, got ${sites}`);
    if (outDims.length !== sites) throw new RangeError(`MpoModel: outDims has ${outDims.length} entries for ${sites} sites`);
    outDims.forEach((q, s) => {
      if (!Number.isInteger(q) || q < 1) throw new RangeError(`MpoModel: outDims[${s}] must be a positive integer, got ${q}`);
    });
    const init = options.init ?? identityPlusNoise(1e-2);
    const rng = new Random(options.seed ?? 0);
    const bonds = chainBonds(sites, physDim, bondDim);
    const params = outDims.map((q, s) => {
      const shape = [bonds[s]!, physDim, q, bonds[s + 1]!];
      const role: CoreRole = { shape, physAxes: [1], identityPairs: [[0, 3]], rowAxes: [0, 1], outputAxes: [2] };
      return init(role, rng, options.dtype ?? 'f64');
    });
    return new MpoModel(params, bondDim);
  }

  /** Rebuilds a model from its cores (a model file), checking their shapes. */
  static fromCores(cores: readonly Tensor[], bondDim: number): MpoModel {
    if (cores.length === 0) throw new RangeError('MpoModel: no cores');
    cores.forEach((c, s) => {
      if (c.ndim !== 4) throw new RangeError(`MpoModel: core ${s} must be [l, p, q, r], got shape [${c.shape.join(', ')}]`);
    });
    return new MpoModel([...cores], bondDim);
  }

  withParams(params: readonly Tensor[]): MpoModel {
    checkSameShapes(this.params, params, 'MpoModel.withParams');
    return new MpoModel([...params], this.bondDim);
  }

  /** Dense output `[batch, Π q]` (the output legs flattened in site order, C order). */
  forward(params: readonly VarLike[], x: Tensor): Var {
    checkBatch(x, this.sites, this.physDim, 'MpoModel.forward');
    if (this.outputDim > MPO_MAX_DENSE_OUTPUT) {
      throw new RangeError(`MpoModel.forward: the dense output has ${this.outputDim} entries (more than ${MPO_MAX_DENSE_OUTPUT}); use outputMps`);
    }
    const batch = x.shape[0]!;
    const xs = siteSlices(x, dtypeOfParams(params));
    const scale = zeroScale(batch);
    // env [batch, Q so far, bond]
    let env: VarLike = onesColumn(batch, dtypeOfParams(params)).reshape(batch, 1, 1);
    let q = 1;
    params.forEach((core, s) => {
      const next = einsum(this.steps.forwardStep[s]!, env, core, xs[s]!);
      q *= core.shape[2]!;
      env = rescaleRows(reshape(next, [batch, q, -1]), scale);
    });
    return applyScale(reshape(env, [batch, q]), scale);
  }

  /** The output W|φ(x)⟩ as a batched MPS: one `[batch, l, q, r]` core per site (no rescaling). */
  outputMps(params: readonly VarLike[], x: Tensor): Var[] {
    checkBatch(x, this.sites, this.physDim, 'MpoModel.outputMps');
    const xs = siteSlices(x, dtypeOfParams(params));
    return params.map((core, s) => einsum(this.steps.outputCore[s]!, core, xs[s]!));
  }

  toSpec(): ModelSpec {
    return { kind: this.kind, sites: this.sites, physDim: this.physDim, outDims: [...this.outDims], bondDim: this.bondDim };
  }

  toNetwork(): TensorNetwork {
    return chainNetwork(this.params, this.physDim, (core, s) => new Index(core.shape[2]!, ['out', `site${s}`]));
  }
}
