import { Tensor } from '../../tensor/tensor.js';

/*
 * Optimizer states are plain trees of numbers, arrays, objects and Tensors (Adam: step,
 * m[], v[]). To checkpoint any of them, the tensors are pulled out into a list and replaced
 * by `{ "$tensor": k }` in a JSON tree; decoding puts them back.
 */

/** A JSON tree with tensor placeholders, and the tensors it refers to. */
export interface EncodedState {
  json: unknown;
  tensors: Tensor[];
}

/** Splits a state tree into JSON and tensors. Functions, symbols and cycles are rejected, naming the path. */
export function encodeState(state: unknown): EncodedState {
  const tensors: Tensor[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): unknown => {
    if (v instanceof Tensor) {
      tensors.push(v);
      return { $tensor: tensors.length - 1 };
    }
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
      if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
      return v;
    }
    if (v === undefined) return null;
    if (typeof v !== 'object') throw new TypeError(`encodeState: ${path} is a ${typeof v}, which cannot be saved`);
    if (seen.has(v)) throw new TypeError(`encodeState: ${path} refers back to itself`);
    seen.add(v);
    const out = Array.isArray(v) ? v.map((e, i) => walk(e, `${path}[${i}]`)) : Object.fromEntries(Object.entries(v).map(([k, e]) => [k, walk(e, `${path}.${k}`)]));
    seen.delete(v);
    return out;
  };
  return { json: walk(state, 'state'), tensors };
}

/** Rebuilds a state tree from {@link encodeState}'s output. */
export function decodeState(json: unknown, tensors: readonly Tensor[]): unknown {
  const walk = (v: unknown, path: string): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((e, i) => walk(e, `${path}[${i}]`));
    const o = v as Record<string, unknown>;
    if ('$tensor' in o) {
      const k = o['$tensor'];
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= tensors.length) {
        throw new RangeError(`decodeState: ${path} refers to tensor ${String(k)}, but ${tensors.length} tensors were saved`);
      }
      return tensors[k];
    }
    if ('$number' in o) return Number(o['$number']);
    return Object.fromEntries(Object.entries(o).map(([key, e]) => [key, walk(e, `${path}.${key}`)]));
  };
  return walk(json, 'state');
}
