import type { Var, VarLike } from '../../autodiff/index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A JSON description of a model's structure (not its weights): enough to rebuild it around saved cores. */
export interface ModelSpec {
  readonly kind: string;
  readonly [option: string]: unknown;
}

/**
 * A supervised tensor-network model: an ordered list of core tensors (the trainable
 * parameters) and a batched forward pass from product states `[batch, sites, d]` to
 * outputs `[batch, outputDim]` (class scores or regression targets).
 *
 * Models are immutable values: training produces new cores, and `withParams` wraps them
 * in a model of the same structure.
 */
export interface SupervisedModel {
  readonly kind: string;
  /** The cores, in the order `forward` expects them. */
  readonly params: readonly Tensor[];
  /** Number of sites N (features) the model reads. */
  readonly sites: number;
  /** Physical (embedding) dimension d of every site. */
  readonly physDim: number;
  /** Size of the output axis. */
  readonly outputDim: number;
  /**
   * Outputs `[batch, outputDim]` for product states `x` `[batch, sites, physDim]`, computed on
   * `params` (autodiff variables while training, plain tensors for inference). The whole
   * batch goes through each contraction step at once.
   */
  forward(params: readonly VarLike[], x: Tensor): Var;
  /** The same structure with other cores (checked against the current shapes). */
  withParams(params: readonly Tensor[]): SupervisedModel;
  /** Structure description for the model file. */
  toSpec(): ModelSpec;
  /** The cores as a tensor network with shared bond indices (for saving and inspection). */
  toNetwork(): TensorNetwork;
}

/** Number of scalar parameters of a model. */
export function parameterCount(model: Pick<SupervisedModel, 'params'>): number {
  return model.params.reduce((n, p) => n + p.size, 0);
}
