/*
 * What a training checkpoint was made from, so that a resume on other data or with other
 * settings is refused naming what differs instead of silently mixing two runs (or failing
 * deep inside a model on a core's shape).
 */

/** A setting's value as stored in a checkpoint (JSON primitives only). */
export type InputValue = string | number | boolean | null;

/** The inputs a checkpoint is bound to. */
export interface CheckpointInputs {
  /** Settings that fix the model and the run (option names → values). */
  settings: Record<string, InputValue>;
  /** SHA-256 (hex) of the training data (and validation data); absent where no hash function is available. */
  dataSha256?: string;
}

/** One difference between a checkpoint's inputs and a run's. */
export interface InputDifference {
  /** A setting's name, or 'data' for the training data's hash. */
  key: string;
  checkpoint: InputValue;
  run: InputValue;
}

/** Node's crypto, fetched at call time so importing this module never needs Node (browsers get no hash). */
function nodeCrypto(): typeof import('node:crypto') | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  return get ? (get('node:crypto') as typeof import('node:crypto') | undefined) : undefined;
}

/**
 * SHA-256 (hex) of byte views fed in order, each preceded by its length so that
 * different splits of the same bytes hash differently; undefined without Node's crypto.
 */
export function sha256Hex(parts: readonly ArrayBufferView[]): string | undefined {
  const crypto = nodeCrypto();
  if (!crypto) return undefined;
  const hash = crypto.createHash('sha256');
  for (const p of parts) {
    hash.update(String(p.byteLength) + ':');
    hash.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  }
  return hash.digest('hex');
}

/**
 * The settings whose values differ (in the checkpoint's key order; keys only one side has
 * are skipped, so files from other versions still compare), then 'data' when both sides
 * have a data hash and they differ.
 */
export function inputDifferences(checkpoint: CheckpointInputs, run: CheckpointInputs): InputDifference[] {
  const out: InputDifference[] = [];
  for (const [key, value] of Object.entries(checkpoint.settings)) {
    if (!Object.hasOwn(run.settings, key)) continue;
    const now = run.settings[key]!;
    if (value !== now) out.push({ key, checkpoint: value, run: now });
  }
  if (checkpoint.dataSha256 !== undefined && run.dataSha256 !== undefined && checkpoint.dataSha256 !== run.dataSha256) {
    out.push({ key: 'data', checkpoint: checkpoint.dataSha256, run: run.dataSha256 });
  }
  return out;
}

/**
 * Checks stored JSON as {@link CheckpointInputs}.
 * @throws TypeError naming the bad field.
 */
export function parseCheckpointInputs(json: unknown): CheckpointInputs {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('inputs: expected an object');
  const { settings, dataSha256 } = json as { settings?: unknown; dataSha256?: unknown };
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) throw new TypeError('inputs.settings: expected an object');
  const out: Record<string, InputValue> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TypeError(`inputs.settings.${key}: expected a string, number, boolean or null, got ${JSON.stringify(value)}`);
    }
    out[key] = value;
  }
  if (dataSha256 !== undefined && (typeof dataSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(dataSha256))) {
    throw new TypeError(`inputs.dataSha256: expected 64 hex digits, got ${JSON.stringify(dataSha256)}`);
  }
  return { settings: out, ...(dataSha256 === undefined ? {} : { dataSha256 }) };
}
