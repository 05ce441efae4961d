import { einsum, reshape, type Var, type VarLike } from '../../autodiff/index.js';
import { LabeledTensor } from '../../network/labeled-tensor.js';
import { Index } from '../../network/tensor-index.js';
import { TensorNetwork } from '../../network/tensor-network.js';
import type { DType } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { CoreRole } from '../init/core-role.js';
import { identityPlusNoise, type Initializer } from '../init/initializers.js';
import type { ModelSpec, SupervisedModel } from './model.js';
import { dtypeOfParams } from './mps-model.js';
import { PepsSteps } from './peps-network.js';
import { applyScale, checkBatch, checkSameShapes, rescaleRows, siteSlices, zeroScale } from './rescale.js';

/** Largest per-sample boundary state (entries) the exact PEPS contraction will hold. */
export const PEPS_MAX_BOUNDARY = 1 << 15;

/** Options of {@link PepsModel.create}. */
export interface PepsModelOptions {
  /** Grid [rows, cols]; site (i, j) is feature i·cols + j (row-major pixels). */
  grid: readonly [number, number];
  physDim: number;
  bondDim: number;
  outputDim: number;
  /** Site carrying the output index (default the centre, ⌊rows/2⌋·cols + ⌊cols/2⌋). */
  outputSite?: number;
  init?: Initializer;
  seed?: number;
  dtype?: DType;
}

/** Widest grid: the boundary state's W + 3 indices and a step's others stay well within einsum's 52 letters. */
const MAX_COLUMNS = 16;

/**
 * A 2-D PEPS classifier for small images. Core (i, j) is `[up, left, p, right, down]` (the
 * output site has an extra class axis after p: `[up, left, p, c, right, down]`); bonds on
 * the grid border have size 1.
 *
 * Contraction is exact, row by row: the boundary state of a batch is a tensor
 * `[batch, c, h, d₀ … d_{W−1}]` holding the open down-bonds of the rows done so far (and the
 * horizontal bond h inside the current row); each site is absorbed by one batched einsum
 * and the state is rescaled by powers of two. The state has D^W·D·c entries per sample,
 * so this is for small grids (W ≤ 16 and D^(W+1)·c ≤ {@link PEPS_MAX_BOUNDARY}); larger grids
 * would need a truncated boundary MPS, which this model does not do.
 */
export class PepsModel implements SupervisedModel {
  readonly kind = 'peps';
  readonly sites: number;
  readonly physDim: number;
  readonly outputDim: number;
  readonly grid: readonly [number, number];
  readonly bondDim: number;
  readonly outputSite: number;

  private constructor(readonly params: readonly Tensor[], grid: readonly [number, number], physDim: number, outputDim: number, bondDim: number, outputSite: number) {
    this.grid = grid;
    this.sites = grid[0] * grid[1];
    this.physDim = physDim;
    this.outputDim = outputDim;
    this.bondDim = bondDim;
    this.outputSite = outputSite;
  }

