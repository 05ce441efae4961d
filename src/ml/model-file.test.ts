import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { polynomial } from './embeddings/polynomial.js';
import { decodeModel, loadModel, readModelBytes, saveModel, writeModelBytes } from './model-file.js';
import { MpsModel } from './models/mps-model.js';

const model = (seed: number): MpsModel => MpsModel.create({ sites: 4, physDim: 3, bondDim: 2, outputDim: 2, seed });

describe('saveModel', () => {
  it('replaces the file whole and leaves no temporary file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-model-file-'));
    const path = join(dir, 'm.tnk');
    saveModel(path, { model: model(1), embedding: polynomial({ degree: 2, bias: true }) });
    saveModel(path, { model: model(2) });
    expect(readdirSync(dir)).toEqual(['m.tnk']);
    expect(loadModel(path).embedding).toBeUndefined();
    expect(decodeModel(readModelBytes(path)).model.params[0]!.toTypedArray()).toEqual(model(2).params[0]!.toTypedArray());
  });

  it('names the path when the folder is missing, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-model-file-'));
    expect(() => writeModelBytes(join(dir, 'no', 'm.tnk'), new Uint8Array([1, 2, 3]))).toThrow(/cannot write .*no\/m\.tnk/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
