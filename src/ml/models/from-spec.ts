import type { Tensor } from '../../tensor/tensor.js';
import type { ModelSpec, SupervisedModel } from './model.js';
import { MpoModel } from './mpo-model.js';
import { MpsModel } from './mps-model.js';
import { PepsModel } from './peps-model.js';
import { TreeModel } from './tree-model.js';

function int(spec: ModelSpec, key: string): number {
  const v = spec[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`model spec (${spec.kind}): '${key}' must be an integer, got ${JSON.stringify(v)}`);
  return v;
}

function ints(spec: ModelSpec, key: string): number[] {
  const v = spec[key];
  if (!Array.isArray(v) || !v.every((e) => Number.isInteger(e))) throw new TypeError(`model spec (${spec.kind}): '${key}' must be an array of integers, got ${JSON.stringify(v)}`);
  return v as number[];
}

/**
 * Rebuilds a model of the structure `spec` (from `toSpec()`) around saved cores.
 * @throws TypeError / RangeError naming the bad field or the core whose shape disagrees.
 */
export function modelFromSpec(spec: ModelSpec, cores: readonly Tensor[]): SupervisedModel {
  if (spec === null || typeof spec !== 'object' || typeof spec.kind !== 'string') throw new TypeError('model spec: expected an object with a string "kind"');
  switch (spec.kind) {
    case 'mps': {
      const m = MpsModel.fromCores(cores, int(spec, 'outputSite'), int(spec, 'bondDim'));
      if (m.sites !== int(spec, 'sites') || m.physDim !== int(spec, 'physDim') || m.outputDim !== int(spec, 'outputDim')) {
        throw new RangeError(`model spec (mps): the cores (${m.sites} sites, d=${m.physDim}, ${m.outputDim} outputs) disagree with the spec`);
      }
      return m;
    }
    case 'tree':
      return TreeModel.fromCores(cores, int(spec, 'sites'), int(spec, 'physDim'), int(spec, 'outputDim'), int(spec, 'bondDim'));
    case 'mpo':
      return MpoModel.fromCores(cores, int(spec, 'bondDim'));
    case 'peps': {
      const grid = ints(spec, 'grid');
      if (grid.length !== 2) throw new TypeError(`model spec (peps): 'grid' must be [rows, cols], got ${JSON.stringify(grid)}`);
      return PepsModel.fromCores(cores, [grid[0]!, grid[1]!], int(spec, 'physDim'), int(spec, 'bondDim'), int(spec, 'outputDim'), int(spec, 'outputSite'));
    }
    default:
      throw new RangeError(`model spec: unknown kind '${spec.kind}' (known: mps, mpo, tree, peps)`);
  }
}
