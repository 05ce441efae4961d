/**
 * The search checkpoint on disk: DIR/checkpoint.json and DIR/cores-{n}.npy (all cores,
 * flattened and concatenated). Every file is written atomically, the cores under a new
 * name before the JSON that points at them, so a crash at any moment leaves the previous
 * complete checkpoint or the new one, never a mix. The JSON records what the checkpoint
 * is bound to (a fingerprint of the input and mask, the options that shape the search),
 * and a resume with anything different is refused, naming what differs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointStore, RgtnCheckpoint } from '../search/checkpoint.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic-write.js';
import { readNpy, writeNpy } from './npy-file.js';

/** What a checkpoint is bound to: name → value (e.g. input → its sha256, rse → '0.01'). */
export type CheckpointBinding = Record<string, string>;

interface OnDisk extends RgtnCheckpoint {
  coresFile: string;
  coreShapes: number[][];
  /** Number of saves so far (names the next cores file). */
  saves: number;
  binding?: CheckpointBinding;
}

/** SHA-256 of a tensor's shape and values (as f64), or of raw bytes: the fingerprint a checkpoint is bound to. */
export function fingerprint(data: Tensor | Uint8Array): string {
  const hash = createHash('sha256');
  if (data instanceof Tensor) {
    hash.update(JSON.stringify(data.shape));
    const values = Float64Array.from(data.astype('f64').toTypedArray());
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  } else hash.update(data);
  return hash.digest('hex');
}

/**
 * A checkpoint directory (created on first save), bound to `binding`: load() refuses a
 * checkpoint written for another binding, naming each field that differs.
 * @param flag how the folder is named in errors (e.g. '--checkpoint out/ck').
 */
export function fileCheckpoint(dir: string, binding: CheckpointBinding = {}, flag = dir): CheckpointStore {
  const json = join(dir, 'checkpoint.json');
  let saves = 0;
  return {
    load() {
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`${flag}: ${dir} is a file, not a checkpoint folder`);
      if (!existsSync(json)) return undefined;
      let state: OnDisk;
      try {
        state = JSON.parse(readFileSync(json, 'utf8')) as OnDisk;
      } catch (e) {
        throw new Error(`${flag}: ${json} is not a readable search checkpoint: ${(e as Error).message}`, { cause: e });
      }
      if (state.version !== 1 || !Array.isArray(state.coreShapes) || typeof state.coresFile !== 'string') {
        throw new Error(`${flag}: ${json} is not a search checkpoint of version 1`);
      }
      checkBinding(flag, state.binding, binding);
      saves = Number.isInteger(state.saves) ? state.saves : 0;
      const flat = readNpy(join(dir, state.coresFile)).astype('f64').toTypedArray();
      let offset = 0;
      const cores = state.coreShapes.map((shape) => {
        const size = shape.reduce((p, d) => p * d, 1);
        const t = new Tensor(Float64Array.from(flat.subarray(offset, offset + size)), shape);
        offset += size;
        return t;
      });
      if (offset !== flat.length) throw new Error(`${flag}: ${state.coresFile} has ${flat.length} values but the checkpoint's core shapes need ${offset}`);
      const { coresFile: _f, coreShapes: _s, saves: _n, binding: _b, ...rest } = state;
      return { state: rest, cores };
    },
    save(state, cores) {
      mkdirSync(dir, { recursive: true });
      const previous = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as Partial<OnDisk>).coresFile : undefined;
      saves++;
      const coresFile = `cores-${saves}.npy`;
      const total = cores.reduce((t, c) => t + c.size, 0);
      const flat = new Float64Array(total);
      let offset = 0;
      for (const c of cores) {
        flat.set(c.astype('f64').toTypedArray(), offset);
        offset += c.size;
      }
      // Cores first under a new name, then the JSON that points at them: either file set is complete.
      writeNpy(join(dir, coresFile), new Tensor(flat, [total]));
      const disk: OnDisk = { ...state, coresFile, coreShapes: cores.map((c) => [...c.shape]), saves, binding };
      writeFileAtomic(json, JSON.stringify(disk, null, 1));
      if (previous !== undefined && previous !== coresFile) rmSync(join(dir, previous), { force: true });
    },
  };
}

/** Refuses a checkpoint bound to something else, naming every field that differs. */
function checkBinding(flag: string, saved: CheckpointBinding | undefined, wanted: CheckpointBinding): void {
  if (saved === undefined) {
    if (Object.keys(wanted).length === 0) return;
    throw new Error(`${flag}: this checkpoint does not say which input and options it was written for; resume it with the tnkit that wrote it, or use an empty folder`);
  }
  const short = (v: string | undefined): string => (v === undefined ? '(none)' : /^[0-9a-f]{64}$/.test(v) ? `sha256 ${v.slice(0, 12)}…` : v);
  const differ = [...new Set([...Object.keys(saved), ...Object.keys(wanted)])]
    .filter((k) => saved[k] !== wanted[k])
    .map((k) => `${k}: ${short(saved[k])} in the checkpoint, ${short(wanted[k])} now`);
  if (differ.length > 0) {
    throw new Error(`${flag} was written for a different run (${differ.join('; ')}); give the same input and options to resume, or use another folder`);
  }
}