  /** The shape of every core for these settings, in site order. */
  static coreShapes(grid: readonly [number, number], physDim: number, bondDim: number, outputDim: number, outputSite: number): number[][] {
    const [H, W] = grid;
    const shapes: number[][] = [];
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        const up = i === 0 ? 1 : bondDim;
        const left = j === 0 ? 1 : bondDim;
        const right = j === W - 1 ? 1 : bondDim;
        const down = i === H - 1 ? 1 : bondDim;
        shapes.push(i * W + j === outputSite ? [up, left, physDim, outputDim, right, down] : [up, left, physDim, right, down]);
      }
    }
    return shapes;
  }

  /** A new model with initialised cores. */
  static create(options: PepsModelOptions): PepsModel {
    const [H, W] = options.grid;
    const { physDim, bondDim, outputDim } = options;
    for (const [name, v] of [['grid rows', H], ['grid cols', W], ['physDim', physDim], ['bondDim', bondDim], ['outputDim', outputDim]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`PepsModel: ${name} must be a positive integer, got ${v}`);
    }
    if (W > MAX_COLUMNS) throw new RangeError(`PepsModel: at most ${MAX_COLUMNS} columns, got ${W}`);
    if (bondDim ** (W + 1) * outputDim > PEPS_MAX_BOUNDARY) {
      throw new RangeError(`PepsModel: exact contraction of a ${W}-wide grid at bond ${bondDim} needs ${bondDim ** (W + 1) * outputDim} boundary entries per sample (max ${PEPS_MAX_BOUNDARY}); use a smaller grid or bond`);
    }
    const outputSite = options.outputSite ?? Math.floor(H / 2) * W + Math.floor(W / 2);
    if (!Number.isInteger(outputSite) || outputSite < 0 || outputSite >= H * W) throw new RangeError(`PepsModel: outputSite must be in [0, ${H * W - 1}], got ${outputSite}`);
    const init = options.init ?? identityPlusNoise(1e-2);
    const rng = new Random(options.seed ?? 0);
    const params = PepsModel.coreShapes(options.grid, physDim, bondDim, outputDim, outputSite).map((shape, s) => {
      const isOut = s === outputSite;
      const last = shape.length - 1;
      // Pass the signal left→right and top→bottom with the pixel's constant component.
      const role: CoreRole = { shape, physAxes: [2], identityPairs: [[1, last - 1], [0, last]], rowAxes: [0, 1, 2], ...(isOut ? { outputAxes: [3] } : {}) };
      return init(role, rng, options.dtype ?? 'f64');
    });
    return new PepsModel(params, [H, W], physDim, outputDim, bondDim, outputSite);
  }

  /** Rebuilds a model from its cores (a model file), checking their shapes. */
  static fromCores(cores: readonly Tensor[], grid: readonly [number, number], physDim: number, bondDim: number, outputDim: number, outputSite: number): PepsModel {
    checkSameShapes(PepsModel.coreShapes(grid, physDim, bondDim, outputDim, outputSite).map((shape) => ({ shape })), cores, 'PepsModel.fromCores');
    return new PepsModel([...cores], grid, physDim, outputDim, bondDim, outputSite);
  }

  withParams(params: readonly Tensor[]): PepsModel {
    checkSameShapes(this.params, params, 'PepsModel.withParams');
    return new PepsModel([...params], this.grid, this.physDim, this.outputDim, this.bondDim, this.outputSite);
  }

  forward(params: readonly VarLike[], x: Tensor): Var {
    checkBatch(x, this.sites, this.physDim, 'PepsModel.forward');
    const [H, W] = this.grid;
    const batch = x.shape[0]!;
    const dtype = dtypeOfParams(params);
    const xs = siteSlices(x, dtype);
    const scale = zeroScale(batch);
    const start = new Tensor(dtype === 'f32' ? new Float32Array(batch).fill(1) : new Float64Array(batch).fill(1), [batch, 1, 1, ...Array.from({ length: W }, () => 1)]);
    let state: VarLike = start;
    const { step } = this.steps;
    for (let s = 0; s < H * W; s++) state = rescaleRows(einsum(step[s]!, state, params[s]!, xs[s]!), scale);
    return applyScale(reshape(state, [batch, this.outputDim]), scale);
  }

  private stepsCache: PepsSteps | undefined;

  /** The einsum specs of the sweep's steps, generated from the model's network (on first use). */
  get steps(): PepsSteps {
    this.stepsCache ??= new PepsSteps(this.toNetwork(), this.grid, this.outputSite);
    return this.stepsCache;
  }

  toSpec(): ModelSpec {
    return { kind: this.kind, grid: [...this.grid], physDim: this.physDim, outputDim: this.outputDim, bondDim: this.bondDim, outputSite: this.outputSite };
  }

  toNetwork(): TensorNetwork {
    const [H, W] = this.grid;
    const net = new TensorNetwork();
    const vertical: Index[][] = [];
    const horizontal: Index[][] = [];
    for (let i = 0; i <= H; i++) vertical.push(Array.from({ length: W }, () => new Index(i === 0 || i === H ? 1 : this.bondDim, 'bond')));
    for (let i = 0; i < H; i++) horizontal.push(Array.from({ length: W + 1 }, (_, j) => new Index(j === 0 || j === W ? 1 : this.bondDim, 'bond')));
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        const s = i * W + j;
        const phys = new Index(this.physDim, ['phys', `site${s}`]);
        const out = s === this.outputSite ? [new Index(this.outputDim, 'out')] : [];
        net.add(new LabeledTensor(this.params[s]!, [vertical[i]![j]!, horizontal[i]![j]!, phys, ...out, horizontal[i]![j + 1]!, vertical[i + 1]![j]!]), [`PARAM${s}`, `I${i}`, `J${j}`]);
      }
    }
    return net;
  }
}
