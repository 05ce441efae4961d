import { LabeledTensor } from '../network/labeled-tensor.js';
import { decodeNetwork, encodeNetwork, NetworkFileError } from '../network/file-format.js';
import { Index } from '../network/tensor-index.js';
import type { TensorNetwork } from '../network/tensor-network.js';
import type { Tensor } from '../tensor/tensor.js';
import type { MinMaxScaler } from './data/min-max-scaler.js';
import { scalerFromJSON, type ScalerJSON } from './data/scaler.js';
import type { StandardScaler } from './data/standard-scaler.js';
import type { Embedding, EmbeddingSpec } from './embeddings/embedding.js';
import { embeddingFromJSON } from './embeddings/from-json.js';
import { modelFromSpec } from './models/from-spec.js';
import type { ModelSpec, SupervisedModel } from './models/model.js';
import { parseHistory, type EpochRecord } from './training/history.js';
import { parseCheckpointInputs, type CheckpointInputs } from './training/checkpoint-inputs.js';
import { decodeState, encodeState } from './training/state-codec.js';
import type { TrainerCheckpoint } from './training/trainer.js';

/*
 * A trained model in the tnkit network file format: the cores are the network (tagged
 * PARAM0, PARAM1, … with their real bond indices), and the header's metadata holds
 *
 *   { "tnkit_model": { version, model: spec, embedding, scaler, history, user, checkpoint } }
 *
 * A checkpoint adds the optimizer state's tensors (OPT0, …) and the best weights (BEST0, …)
 * as extra tensors with their own indices, and the rest of the trainer state as JSON,
 * with `inputs` (settings and a data hash, see training/checkpoint-inputs.ts) where the
 * writer recorded them. The layout is described in docs/guide/models-and-training.md.
 */

/** Version of the `tnkit_model` metadata layout. */
export const MODEL_FILE_VERSION = 1;

/**
 * Any model a file can hold: its cores, its structure spec and its network (the supervised
 * models, and others such as the anomaly-detection SMPO).
 */
export type StoredModel = Pick<SupervisedModel, 'kind' | 'params' | 'toSpec' | 'toNetwork'>;

/** Rebuilds a model from its saved spec and cores (throws naming the bad field or core). */
export type ModelRebuilder<M extends StoredModel> = (spec: ModelSpec, cores: readonly Tensor[]) => M;

/** What a model file holds (a supervised model unless `M` says otherwise). */
export interface ModelFile<M extends StoredModel = SupervisedModel> {
  model: M;
  embedding?: Embedding;
  scaler?: MinMaxScaler | StandardScaler;
  history?: EpochRecord[];
  /** Free-form JSON (dataset, command line, metrics…). */
  metadata?: unknown;
  /** Trainer state to resume from. */
  checkpoint?: TrainerCheckpoint;
}

interface ModelMetadata {
  version: number;
  model: ModelSpec;
  embedding: EmbeddingSpec | null;
  scaler: ScalerJSON | null;
  history: EpochRecord[] | null;
  user: unknown;
  checkpoint: {
    epoch: number;
    wait: number;
    seed: number;
    best: { epoch: number; value: number } | null;
    optimizer: unknown;
    optimizerTensors: number;
    history: EpochRecord[];
    /** What the checkpoint was made from (settings, data hash); absent in older files. */
    inputs?: CheckpointInputs;
  } | null;
}

function addFree(net: TensorNetwork, t: Tensor, tag: string): void {
  net.add(new LabeledTensor(t, t.shape.map((d) => new Index(d, 'aux'))), [tag]);
}

