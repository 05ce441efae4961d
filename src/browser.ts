/**
 * tnkit for browsers (`import … from 'tnkit/browser'`): everything but the Node file I/O
 * of src/io, layer by layer: tensors, kernels, linear algebra, einsum, autodiff, networks,
 * decompositions, machine learning, structure search, estimators (Classifier, Compressor…).
 * Load the WebAssembly kernel with `loadWasmKernel(url)` and `registerBackend`; byte-level formats (`parseNpy`,
 * `encodeNetwork`, `encodeModel`) replace the file functions.
 * @packageDocumentation
 */
export { Tensor, type SliceSpec } from './tensor/tensor.js';
export type { DType, FloatArray } from './tensor/dtype.js';
export { Random } from './tensor/random.js';
export { zeros, ones, full, eye, arange, tensor, randn, rand, type CreateOptions, type RandomOptions } from './tensor/create.js';
// One op set for plain tensors and autodiff variables (autodiff/public-ops.ts); the tensor layer adds what has no gradient.
export {
  add, sub, mul, div, pow, scale, neg, exp, log, sqrt, square, abs, tanh, sigmoid, relu,
  sum, mean, max, min, norm, einsum, matmul, svd, qr,
} from './autodiff/public-ops.js';
export { binary, unary, maximum, minimum, type Operand } from './tensor/elementwise.js';
export { argmax, reduceAxis } from './tensor/reduce.js';
export { sizeOf, broadcastShapes } from './tensor/shape.js';
export type { BackendName, Kernel, SvdResult, QrResult, EighResult } from './kernels/kernel.js';
export { getKernel, setBackend, getBackend, availableBackends, backendStatus, registerBackend, withBackend, type BackendStatus } from './kernels/registry.js';
export { loadWasmKernel, type WasmKernel } from './kernels/wasm/loader.js';
export * from './linalg/index.js';
export { einsumPath, planContraction, type EinsumOptions, type EinsumPath, type EinsumPathStep, type ContractionPlan, type OperandPrep, type PlannedStep, type PathOptimizer } from './einsum/index.js';
export { parseNpy, serializeNpy, NpyError, type NpyReadOptions, type NpyWriteOptions, type NpyWriteDType, type NpyTypeCode, type NpyVersion } from './tensor/npy.js';
export * as autodiff from './autodiff/public.js';
export * from './network/index.js';
export * from './decompose/index.js';
export * from './ml/index.js';
export * from './search/index.js';
export * from './estimators/index.js';
// Reports: run records, Vega-Lite chart specs and DOT network drawings (pure data; show them with vega-embed / viz.js).
export * from './report/run-record.js';
export { parseRunRecord, RunRecordError } from './report/parse-run-record.js';
export { historyCharts, rocChart, scoreHistogram, methodCharts, spectraChart, recordCharts, type Chart } from './report/charts.js';
export { networkDot, networkLayout, drawingEdges, bondWidth, type DotEngine } from './report/network-dot.js';
