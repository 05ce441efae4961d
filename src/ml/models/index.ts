/** Supervised tensor-network models: MPS, MPO, binary tree and 2-D PEPS, with batched forward passes. */
export { type SupervisedModel, type ModelSpec, parameterCount } from './model.js';
export { MpsModel, chainBonds, mpsCoreRole, type MpsModelOptions } from './mps-model.js';
export { MpoModel, MPO_MAX_DENSE_OUTPUT, type MpoModelOptions } from './mpo-model.js';
export { TreeModel, binaryTreeLayers, type TreeModelOptions, type TreeNode } from './tree-model.js';
export { PepsModel, PEPS_MAX_BOUNDARY, type PepsModelOptions } from './peps-model.js';
export { modelFromSpec } from './from-spec.js';
export { rescaleRows, applyScale, siteSlices, type LogScale } from './rescale.js';
export { SmpoModel, smpoBonds, smpoCoreRole, type SmpoModelOptions, type DoubleEnvironment } from './smpo-model.js';