/** Encodes a model (and optionally its embedding, scaler, history and a trainer checkpoint) as network-file bytes. */
export function encodeModel(file: ModelFile<StoredModel>): Uint8Array {
  const net = file.model.toNetwork();
  let checkpoint: ModelMetadata['checkpoint'] = null;
  if (file.checkpoint) {
    const cp = file.checkpoint;
    const { json, tensors } = encodeState(cp.optimizerState);
    tensors.forEach((t, k) => addFree(net, t, `OPT${k}`));
    cp.best?.params.forEach((t, k) => addFree(net, t, `BEST${k}`));
    checkpoint = {
      epoch: cp.epoch, wait: cp.wait, seed: cp.seed, best: cp.best ? { epoch: cp.best.epoch, value: cp.best.value } : null,
      optimizer: json, optimizerTensors: tensors.length, history: cp.history,
      ...(cp.inputs === undefined ? {} : { inputs: cp.inputs }),
    };
  }
  let embedding: EmbeddingSpec | null = null;
  if (file.embedding) {
    try {
      embedding = file.embedding.toJSON();
    } catch (e) {
      throw new TypeError(`encodeModel: the embedding cannot be saved: ${(e as Error).message}`);
    }
  }
  const meta: ModelMetadata = {
    version: MODEL_FILE_VERSION,
    model: file.model.toSpec(),
    embedding,
    scaler: file.scaler ? file.scaler.toJSON() : null,
    history: file.history ?? null,
    user: file.metadata ?? null,
    checkpoint,
  };
  return encodeNetwork(net, { metadata: { tnkit_model: meta }, dtype: file.model.params[0]!.dtype });
}

function tensorTagged(net: TensorNetwork, tag: string, field: string, source?: string): Tensor {
  const tids = net.select(tag);
  if (tids.length !== 1) throw new NetworkFileError(field, `expected one tensor tagged ${tag}, found ${tids.length}`, source);
  return net.get(tids[0]!).data;
}

function countTagged(net: TensorNetwork, prefix: string): number {
  let n = 0;
  while (net.select(`${prefix}${n}`).length > 0) n++;
  return n;
}

/**
 * Decodes a model file. `predict` on the result gives bit-identical outputs to the model
 * that was saved (the cores are stored exactly in their dtype).
 * @throws NetworkFileError naming the bad field (e.g. `metadata.tnkit_model.embedding`).
 */
export function decodeModel(bytes: Uint8Array, source?: string): ModelFile {
  return decodeModelWith(bytes, modelFromSpec, source);
}

/**
 * {@link decodeModel} for a model kind outside the supervised ones: `rebuild` turns the
 * saved spec and cores into the model (e.g. `SmpoModel.fromSpec`).
 */
export function decodeModelWith<M extends StoredModel>(bytes: Uint8Array, rebuild: ModelRebuilder<M>, source?: string): ModelFile<M> {
  const { network, metadata } = decodeNetwork(bytes, source);
  const fail = (field: string, message: string): never => {
    throw new NetworkFileError(`metadata.tnkit_model${field ? `.${field}` : ''}`, message, source);
  };
  const root = metadata as { tnkit_model?: unknown } | null;
  if (root === null || typeof root !== 'object' || root.tnkit_model === undefined) fail('', 'missing: this network file holds no model');
  const meta = root!.tnkit_model as Partial<ModelMetadata>;
  if (meta === null || typeof meta !== 'object') fail('', 'expected an object');
  if (meta.version !== MODEL_FILE_VERSION) fail('version', `expected ${MODEL_FILE_VERSION}, got ${JSON.stringify(meta.version)}`);
  if (meta.model === null || typeof meta.model !== 'object') fail('model', 'expected the model spec object');
  const count = countTagged(network, 'PARAM');
  if (count === 0) fail('model', 'the file has no tensors tagged PARAM0, PARAM1, …');
  const cores = Array.from({ length: count }, (_, k) => tensorTagged(network, `PARAM${k}`, `tensors (PARAM${k})`, source));
  const wrap = <T>(field: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof NetworkFileError) throw e;
      return fail(field, (e as Error).message);
    }
  };
  const model = wrap('model', () => rebuild(meta.model!, cores));
  const out: ModelFile<M> = { model };
  if (meta.embedding != null) out.embedding = wrap('embedding', () => embeddingFromJSON(meta.embedding!));
  if (meta.scaler != null) out.scaler = wrap('scaler', () => scalerFromJSON(meta.scaler!));
  if (meta.history != null) out.history = wrap('history', () => parseHistory(meta.history, 'history'));
  if (meta.user != null) out.metadata = meta.user;
  const cp = meta.checkpoint;
  if (cp != null) {
    out.checkpoint = wrap('checkpoint', () => {
      if (!Number.isInteger(cp.epoch) || cp.epoch < 0) throw new TypeError(`epoch: expected a non-negative integer, got ${JSON.stringify(cp.epoch)}`);
      if (!Number.isInteger(cp.optimizerTensors)) throw new TypeError('optimizerTensors: expected an integer');
      const optTensors = Array.from({ length: cp.optimizerTensors }, (_, k) => tensorTagged(network, `OPT${k}`, `tensors (OPT${k})`, source));
      const bestCount = countTagged(network, 'BEST');
      const best = cp.best ? { epoch: cp.best.epoch, value: cp.best.value, params: Array.from({ length: bestCount }, (_, k) => tensorTagged(network, `BEST${k}`, `tensors (BEST${k})`, source)) } : null;
      return {
        epoch: cp.epoch, wait: cp.wait, seed: cp.seed, best,
        params: cores, optimizerState: decodeState(cp.optimizer, optTensors), history: parseHistory(cp.history, 'checkpoint.history'),
        ...(cp.inputs === undefined ? {} : { inputs: parseCheckpointInputs(cp.inputs) }),
      };
    });
  }
  return out;
}

