/**
 * tnkit — tensor networks for TypeScript.
 *
 * The entry point re-exports the public API layer by layer (see `./browser.ts`) plus
 * the Node file I/O: `.npy`, network and model files, PNG, raw video, shipped data sets.
 * @packageDocumentation
 */
export * from './browser.js';
export { readNpy, writeNpy, readNpyAsync, writeNpyAsync } from './io/npy-file.js';
export { saveNetwork, loadNetwork, saveNetworkAsync, loadNetworkAsync } from './io/network-file.js';
export { readPng, writePng, encodePng, type ReadPngOptions } from './io/image.js';
export { readRawVideo, writeRawVideo, sidecarPath } from './io/video.js';
export { checkTensorOutput, writeTensorOutput, checkNetworkOutput, checkOutputDir, tensorFormatOf, type TensorFormat } from './io/output-file.js';
export {
  loadCsv, loadDataset, defaultDataDir,
  type DatasetName, type TabularDatasetName, type ImageDatasetName,
  type TabularDataset, type ImageDataset, type TabularDatasetOptions, type ImageDatasetOptions,
} from './io/datasets.js';
// Reports drawn to SVG and one self-contained HTML page (vega, vega-lite, Graphviz in wasm), and the report folder on disk.
export { renderReportHtml, renderChartSvg, renderDotSvg } from './report/index.js';
export { writeReport, readRunRecord } from './io/report-file.js';
export { fileCheckpoint, fingerprint, type CheckpointBinding } from './io/search-checkpoint-file.js';
