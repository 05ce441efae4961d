/** The checkpoint store on disk: DIR/checkpoint.json and DIR/cores-scale{k}.npy (all cores, flattened and concatenated). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../io/npy-file.js';
import { Tensor } from '../tensor/tensor.js';
import type { CheckpointStore, RgtnCheckpoint } from './checkpoint.js';

interface OnDisk extends RgtnCheckpoint {
  coresFile: string;
  coreShapes: number[][];
}

/** A checkpoint directory (created on first save). */
export function fileCheckpoint(dir: string): CheckpointStore {
  const json = join(dir, 'checkpoint.json');
  return {
    load() {
      if (!existsSync(json)) return undefined;
      let state: OnDisk;
      try {
        state = JSON.parse(readFileSync(json, 'utf8')) as OnDisk;
      } catch (e) {
        throw new Error(`${json}: not a readable RGTN checkpoint: ${(e as Error).message}`, { cause: e });
      }
      if (state.version !== 1 || !Array.isArray(state.coreShapes)) throw new Error(`${json}: not an RGTN checkpoint of version 1`);
      const flat = readNpy(join(dir, state.coresFile)).astype('f64').toTypedArray();
      let offset = 0;
      const cores = state.coreShapes.map((shape) => {
        const size = shape.reduce((p, d) => p * d, 1);
        const t = new Tensor(Float64Array.from(flat.subarray(offset, offset + size)), shape);
        offset += size;
        return t;
      });
      if (offset !== flat.length) throw new Error(`${json}: the cores file has ${flat.length} values but the shapes need ${offset}`);
      const { coresFile: _f, coreShapes: _s, ...rest } = state;
      return { state: rest, cores };
    },
    save(state, cores) {
      mkdirSync(dir, { recursive: true });
      const coresFile = `cores-scale${state.scalesDone - 1}.npy`;
      const total = cores.reduce((t, c) => t + c.size, 0);
      const flat = new Float64Array(total);
      let offset = 0;
      for (const c of cores) {
        flat.set(c.astype('f64').toTypedArray(), offset);
        offset += c.size;
      }
      writeNpy(join(dir, coresFile), new Tensor(flat, [total]));
      const disk: OnDisk = { ...state, coresFile, coreShapes: cores.map((c) => [...c.shape]) };
      writeFileSync(json, JSON.stringify(disk, null, 1));
    },
  };
}
