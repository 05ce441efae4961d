import { einsum, type Var, type VarLike } from '../../autodiff/index.js';
import { LabeledTensor } from '../../network/labeled-tensor.js';
import { Index } from '../../network/tensor-index.js';
import { TensorNetwork } from '../../network/tensor-network.js';
import type { DType } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CoreRole } from '../init/core-role.js';
import { identityPlusNoise, type Initializer } from '../init/initializers.js';
import { TreeSteps } from './tree-network.js';
import type { ModelSpec, SupervisedModel } from './model.js';
import { dtypeOfParams } from './mps-model.js';
import { applyScale, checkBatch, checkSameShapes, rescaleRows, siteSlices, zeroScale } from './rescale.js';

/** Options of {@link TreeModel.create}. */
export interface TreeModelOptions {
  sites: number;
  physDim: number;
  bondDim: number;
  outputDim: number;
  init?: Initializer;
  seed?: number;
  dtype?: DType;
}

/** One node of the binary tree: the children it joins (site numbers at level 0, node numbers of the level below otherwise). */
export interface TreeNode {
  children: number[];
  /** Index into params. */
  core: number;
}

/**
 * The layers of a binary tree over `sites` leaves: adjacent pairs are joined level by
 * level; an odd one out at the end of a level is joined alone (a two-index node). The last
 * level has one node, which carries the output index.
 */
export function binaryTreeLayers(sites: number): TreeNode[][] {
  const layers: TreeNode[][] = [];
  let width = sites;
  let core = 0;
  do {
    const layer: TreeNode[] = [];
    for (let i = 0; i < width; i += 2) layer.push({ children: i + 1 < width ? [i, i + 1] : [i], core: core++ });
    layers.push(layer);
    width = layer.length;
  } while (width > 1);
  return layers;
}

/**
 * Tree tensor network classifier (binary tree, as in Cheng et al. 2019 / tn4ml's TTN idea):
 * level-0 nodes join two neighbouring sites `[p, p, u]`, higher nodes join two children
 * `[l, r, u]` (a single child gives `[l, u]`), and the root carries the output index
 * `[l, r, c]`. The forward pass contracts the tree bottom-up, one batched einsum per node,
 * rescaling each node's `[batch, u]` vector by powers of two.
 */
export class TreeModel implements SupervisedModel {
  readonly kind = 'tree';
  readonly sites: number;
  readonly physDim: number;
  readonly outputDim: number;
  readonly bondDim: number;
  private readonly layers: TreeNode[][];

  private constructor(readonly params: readonly Tensor[], sites: number, physDim: number, outputDim: number, bondDim: number) {
    this.sites = sites;
    this.physDim = physDim;
    this.outputDim = outputDim;
    this.bondDim = bondDim;
    this.layers = binaryTreeLayers(sites);
  }

  /** Core shapes for a tree over `sites` leaves (the root's last axis is the output). */
  static coreShapes(sites: number, physDim: number, bondDim: number, outputDim: number): number[][] {
    const layers = binaryTreeLayers(sites);
    const shapes: number[][] = [];
    let below = new Array<number>(sites).fill(physDim);
    layers.forEach((layer, level) => {
      const root = level === layers.length - 1;
      const dims = layer.map((node) => {
        const inDims = node.children.map((c) => below[c]!);
        const up = root ? outputDim : Math.min(bondDim, inDims.reduce((a, b) => a * b, 1));
        shapes.push([...inDims, up]);
        return up;
      });
      below = dims;
    });
    return shapes;
  }

  /** A new model with initialised cores. */
  static create(options: TreeModelOptions): TreeModel {
    const { sites, physDim, bondDim, outputDim } = options;
    if (!Number.isInteger(sites) || sites < 2) throw new RangeError(`TreeModel: sites must be an integer ≥ 2, got ${sites}`);
    for (const [name, v] of [['physDim', physDim], ['bondDim', bondDim], ['outputDim', outputDim]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`TreeModel: ${name} must be a positive integer, got ${v}`);
    }
    const init = options.init ?? identityPlusNoise(1e-2);
    const rng = new Random(options.seed ?? 0);
    const shapes = TreeModel.coreShapes(sites, physDim, bondDim, outputDim);
    const params = shapes.map((shape, k) => init(treeCoreRole(shape, k === shapes.length - 1), rng, options.dtype ?? 'f64'));
    return new TreeModel(params, sites, physDim, outputDim, bondDim);
  }

  /** Rebuilds a model from its cores (a model file), checking their shapes. */
  static fromCores(cores: readonly Tensor[], sites: number, physDim: number, outputDim: number, bondDim: number): TreeModel {
    const shapes = TreeModel.coreShapes(sites, physDim, bondDim, outputDim);
    checkSameShapes(shapes.map((shape) => ({ shape })), cores, 'TreeModel.fromCores');
    return new TreeModel([...cores], sites, physDim, outputDim, bondDim);
  }

  withParams(params: readonly Tensor[]): TreeModel {
    checkSameShapes(this.params, params, 'TreeModel.withParams');
    return new TreeModel([...params], this.sites, this.physDim, this.outputDim, this.bondDim);
  }

  forward(params: readonly VarLike[], x: Tensor): Var {
    checkBatch(x, this.sites, this.physDim, 'TreeModel.forward');
    const scale = zeroScale(x.shape[0]!);
    let below: VarLike[] = siteSlices(x, dtypeOfParams(params));
    for (const layer of this.layers) {
      below = layer.map((node) => {
        const core = params[node.core]!;
        return rescaleRows(einsum(this.steps.step[node.core]!, ...node.children.map((c) => below[c]!), core), scale);
      });
    }
    return applyScale(below[0]! as Var, scale);
  }

  private stepsCache: TreeSteps | undefined;

  /** The einsum specs of the upward pass, generated from the model's network (on first use). */
  get steps(): TreeSteps {
    this.stepsCache ??= new TreeSteps(this.toNetwork());
    return this.stepsCache;
  }

  toSpec(): ModelSpec {
    return { kind: this.kind, sites: this.sites, physDim: this.physDim, outputDim: this.outputDim, bondDim: this.bondDim };
  }

  toNetwork(): TensorNetwork {
    const net = new TensorNetwork();
    let below = Array.from({ length: this.sites }, (_, s) => new Index(this.physDim, ['phys', `site${s}`]));
    this.layers.forEach((layer, level) => {
      const root = level === this.layers.length - 1;
      below = layer.map((node) => {
        const core = this.params[node.core]!;
        const up = new Index(core.shape[core.ndim - 1]!, root ? 'out' : 'bond');
        net.add(new LabeledTensor(core, [...node.children.map((c) => below[c]!), up]), [`PARAM${node.core}`, `L${level}`]);
        return up;
      });
    });
    return net;
  }
}

/** Initializer role of a tree core `[children…, up]`: identity from the first child to the parent (other child at index 0). */
function treeCoreRole(shape: readonly number[], root: boolean): CoreRole {
  const up = shape.length - 1;
  return root
    ? { shape, physAxes: [], identityPairs: [], rowAxes: shape.slice(0, up).map((_, i) => i), outputAxes: [up] }
    : { shape, physAxes: [], identityPairs: [[0, up]], rowAxes: shape.slice(0, up).map((_, i) => i) };
}