/** Node's fs, fetched at call time so importing this module never needs Node. */
function fs(): typeof import('node:fs') {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (!get) throw new Error('saveModel/loadModel need Node.js ≥ 20.16; use encodeModel/decodeModel elsewhere');
  return get('node:fs') as typeof import('node:fs');
}

/**
 * Writes model-file bytes (from {@link encodeModel}) so that a crash leaves the old file or the whole new one: a temporary file
 * in the same folder, fsynced, then renamed over `path` (the io layer's writeFileAtomic,
 * repeated here through the lazily fetched fs so this module stays importable in browsers).
 */
export function writeModelBytes(path: string, bytes: Uint8Array): void {
  const f = fs();
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const tmp = `${path.slice(0, cut + 1)}.${path.slice(cut + 1)}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  let fd: number;
  try {
    fd = f.openSync(tmp, 'w');
  } catch (error) {
    throw new Error(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    let done = 0;
    while (done < bytes.length) done += f.writeSync(fd, bytes, done, bytes.length - done);
    f.fsyncSync(fd);
    f.closeSync(fd);
    f.renameSync(tmp, path);
  } catch (error) {
    try { f.closeSync(fd); } catch { /* already closed */ }
    f.rmSync(tmp, { force: true });
    throw new Error(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Writes a model file atomically (see {@link encodeModel}); the folder must exist. */
export function saveModel(path: string, file: ModelFile<StoredModel>): void {
  writeModelBytes(path, encodeModel(file));
}

/** The bytes of a model file (Node only; errors name the path). */
export function readModelBytes(path: string): Uint8Array {
  return new Uint8Array(fs().readFileSync(path));
}

/** Reads a model file (see {@link decodeModel}); errors name the file and the field. */
export function loadModel(path: string): ModelFile {
  return decodeModel(new Uint8Array(fs().readFileSync(path)), path);
}

/** {@link loadModel} for a model kind outside the supervised ones (see {@link decodeModelWith}). */
export function loadModelWith<M extends StoredModel>(path: string, rebuild: ModelRebuilder<M>): ModelFile<M> {
  return decodeModelWith(new Uint8Array(fs().readFileSync(path)), rebuild, path);
}

/** Model outputs `[batch, outputDim]` for product states, on the model's own cores. */
export function predict(model: SupervisedModel, x: Tensor): Tensor {
  return model.forward(model.params, x).value;
}
