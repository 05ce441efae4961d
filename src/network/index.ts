/**
 * Tensor networks: indices with identity, labelled tensors, networks with tags,
 * builders from a rank matrix (MPS, TR, MPO, tree, PEPS, FCTN), MPS/MPO algorithms
 * (canonical forms, compression, MPO application, expectation values, overlaps) and
 * the network file format.
 * @packageDocumentation
 */
export { Index, commonIndices, uniqueIndices, type IndexSpec } from './tensor-index.js';
export { LabeledTensor } from './labeled-tensor.js';
export { contractTensors, contractTensorPair, danglingIndices, einsumSpec, EINSUM_LETTERS, type ContractOptions } from './contract.js';
export { TensorNetwork, type TagMatch, type Combiner } from './tensor-network.js';
export { contractProductStates } from './product-state.js';
export {
  fromRankMatrix, coreShape, paramCount, rankMatrixOf, physicalDims, validateRankMatrix, neighbours, siteTag,
  type RankMatrix, type RankMatrixOptions,
} from './rank-matrix.js';
export {
  mps, tensorRing, mpo, treeTensorNetwork, peps, fctn,
  chainRankMatrix, ringRankMatrix, binaryTreeRankMatrix, gridRankMatrix, fullyConnectedRankMatrix,
  type MpoOptions,
} from './topologies.js';
export { randomGraphRankMatrix, type RandomGraphOptions } from './random-graph.js';
export { MatrixProductState } from './matrix-product-state.js';
export { MatrixProductOperator } from './matrix-product-operator.js';
export { canonicalize, leftCanonical, rightCanonical, mpsNorm, normalize } from './canonical-form.js';
export { compress, type TruncationOptions, type CompressionResult } from './compression.js';
export { overlap } from './overlap.js';
export { applyMpo } from './mpo-application.js';
export { expectation, type ExpectationOptions } from './expectation.js';
export {
  encodeNetwork, decodeNetwork, readPreamble, parseHeader, networkFromData, NetworkFileError,
  NETWORK_MAGIC, NETWORK_FORMAT_VERSION, PREAMBLE_BYTES,
  type NetworkHeader, type TensorEntry, type EncodeOptions, type DecodedNetwork,
} from './file-format.js';
